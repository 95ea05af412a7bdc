// Structured logs: one JSON object per line, `time`, `level`, `msg`, then fields. Request
// bodies are never logged (they may hold personal data): callers pass metadata only.
export type Level = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  log(level: Level, msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

const RANK: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function jsonLogger(
  write: (line: string) => void,
  minLevel: Level = 'info',
  now: () => Date = () => new Date(),
): Logger {
  const log = (level: Level, msg: string, fields: Record<string, unknown> = {}) => {
    if (RANK[level] < RANK[minLevel]) return;
    write(`${JSON.stringify({ time: now().toISOString(), level, msg, ...fields })}\n`);
  };
  return {
    log,
    info: (m, f) => log('info', m, f),
    warn: (m, f) => log('warn', m, f),
    error: (m, f) => log('error', m, f),
  };
}

/** For tests and tools that want silence. */
export const silentLogger: Logger = jsonLogger(() => {}, 'error');
