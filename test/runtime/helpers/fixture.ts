// Temporary folders holding model files and a runtime config, laid out like a mounted
// ConfigMap (the config file is a symlink through `..data`, which updates swap atomically).
import { sha256Hex } from '../../../core/hash.js';
import { mkdtempSync, mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Fixture {
  readonly dir: string;
  /** The config path the runtime is given: `<dir>/config/runtime.json`. */
  readonly configPath: string;
  /** Writes a model file and returns its path and digest. */
  model(name: string, bytes: Uint8Array): { path: string; sha256: string };
  /** Publishes a config the way the kubelet updates a ConfigMap volume. */
  publish(config: unknown): void;
  cleanup(): void;
}

export function fixture(): Fixture {
  const dir = mkdtempSync(join(tmpdir(), 'mlspec-runtime-'));
  const configDir = join(dir, 'config');
  mkdirSync(join(dir, 'models'));
  mkdirSync(configDir);
  let version = 0;
  return {
    dir,
    configPath: join(configDir, 'runtime.json'),
    model(name, bytes) {
      const path = join(dir, 'models', `${name}.onnx`);
      writeFileSync(path, bytes);
      return { path, sha256: sha256Hex(bytes) };
    },
    publish(config) {
      const stamp = `..v${++version}`;
      mkdirSync(join(configDir, stamp));
      writeFileSync(
        join(configDir, stamp, 'runtime.json'),
        typeof config === 'string' ? config : JSON.stringify(config, null, 2),
      );
      symlinkSync(stamp, join(configDir, '..data_tmp'));
      renameSync(join(configDir, '..data_tmp'), join(configDir, '..data'));
      if (!existsSync(join(configDir, 'runtime.json')))
        symlinkSync('..data/runtime.json', join(configDir, 'runtime.json'));
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
