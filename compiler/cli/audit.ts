import type { KeyObject } from 'node:crypto';
import { type Dirent, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { sha256Hex } from '../../core/hash.js';
import { loadPublicKey } from '../audit/dsse.js';
import { compareWithOut, verifyLog } from '../audit/log.js';
import { type CliIO, type Command, EXIT, parseCommandArgs, UsageError } from './io.js';

export const DEFAULT_AUDIT_LOG = 'audit/provenance.jsonl';
export const DEFAULT_PUBLIC_KEY = 'audit/signing-key.pub';

const help = `Usage: mlspec audit verify [--log FILE] [--public-key FILE] [--out DIR]

Verify the audit log that \`mlspec check --record\` appends to: recompute the hash chain, check
every record's signature (DSSE, Ed25519) with the public key, and check that the output folder is
exactly what the latest record says was rendered. Reports every edited, deleted, reordered or
forged record and every file that differs, with its line.

Options:
  --log FILE         the log (default ${DEFAULT_AUDIT_LOG})
  --public-key FILE  the Ed25519 public key, PEM (default ${DEFAULT_PUBLIC_KEY}); keep a copy
                     outside the repository: a key in the repository proves nothing by itself
  --out DIR          the output folder (default out)
  -h, --help         show this help

Exit codes: 0 the log and the output verify, 1 something was tampered with, 2 usage.`;

function filesUnder(root: string, dir = root): Map<string, string> {
  const out = new Map<string, string>();
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const full = join(dir, e.name);
    if (e.isDirectory()) for (const [k, v] of filesUnder(root, full)) out.set(k, v);
    else if (e.isFile()) out.set(relative(root, full).split('\\').join('/'), sha256Hex(readFileSync(full)));
  }
  return out;
}

export const auditCommand: Command = {
  name: 'audit',
  help,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseCommandArgs(argv, {
      log: { type: 'string' },
      'public-key': { type: 'string' },
      out: { type: 'string' },
    });
    if (positionals[0] !== 'verify' || positionals.length !== 1) throw new UsageError('the subcommand is `verify`');
    const logFile = resolve(io.cwd, values.log ?? DEFAULT_AUDIT_LOG);
    let key: KeyObject;
    try {
      key = loadPublicKey(readFileSync(resolve(io.cwd, values['public-key'] ?? DEFAULT_PUBLIC_KEY), 'utf8'));
    } catch (e) {
      throw new UsageError(`cannot read the public key: ${(e as Error).message}`);
    }
    const result = verifyLog(logFile, key);
    if (result.records === 0) {
      io.stderr(`mlspec audit: ${values.log ?? DEFAULT_AUDIT_LOG} holds no records\n`);
      return EXIT.findings;
    }
    const outShown = values.out ?? 'out';
    const actual = new Map(
      [...filesUnder(resolve(io.cwd, outShown))].map(([path, sha]) => [`${outShown}/${path}`, sha] as const),
    );
    const problems = [...result.problems];
    if (result.latest) problems.push(...compareWithOut(result.latest.subject, actual));
    else
      problems.push({ line: result.records, message: 'the latest record does not verify, so out/ cannot be checked' });
    const shown = values.log ?? DEFAULT_AUDIT_LOG;
    for (const p of problems) io.stderr(`${p.line > 0 ? `${shown}:${p.line}` : outShown}: ${p.message}\n`);
    if (problems.length > 0) {
      io.stderr(`${problems.length} problem(s): the audit trail does not verify\n`);
      return EXIT.findings;
    }
    io.stdout(`${result.records} record(s) verified; ${outShown}/ matches the latest (${actual.size} files)\n`);
    return EXIT.ok;
  },
};
