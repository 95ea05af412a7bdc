import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync } from 'node:fs';
const { writeFixture, requestBody } = await import('/work/main/dist/bench/runtime-fixture.js');
const dir = mkdtempSync('/tmp/advrt-'); const { configPath } = writeFixture(dir);
const log = dir + '/o'; const fd = openSync(log, 'w');
const child = spawn(process.execPath, ['/work/main/dist/bench/runtime-sidecar.js', configPath], { stdio: ['ignore', fd, fd] });
let port; while (!port) { await new Promise((r) => setTimeout(r, 50)); const m = /"port":(\d+)/.exec(readFileSync(log, 'utf8')); if (m) port = +m[1]; }
const url = `http://127.0.0.1:${port}/v2/models/bench/infer`;
const good = JSON.parse(requestBody());
const cases = {
  deep: '['.repeat(200000) + ']'.repeat(200000),
  deepObj: '{"inputs":' + '['.repeat(100000) + ']'.repeat(100000) + '}',
  hugeShape: JSON.stringify({ inputs: [{ ...good.inputs[0], shape: [1e9, 1e9] }] }),
  floatShape: JSON.stringify({ inputs: [{ ...good.inputs[0], shape: [1.5, 32] }] }),
  strData: JSON.stringify({ inputs: [{ ...good.inputs[0], data: good.inputs[0].data.map(String) }] }),
  nullData: JSON.stringify({ inputs: [{ ...good.inputs[0], data: good.inputs[0].data.map(() => null) }] }),
  bigNum: JSON.stringify({ inputs: [{ ...good.inputs[0], data: good.inputs[0].data.map(() => 1e300) }] }),
  nestedData: JSON.stringify({ inputs: [{ ...good.inputs[0], data: [[[[good.inputs[0].data]]]] }] }),
  protoKey: '{"__proto__": {"x": 1}, "inputs": []}',
  emptyBody: '',
  arrayBody: '[]',
  good: requestBody(),
};
for (const [name, body] of Object.entries(cases)) {
  try { const r = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json' } }); const t = await r.text(); console.log(name.padEnd(11), r.status, t.slice(0, 150)); } catch (e) { console.log(name, 'FETCH ERROR', e.message); }
}
const r = await fetch(url.replace('/infer', '/infer?x=1'), { method: 'POST', body: requestBody() }); console.log('query', r.status);
const r2 = await fetch(`http://127.0.0.1:${port}/v2/models/%E0%A4%A/infer`, { method: 'POST', body: requestBody() }); console.log('badpct', r2.status, await r2.text());
child.kill(); await new Promise((r) => child.on('exit', r));
console.log('--- server log tail'); console.log(readFileSync(log, 'utf8').split('\n').filter((l) => /error|Error|at /.test(l)).slice(0, 10).join('\n'));
