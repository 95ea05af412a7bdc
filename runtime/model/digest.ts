// SHA-256 of model files. The file is hashed from the same bytes the session is built from,
// so a file swapped between the check and the load cannot slip through.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** Streams the file: `--verify-only` checks large models without holding them in memory. */
export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('error', reject)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')));
  });
}
