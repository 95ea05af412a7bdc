// Runs all OPA conformance cases and prints the pass rate per topic.
//   node dist/bench/rego-conformance.js            print the table
//   node dist/bench/rego-conformance.js --update   also rewrite test/rego/conformance/{passing.txt,skipped.tsv}
//                                                  and test/rego/CONFORMANCE.md
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCases, repoRoot, runCaseSafely } from '../test/rego/conformance/harness.js';
import { conformanceMarkdown, readSkipped, topicRows, writeLists } from '../test/rego/conformance/lists.js';

const update = process.argv.includes('--update');
const started = Date.now();
const results = loadCases().map((c) => ({ c, o: runCaseSafely(c) }));
const rows = topicRows(results.map(({ c, o }) => ({ c, pass: o.pass })));

const width = Math.max(...rows.map((r) => r.topic.length));
for (const r of rows) {
  const mark = r.pass === r.total ? ' ' : '*';
  const counts = `${String(r.pass).padStart(4)}/${String(r.total).padEnd(4)}`;
  process.stdout.write(`${mark} ${r.topic.padEnd(width)}  ${counts}${r.core ? '' : '  (network/crypto keys)'}\n`);
}
const pass = results.filter((r) => r.o.pass).length;
const core = results.filter((r) => rows.find((x) => x.topic === r.c.topic)!.core);
const corePass = core.filter((r) => r.o.pass).length;
const percent = (n: number, of: number) => ((100 * n) / of).toFixed(1);
process.stdout.write(
  `\nall: ${pass}/${results.length} (${percent(pass, results.length)} %)  ` +
    `core: ${corePass}/${core.length} (${percent(corePass, core.length)} %)  in ${Date.now() - started} ms\n`,
);

if (update) {
  writeLists(results);
  writeFileSync(join(repoRoot(), 'test', 'rego', 'CONFORMANCE.md'), conformanceMarkdown(rows, readSkipped()));
  process.stdout.write('updated test/rego/conformance/passing.txt, skipped.tsv and test/rego/CONFORMANCE.md\n');
}
