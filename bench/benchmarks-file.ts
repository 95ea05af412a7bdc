// BENCHMARKS.md holds one section per benchmark, each starting with its own `## ` heading. A
// benchmark replaces only its section (up to the next heading) and leaves the others alone.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export function writeSection(file: string, heading: string, section: string): void {
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const start = current.indexOf(heading);
  let next: string;
  if (start < 0) next = `${current.trimEnd()}\n\n${section.trimEnd()}\n`;
  else {
    const after = current.indexOf('\n## ', start + 1);
    next = `${current.slice(0, start) + section.trimEnd()}\n${after < 0 ? '' : `\n${current.slice(after + 1)}`}`;
  }
  writeFileSync(file, next);
}
