// `mlspec serve --verify-only`: the init container's last step, after the fetcher. Every
// variant file must exist and match its pinned sha256 before the serving container starts.
import { variantPath } from '../config/load.js';
import type { ValidConfig } from '../config/validate.js';
import { sha256File } from './digest.js';

export interface VerifyResult {
  readonly variant: string;
  readonly path: string;
  readonly ok: boolean;
  readonly detail: string;
}

export async function verifyModelFiles(config: ValidConfig): Promise<VerifyResult[]> {
  return Promise.all(
    config.config.variants.map(async (v) => {
      const path = variantPath(config, v);
      try {
        const actual = await sha256File(path);
        return actual === v.sha256
          ? { variant: v.name, path, ok: true, detail: 'sha256 matches' }
          : { variant: v.name, path, ok: false, detail: `sha256 is ${actual}, expected ${v.sha256}` };
      } catch (e) {
        return {
          variant: v.name,
          path,
          ok: false,
          detail: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
        };
      }
    }),
  );
}
