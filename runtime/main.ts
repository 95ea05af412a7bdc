// `mlspec serve`: validate the config (refuse to start on any problem, exit 2), listen at once
// so liveness holds while models load (readiness stays 503), load and verify the models, serve
// until SIGTERM or SIGINT, then drain: readiness fails at once, serving goes on for
// `drainDelayMs` (endpoints and load balancers take a few seconds to stop sending new
// connections), then the listener closes and in-flight requests finish.
import type { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import { renderText } from '../core/diagnostics/render.js';
import type { Diagnostic } from '../core/diagnostics/diagnostic.js';
import { loadConfigFile } from './config/load.js';
import { SERVER_DEFAULTS } from './contract/constants.js';
import { jsonLogger, type Logger } from './log.js';
import { verifyModelFiles } from './model/verify.js';
import { ConfigRejected, Runtime, type RuntimeOptions } from './runtime.js';
import { RuntimeServer } from './server.js';

export interface ServeIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

export interface ServeOptions {
  readonly configPath: string;
  /** Overrides `server.port`; 0 picks a free port. */
  readonly port?: number;
  readonly host?: string;
  /** Where SIGTERM / SIGINT come from (the process, or a test's emitter). */
  readonly signals: EventEmitter;
  readonly logger?: Logger;
  readonly runtime?: Partial<Omit<RuntimeOptions, 'configPath' | 'logger'>>;
  /** Called once the port is open. */
  readonly onListening?: (port: number, server: RuntimeServer, runtime: Runtime) => void;
}

export const EXIT_OK = 0;
export const EXIT_INVALID = 2;

function refuse(io: ServeIO, diagnostics: readonly Diagnostic[], what: string): number {
  io.stderr(
    `mlspec serve: ${what}\n${renderText(diagnostics, { color: false })}` +
      'Fix the config (or the model files) and start again; nothing is served until then.\n',
  );
  return EXIT_INVALID;
}

/** What a failed listen means for the operator, or undefined when it is not theirs to fix. */
function listenProblem(e: unknown, port: number, host: string | undefined): string | undefined {
  const where = `${host ?? 'all interfaces'}, port ${port}`;
  switch ((e as NodeJS.ErrnoException)?.code) {
    case 'EADDRINUSE':
      return (
        `${where} is already in use; stop the other process or choose another port ` +
        '(--port, or server.port in the config)'
      );
    case 'EACCES':
      return `no permission to listen on ${where}; ports below 1024 need privileges, use a higher port`;
    case 'EADDRNOTAVAIL':
      return `${host} is not an address of this machine`;
    default:
      return undefined;
  }
}

export async function serve(options: ServeOptions, io: ServeIO): Promise<number> {
  const loaded = await loadConfigFile(options.configPath);
  if (!loaded.ok)
    return refuse(io, loaded.diagnostics, `refusing to start: ${options.configPath} is not a valid runtime config`);
  const logger = options.logger ?? jsonLogger(io.stdout);
  const runtime = new Runtime({ stdout: io.stdout, ...options.runtime, configPath: options.configPath, logger });
  const server = new RuntimeServer(runtime, logger);
  const limits = loaded.value.config.server;
  const port = options.port ?? limits.port;
  let address: AddressInfo;
  try {
    address = await server.listen(port, options.host, limits.requestTimeoutMs, limits.maxConnections);
  } catch (e) {
    const problem = listenProblem(e, port, options.host);
    if (!problem) throw e;
    await runtime.close();
    io.stderr(`mlspec serve: cannot listen: ${problem}\n`);
    return EXIT_INVALID;
  }
  logger.info('listening', { port: address.port, ready: false });
  // Signals that arrive while models load still stop the process cleanly.
  let onSignal: (signal: string) => void = () => {};
  const stop = new Promise<string>((resolve) => (onSignal = resolve));
  const handlers = { SIGTERM: () => onSignal('SIGTERM'), SIGINT: () => onSignal('SIGINT') };
  for (const [name, h] of Object.entries(handlers)) options.signals.on(name, h);
  const unlisten = () => {
    for (const [name, h] of Object.entries(handlers)) options.signals.off(name, h);
  };
  type Event = { kind: 'started' } | { kind: 'failed'; error: unknown } | { kind: 'signal'; signal: string };
  const started = runtime.start(loaded.value).then(
    (): Event => ({ kind: 'started' }),
    (error: unknown): Event => ({ kind: 'failed', error }),
  );
  const first = await Promise.race([started, stop.then((signal): Event => ({ kind: 'signal', signal }))]);
  if (first.kind === 'failed') {
    unlisten();
    await server.shutdown(0);
    await runtime.close();
    if (first.error instanceof ConfigRejected)
      return refuse(io, first.error.diagnostics, 'refusing to start: a model cannot be served');
    throw first.error;
  }
  if (first.kind === 'started') {
    logger.info('ready', { port: address.port, model: runtime.current.signature.modelName });
    options.onListening?.(address.port, server, runtime);
  }
  const signal = first.kind === 'signal' ? first.signal : await stop;
  const served = runtime.ready ? runtime.current.config.config.server : limits;
  const timeoutMs = served.shutdownTimeoutMs;
  // Only a runtime that was serving has clients to move elsewhere.
  const delayMs = runtime.ready ? (served.drainDelayMs ?? SERVER_DEFAULTS.drainDelayMs) : 0;
  server.startDraining();
  logger.info('draining', { signal, inflight: server.inflight, drainDelayMs: delayMs, timeoutMs });
  if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
  const { drained } = await server.shutdown(timeoutMs);
  unlisten();
  await started;
  await runtime.close();
  logger.info('stopped', { drained });
  return EXIT_OK;
}

/** `--verify-only`: every variant file exists and matches its sha256 (exit 0), or not (exit 2). */
export async function verifyOnly(configPath: string, io: ServeIO): Promise<number> {
  const loaded = await loadConfigFile(configPath);
  if (!loaded.ok) return refuse(io, loaded.diagnostics, `${configPath} is not a valid runtime config`);
  const results = await verifyModelFiles(loaded.value);
  for (const r of results)
    (r.ok ? io.stdout : io.stderr)(`${r.ok ? 'ok  ' : 'FAIL'} ${r.variant} ${r.path}: ${r.detail}\n`);
  return results.every((r) => r.ok) ? EXIT_OK : EXIT_INVALID;
}
