// Reading the files of an existing `out/`. It is committed, so a pull request can put links
// there (a git checkout holds only files, folders and links). Its files are compared with what
// compile writes (`--check`, and unchanged files hard-linked instead of rewritten), never
// through a link: every folder on the way must be a real folder (checked once each), and the
// file is opened without following a link and without blocking (a FIFO made locally reads as
// empty). The file is read by one native call (readFileSync of its descriptor, as UTF-8):
// tens of thousands of files are compared.
import { closeSync, constants, lstatSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const NO_FOLLOW = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

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
    let fd: number;
    try {
      fd = openSync(join(this.root, rel), NO_FOLLOW);
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'ELOOP' ? 'different' : 'missing';
    }
    try {
      return readFileSync(fd, 'utf8') === content ? 'same' : 'different';
    } catch {
      return 'different'; // a folder where the file should be, or a FIFO with a writer
    } finally {
      closeSync(fd);
    }
  }
}
