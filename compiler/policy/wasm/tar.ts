// The files of a gzip-compressed tar archive, read into memory (never extracted): what `opa
// build` writes. POSIX ustar with the extensions Go's archive/tar writes for long names (PAX
// `path` records) and GNU long names (`L`), which other tools write. Sizes are bounded: the
// archive is untrusted input, and a small gzip can expand to gigabytes.
import { gunzipSync } from 'node:zlib';

export class ArchiveError extends Error {}

const BLOCK = 512;

export interface TarLimits {
  /** Bytes the decompressed archive may take. */
  readonly maxBytes: number;
}

/** Regular files by path (leading `/` and `./` removed), in archive order. */
export function readTarGz(gz: Uint8Array, limits: TarLimits): Map<string, Uint8Array> {
  let tar: Buffer;
  try {
    tar = gunzipSync(gz, { maxOutputLength: limits.maxBytes });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE')
      throw new ArchiveError(`the archive expands to more than ${limits.maxBytes} bytes`);
    throw new ArchiveError(`not a gzip file (${(e as Error).message})`);
  }
  return readTar(tar);
}

function field(block: Buffer, offset: number, length: number): string {
  const raw = block.subarray(offset, offset + length);
  const nul = raw.indexOf(0);
  return raw.subarray(0, nul < 0 ? raw.length : nul).toString('utf8');
}

function octal(block: Buffer, offset: number, length: number, what: string): number {
  const text = field(block, offset, length).trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw new ArchiveError(`bad ${what} field in a tar header: ${JSON.stringify(text)}`);
  return Number.parseInt(text, 8);
}

function checksumOk(block: Buffer): boolean {
  const text = field(block, 148, 8).trim();
  if (!/^[0-7]+$/.test(text)) return false;
  const want = Number.parseInt(text, 8);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i]!;
  return sum === want;
}

/** The `path` record of a PAX extended header (`<len> path=<value>\n` records). */
function paxPath(data: Buffer): string | undefined {
  let i = 0;
  let path: string | undefined;
  while (i < data.length) {
    const space = data.indexOf(0x20, i);
    if (space < 0) break;
    const length = Number(data.subarray(i, space).toString('ascii'));
    if (!Number.isInteger(length) || length <= 0 || i + length > data.length) break;
    const record = data.subarray(space + 1, i + length - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0 && record.slice(0, eq) === 'path') path = record.slice(eq + 1);
    i += length;
  }
  return path;
}

const normalize = (path: string) => path.replace(/^(\.?\/)+/, '');

export function readTar(tar: Buffer): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  let offset = 0;
  let longName: string | undefined;
  while (offset + BLOCK <= tar.length) {
    const header = tar.subarray(offset, offset + BLOCK);
    // Two zero blocks end the archive; one is enough to stop reading.
    if (header.every((b) => b === 0)) break;
    if (!checksumOk(header)) throw new ArchiveError(`not a tar archive (bad header checksum at byte ${offset})`);
    const size = octal(header, 124, 12, 'size');
    const type = String.fromCharCode(header[156] || 0x30);
    const start = offset + BLOCK;
    if (start + size > tar.length) throw new ArchiveError('the tar archive is truncated');
    const data = tar.subarray(start, start + size);
    offset = start + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'x') {
      longName = paxPath(data) ?? longName;
      continue;
    }
    if (type === 'L') {
      longName = field(data, 0, data.length);
      continue;
    }
    const prefix = field(header, 345, 155);
    const name = longName ?? (prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100));
    longName = undefined;
    // Regular files only ('0'; old archives write NUL, read as '0' above): folders, links and
    // devices carry no data a bundle uses.
    if (type === '0' || type === '7') files.set(normalize(name), new Uint8Array(data));
  }
  return files;
}
