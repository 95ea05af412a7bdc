// The pull-request comment: a verdict and summary table, what the change does to each
// environment, the findings grouped by system and severity (linked to the spec lines), and a
// diagram of each changed system. Long parts fold away, so it stays readable at 50 systems.
import { compareCodeUnits } from '../../../core/compare.js';
import { abMarkdown } from '../../experiment/report.js';
import { delta } from '../changes.js';
import { experimentSummary } from '../experiments.js';
import type { Amounts } from '../../render/base/footprint.js';
import { type CheckReport, reportPasses, where } from '../report.js';
import type { LocatedFinding } from '../review.js';

/** The comment starts with this marker, so a workflow can find and update its own comment. */
export const MARKDOWN_MARKER = '<!-- mlspec-review -->';

const md = (s: string) => s.replace(/[|\\`*_<>[\]]/g, (c) => `\\${c}`).replace(/\n/g, ' ');
const SEVERITIES = ['deny', 'warn', 'info'] as const;

function cpu(n: number): string {
  const v = Math.round(n * 1000) / 1000;
  return `${v > 0 ? '+' : ''}${v}`;
}

function bytes(n: number): string {
  const gib = n / 2 ** 30;
  const v = Math.abs(gib) >= 1 ? `${Math.round(gib * 100) / 100} GiB` : `${Math.round((n / 2 ** 20) * 10) / 10} MiB`;
  return `${n > 0 ? '+' : ''}${v}`;
}

const change = (a: Amounts, b: Amounts) => {
  const d = delta(a, b);
  return `${cpu(d.cpu)} / ${bytes(d.memory)} / ${d.gpu > 0 ? '+' : ''}${d.gpu}`;
};

function findingLine(f: LocatedFinding, report: CheckReport): string {
  const at = where(f);
  const link = f.location ? report.link?.(f.location.file, f.location.line) : undefined;
  const place = at ? (link ? `[\`${at}\`](${link})` : `\`${at}\``) : '';
  const env = f.environment ? `**${md(f.environment)}**: ` : '';
  const waived = f.waiver ? ` _(waived until ${f.waiver.expires}: ${md(f.waiver.justification)})_` : '';
  const fix = f.remediation && !f.waiver ? `<br>Fix: ${md(f.remediation)}` : '';
  return `- ${env}${md(f.message)} — ${md(f.title)} (\`${f.policy}\`) ${place}${waived}${fix}`;
}

export function markdownReport(report: CheckReport): string {
  const out: string[] = [MARKDOWN_MARKER];
  const review = report.review;
  const ok = reportPasses(report);
  const c = review?.counts ?? { deny: 0, warn: 0, info: 0, waived: 0 };
  out.push(`## mlspec review: ${ok ? '✅ compliant' : '❌ changes needed'}`, '');
  if (report.policiesSkipped) out.push('> **Compliance policies were skipped (`--no-policies`).**', '');
  if (report.diagnostics.length > 0) {
    out.push('### Problems that stop the check', '');
    for (const d of report.diagnostics) {
      const at = d.location ? `\`${d.location.file}:${d.location.line}:${d.location.column}\` ` : '';
      out.push(`- ${at}**${md(d.code)}**: ${md(d.message)}${d.hint ? `<br>${md(d.hint)}` : ''}`);
    }
    out.push('');
  }
  if (review) {
    const systems = new Set(review.checked.map((k) => k.split('/')[1]));
    out.push(
      `${systems.size} system(s) in ${review.checked.length} system-environment(s), ${review.policies.length} ` +
        `policies: **${c.deny} deny**, ${c.warn} warn, ${c.info} info, ${c.waived} waived.`,
      '',
    );
  }
  if (report.changes) {
    out.push(`### What changes in the cluster (against \`${md(report.changes.base)}\`)`, '');
    const envs = report.changes.environments.filter(
      (e) => e.added + e.changed + e.removed > 0 || JSON.stringify(e.before) !== JSON.stringify(e.after),
    );
    if (envs.length === 0) out.push('Nothing: the rendered manifests are identical.', '');
    else {
      out.push(
        '| Environment | Files added | changed | removed | Requests: CPU / memory / GPU | Limits: CPU / memory / GPU |',
        '| --- | ---: | ---: | ---: | --- | --- |',
      );
      for (const e of envs)
        out.push(
          `| ${md(e.environment)} | ${e.added} | ${e.changed} | ${e.removed} | ` +
            `${change(e.before.requests, e.after.requests)} | ${change(e.before.limits, e.after.limits)} |`,
        );
      out.push('', `<details><summary>${report.changes.files.length} file(s)</summary>`, '');
      for (const f of report.changes.files) out.push(`- ${f.change}: \`${md(f.path)}\``);
      out.push('', '</details>', '');
    }
  }
  if (report.experiments && report.experiments.length > 0) {
    out.push('### A/B tests whose weights change', '');
    for (const e of report.experiments) {
      out.push(`- ${md(experimentSummary(e))}`);
      for (const d of e.problems ?? []) {
        const at = d.location ? `\`${d.location.file}:${d.location.line}\` ` : '';
        out.push(`  - ${at}**${md(d.code)}**: ${md(d.message)}`);
      }
    }
    out.push('');
    for (const e of report.experiments)
      if (e.report) out.push('<details open>', '', abMarkdown(e.report), '</details>', '');
  }
  if (review && review.findings.length > 0) {
    out.push('### Findings', '');
    const bySystem = new Map<string, LocatedFinding[]>();
    for (const f of review.findings) bySystem.set(f.system, [...(bySystem.get(f.system) ?? []), f]);
    for (const system of [...bySystem.keys()].sort(compareCodeUnits)) {
      const list = bySystem.get(system)!;
      const denied = list.filter((f) => f.severity === 'deny' && !f.waiver).length;
      const counts = SEVERITIES.map((s) => `${list.filter((f) => f.severity === s && !f.waiver).length} ${s}`);
      const waived = list.filter((f) => f.waiver).length;
      out.push(
        `<details${denied > 0 ? ' open' : ''}><summary><b>${md(system)}</b>: ${counts.join(', ')}, ${waived} ` +
          `waived</summary>`,
        '',
      );
      for (const s of SEVERITIES) {
        const here = list.filter((f) => f.severity === s);
        if (here.length === 0) continue;
        out.push(`**${s}**`, '', ...here.map((f) => findingLine(f, report)), '');
      }
      out.push('</details>', '');
    }
  }
  if (report.diagrams && report.diagrams.size > 0) {
    out.push(report.changes ? '### Changed systems' : '### Systems', '');
    for (const name of [...report.diagrams.keys()].sort(compareCodeUnits)) {
      out.push(`<details><summary>${md(name)}</summary>`, '', '```mermaid', report.diagrams.get(name)!, '```', '');
      out.push('</details>', '');
    }
  }
  out.push(`<sub>${report.tool.name} ${md(report.tool.version)}</sub>`, '');
  return out.join('\n');
}
