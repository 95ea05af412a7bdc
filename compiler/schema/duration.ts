// Durations in specs are strings like `1h30m`; generated objects need seconds or Go durations.

const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 };

/** Seconds in a spec duration (already validated against DURATION). */
export function durationSeconds(text: string): number {
  let total = 0;
  for (const m of text.matchAll(/([0-9]+(?:\.[0-9]+)?)(ms|s|m|h|d)/g)) total += Number(m[1]) * UNIT_SECONDS[m[2]!]!;
  return Math.round(total * 1000) / 1000;
}

export function durationMs(text: string): number {
  return Math.round(durationSeconds(text) * 1000);
}

/** A Go/Prometheus duration (`90s`, `5m`, `1h`), using the largest exact unit. */
export function promDuration(seconds: number): string {
  if (seconds > 0 && seconds < 1) return `${Math.round(seconds * 1000)}ms`;
  if (seconds % 86400 === 0 && seconds > 0) return `${seconds / 86400}d`;
  if (seconds % 3600 === 0 && seconds > 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0 && seconds > 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}
