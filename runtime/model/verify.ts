// `mlspec serve --verify-only`: the init container's last step, after the fetcher. Every
// variant file (and each of its external data files) must exist and match its pinned sha256
// before the serving container starts.
import { configPath, variantPath } from '../config/load.js';
import type { ValidConfig } from '../config/validate.js';
import { sha256File } from './digest.js';

export interface VerifyResult {
  readonly variant: string;
  readonly path: string;
  readonly ok: boolean;
  readonly detail: string;
}

export async function verifyModelFiles(config: ValidConfig): Promise<VerifyResult[]> {
  const files = config.config.variants.flatMap((v) => [
    { variant: v.name, path: variantPath(config, v), sha256: v.sha256 },
    ...(v.externalData ?? []).map((f) => ({ variant: v.name, path: configPath(config, f.path), sha256: f.sha256 })),
  ]);
  return Promise.all(
    files.map(async ({ variant, path, sha256 }) => {
      try {
        const actual = await sha256File(path);
        return actual === sha256
          ? { variant, path, ok: true, detail: 'sha256 matches' }
          : { variant, path, ok: false, detail: `sha256 is ${actual}, expected ${sha256}` };
      } catch (e) {
        return {
          variant,
          path,
          ok: false,
          detail: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
        };
      }
    }),
  );
}
