// Reading the files of an existing `out/`. It is committed, so a pull request can put anything
// there: a link to a folder outside the repository, a FIFO, a huge file. Its files are compared
// with what compile writes (`--check`, and unchanged files hard-linked instead of rewritten),
// never through a link: every folder on the way must be a real folder (checked once each) and
// the file itself a regular file, read no further than the expected content.
import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { readFileLimited } from '../../core/read-file.js';

export type Comparison = 'same' | 'different' | 'missing';

export class OutFiles {
  private readonly plain = new Map<string, boolean>();

  constructor(readonly root: string) {}

  /** Whether the folder `rel` of the tree (`` for the root) and all above it are real folders. */
  plainFolder(rel: string): boolean {
    const known = this.plain.get(rel);
    if (known !== undefined) return known;
    const slash = rel.lastIndexOf('/');
    let ok = rel === '' || this.plainFolder(slash < 0 ? '' : rel.slice(0, slash));
    if (ok) {
      try {
        ok = lstatSync(join(this.root, rel)).isDirectory();
      } catch {
        ok = false;
      }
    }
    this.plain.set(rel, ok);
    return ok;
  }

  /** How the file at `rel` (`/`-separated) compares with `content`. A link or special file is different. */
  compare(rel: string, content: string): Comparison {
    const slash = rel.lastIndexOf('/');
    if (!this.plainFolder(slash < 0 ? '' : rel.slice(0, slash))) return 'missing';
    const expected = Buffer.from(content, 'utf8');
    let read: ReturnType<typeof readFileLimited>;
    try {
      read = readFileLimited(join(this.root, rel), expected.length);
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'ELOOP' ? 'different' : 'missing';
    }
    return read.kind === 'file' && read.complete && read.bytes.equals(expected) ? 'same' : 'different';
  }
}
