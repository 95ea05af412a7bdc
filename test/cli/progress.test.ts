// Progress of long renders: on a terminal only, after a second, throttled, and erased at the end.
import { afterEach, expect, it, vi } from 'vitest';
import { type CliIO, progressLine } from '../../compiler/cli/io.js';

afterEach(() => vi.useRealTimers());

function io(stderrIsTTY: boolean): CliIO & { err: string[] } {
  const err: string[] = [];
  return { err, stdout: () => {}, stderr: (t) => void err.push(t), cwd: '/', env: {}, isTTY: false, stderrIsTTY };
}

it('shows n/total on a terminal after a second, at most ten times a second, and erases itself', () => {
  vi.useFakeTimers({ now: 0 });
  const tty = io(true);
  const p = progressLine(tty, 'rendering');
  p.onProgress!(1, 600);
  expect(tty.err).toEqual([]); // the first second stays quiet: short runs show nothing
  vi.setSystemTime(1500);
  p.onProgress!(200, 600);
  vi.setSystemTime(1550);
  p.onProgress!(210, 600); // within 100 ms: skipped
  vi.setSystemTime(1700);
  p.onProgress!(600, 600);
  p.end();
  expect(tty.err).toEqual(['\rrendering 200/600', '\rrendering 600/600', `\r${' '.repeat(17)}\r`]);
});

it('writes nothing when standard error is not a terminal (CI logs get the summary instead)', () => {
  const file = io(false);
  const p = progressLine(file, 'rendering');
  expect(p.onProgress).toBeUndefined();
  p.end();
  expect(file.err).toEqual([]);
});
