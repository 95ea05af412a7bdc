// The audit log: one signed provenance record per line (JSON), each line naming the sha256 of
// the line before it, so a record edited, deleted, reordered or inserted breaks the chain. A
// record is appended only when what was rendered or decided changed (keyed by their digests),
// so running the review again adds nothing and `compile --check` never sees the log.
import { replaceFile } from '../../core/files.js';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { KeyObject } from 'node:crypto';
import { dirname } from 'node:path';
import { canonicalJson } from '../../core/canonical-json.js';
import { sha256Hex } from '../../core/hash.js';
import { type Envelope, IN_TOTO_PAYLOAD_TYPE, signEnvelope, verifyEnvelope } from './dsse.js';
import {
  contentDigestOf,
  decisionsDigestOf,
  PREDICATE_TYPE,
  STATEMENT_TYPE,
  type Statement,
  type Subject,
} from './provenance.js';

export const GENESIS = '0'.repeat(64);

export interface LogRecord {
  readonly index: number;
  /** sha256 of the previous line's text (GENESIS for the first). */
  readonly previous: string;
  /** `<contentDigest>:<decisionsDigest>` of the statement. */
  readonly key: string;
  readonly recordedAt: string;
  readonly envelope: Envelope;
}

const keyOf = (s: Statement) => `${s.predicate.contentDigest}:${s.predicate.decisionsDigest}`;

function readLines(file: string): string[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '');
}

/** Append a signed record of `statement` unless the last record already says the same; true when appended. */
export function appendRecord(file: string, statement: Statement, key: KeyObject, now: Date): boolean {
  const lines = readLines(file);
  const last = lines.length ? (JSON.parse(lines[lines.length - 1]!) as LogRecord) : undefined;
  if (last && last.key === keyOf(statement)) return false;
  const record: LogRecord = {
    index: lines.length,
    previous: lines.length ? sha256Hex(lines[lines.length - 1]!) : GENESIS,
    key: keyOf(statement),
    recordedAt: now.toISOString(),
    envelope: signEnvelope(Buffer.from(canonicalJson(statement)), IN_TOTO_PAYLOAD_TYPE, key),
  };
  mkdirSync(dirname(file), { recursive: true });
  replaceFile(file, `${[...lines, canonicalJson(record)].join('\n')}\n`);
  return true;
}

export interface AuditProblem {
  /** 1-based line of the log, or 0 for problems with out/. */
  readonly line: number;
  readonly message: string;
}

export interface AuditResult {
  readonly records: number;
  readonly problems: AuditProblem[];
  /** The last record's statement, when it verified. */
  readonly latest?: Statement;
}

/** Recompute the chain and every signature; each problem names its line. */
export function verifyLog(file: string, publicKey: KeyObject): AuditResult {
  const lines = readLines(file);
  const problems: AuditProblem[] = [];
  let latest: Statement | undefined;
  lines.forEach((text, i) => {
    const line = i + 1;
    let record: LogRecord;
    try {
      record = JSON.parse(text) as LogRecord;
    } catch {
      problems.push({ line, message: 'not a JSON record' });
      latest = undefined;
      return;
    }
    if (record.index !== i)
      problems.push({ line, message: `record ${record.index} is at position ${i} (reordered, inserted or deleted)` });
    const expected = i === 0 ? GENESIS : sha256Hex(lines[i - 1]!);
    if (record.previous !== expected)
      problems.push({ line, message: 'the chain is broken: the record before it was edited, deleted or reordered' });
    if (!record.envelope || !verifyEnvelope(record.envelope, publicKey)) {
      problems.push({ line, message: 'the signature does not verify with the public key (forged or edited)' });
      latest = undefined;
      return;
    }
    let statement: Statement;
    try {
      statement = JSON.parse(Buffer.from(record.envelope.payload, 'base64').toString('utf8')) as Statement;
    } catch {
      problems.push({ line, message: 'the signed payload is not JSON' });
      latest = undefined;
      return;
    }
    const p = statement.predicate;
    const consistent =
      statement._type === STATEMENT_TYPE &&
      statement.predicateType === PREDICATE_TYPE &&
      p.contentDigest === contentDigestOf(statement.subject) &&
      p.decisionsDigest === decisionsDigestOf(p.decisions, p.waivers) &&
      record.key === keyOf(statement);
    if (!consistent) problems.push({ line, message: 'the statement does not match its own digests' });
    latest = statement;
  });
  return { records: lines.length, problems, ...(latest ? { latest } : {}) };
}

/** Files of the output folder that differ from what the latest record says was rendered. */
export function compareWithOut(subjects: readonly Subject[], actual: ReadonlyMap<string, string>): AuditProblem[] {
  const problems: AuditProblem[] = [];
  const recorded = new Map(subjects.map((s) => [s.name, s.digest.sha256]));
  for (const [name, sha] of actual) {
    const want = recorded.get(name);
    if (want === undefined) problems.push({ line: 0, message: `${name} is not in the latest record` });
    else if (want !== sha) problems.push({ line: 0, message: `${name} differs from the latest record` });
  }
  for (const name of recorded.keys())
    if (!actual.has(name)) problems.push({ line: 0, message: `${name} is in the latest record but missing` });
  return problems;
}
