// Noticing config changes. Kubernetes updates a mounted ConfigMap by swapping the `..data`
// symlink in the mount folder: the file path never changes and a watch on the file itself goes
// stale. So we watch the folder and re-read the file on any event there; the caller compares
// digests and ignores events that changed nothing. A slow poll covers filesystems whose events
// never arrive.
import { watch, type FSWatcher } from 'node:fs';
import { dirname } from 'node:path';

export interface WatchOptions {
  /** Events are coalesced for this long: one symlink swap produces several. */
  readonly debounceMs?: number;
  /** Re-read this often even without events; 0 turns polling off. */
  readonly pollMs?: number;
  readonly onError?: (e: Error) => void;
}

export interface ConfigWatcher {
  close(): void;
}

export function watchConfig(file: string, onChange: () => void, options: WatchOptions = {}): ConfigWatcher {
  const debounceMs = options.debounceMs ?? 50;
  const pollMs = options.pollMs ?? 10_000;
  let timer: NodeJS.Timeout | undefined;
  const fire = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      onChange();
    }, debounceMs);
    timer.unref();
  };
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dirname(file), { persistent: false }, fire);
    watcher.on('error', (e) => options.onError?.(e));
  } catch (e) {
    options.onError?.(e as Error);
  }
  const poll = pollMs > 0 ? setInterval(onChange, pollMs).unref() : undefined;
  return {
    close() {
      watcher?.close();
      if (timer) clearTimeout(timer);
      if (poll) clearInterval(poll);
    },
  };
}
