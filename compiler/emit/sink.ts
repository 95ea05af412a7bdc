// Where compiled files go. A sink is described by plain data (`SinkSpec`), so that render workers
// can open the same sink in their thread and hand it their systems' files as soon as each system
// is rendered; only small receipts travel back. Three sinks:
//
//   memory     keep the files (tests): the tree is assembled at the end
//   digests    keep each file's sha256 only (`check`: what a change does to out/)
//   none       keep nothing (`validate`: only the policy findings matter)
//   directory  write into a staged folder that `finish` swaps in as `out/` (atomic)
//   compare    write nothing; compare with `out/` (`compile --check`)
import type { Diagnostic } from '../../core/diagnostics/diagnostic.js';
import { compareFiles, checkResult, type CheckResult } from './check.js';
import { assemble, type FileTree, type SystemEntry, type SystemOutput } from './layout.js';
import { sha256Hex } from '../../core/hash.js';
import { commitTree, discardTree, fileTarget, stageTree, writeFiles, type StagedTree } from './write.js';

export type SinkSpec =
  | { readonly kind: 'memory' | 'digests' | 'none' }
  | { readonly kind: 'directory'; readonly root: string; readonly current: string }
  | { readonly kind: 'compare'; readonly outDir: string };

/** What a sink reports for one system's files. */
export type Receipt =
  | { readonly kind: 'memory'; readonly files: readonly (readonly [string, string])[] }
  | { readonly kind: 'digests'; readonly digests: readonly (readonly [string, string])[] }
  | { readonly kind: 'none' }
  | { readonly kind: 'directory' }
  | {
      readonly kind: 'compare';
      readonly differing: readonly string[];
      readonly missing: readonly string[];
      readonly paths: readonly string[];
    };

/** Takes one system's files, in whichever thread rendered them. */
export function accept(spec: SinkSpec, out: SystemOutput): Receipt {
  switch (spec.kind) {
    case 'memory':
      return { kind: 'memory', files: out.files };
    case 'digests':
      return { kind: 'digests', digests: out.files.map(([path, content]) => [path, sha256Hex(content)] as const) };
    case 'none':
      return { kind: 'none' };
    case 'directory':
      writeFiles({ root: spec.root, current: spec.current }, out.files);
      return { kind: 'directory' };
    case 'compare': {
      const compared = compareFiles(spec.outDir, out.files);
      return { kind: 'compare', ...compared, paths: out.files.map(([path]) => path) };
    }
  }
}

/** What the whole run produced, per sink. */
export type SinkResult =
  | { readonly kind: 'memory'; readonly tree: FileTree }
  | { readonly kind: 'digests'; readonly digests: FileTree }
  | { readonly kind: 'none' }
  /** `warnings`: what could not be cleaned up beside `out/` (it was written all the same). */
  | { readonly kind: 'directory'; readonly warnings: readonly Diagnostic[] }
  | { readonly kind: 'compare'; readonly check: CheckResult };

/** A sink opened in the main thread: its spec for workers, and how the run ends. */
export interface OpenSink {
  readonly spec: SinkSpec;
  /** Environment-level files added, and the result made final (for a directory, swapped in). */
  finish(receipts: readonly SystemReceipt[], environmentFiles: readonly [string, string][]): Promise<SinkResult>;
  /** Give up: nothing is left behind and `out/` stays as it was. */
  abandon(): Promise<void>;
}

export interface SystemReceipt {
  readonly entry: SystemEntry;
  readonly receipt: Receipt;
}

export type SinkRequest =
  | { readonly kind: 'memory' | 'digests' | 'none' }
  | { readonly kind: 'directory'; readonly outDir: string; readonly environments?: readonly string[] }
  | { readonly kind: 'compare'; readonly outDir: string; readonly environments?: readonly string[] };

export async function openSink(request: SinkRequest): Promise<OpenSink> {
  switch (request.kind) {
    case 'memory':
      return {
        spec: { kind: 'memory' },
        async finish(receipts, environmentFiles) {
          const files = receipts.flatMap(({ receipt }) => (receipt.kind === 'memory' ? receipt.files : []));
          return { kind: 'memory', tree: assemble([...files, ...environmentFiles]) };
        },
        async abandon() {},
      };
    case 'digests':
      return {
        spec: { kind: 'digests' },
        async finish(receipts, environmentFiles) {
          const digests = receipts.flatMap(({ receipt }) => (receipt.kind === 'digests' ? receipt.digests : []));
          const envDigests = environmentFiles.map(([path, content]) => [path, sha256Hex(content)] as const);
          return { kind: 'digests', digests: assemble([...digests, ...envDigests]) };
        },
        async abandon() {},
      };
    case 'none':
      return { spec: { kind: 'none' }, finish: async () => ({ kind: 'none' }), async abandon() {} };
    case 'directory':
      return directorySink(
        await stageTree(request.outDir, request.environments ? { environments: request.environments } : {}),
      );
    case 'compare': {
      const { outDir, environments } = request;
      return {
        spec: { kind: 'compare', outDir },
        async finish(receipts, environmentFiles) {
          const compared = { differing: [] as string[], missing: [] as string[] };
          const produced: string[] = [];
          for (const { receipt } of receipts) {
            if (receipt.kind !== 'compare') continue;
            compared.differing.push(...receipt.differing);
            compared.missing.push(...receipt.missing);
            produced.push(...receipt.paths);
          }
          compareFiles(outDir, environmentFiles, compared);
          produced.push(...environmentFiles.map(([path]) => path));
          return { kind: 'compare', check: await checkResult(outDir, compared, produced, environments) };
        },
        async abandon() {},
      };
    }
  }
}

function directorySink(staged: StagedTree): OpenSink {
  const target = fileTarget(staged);
  return {
    spec: { kind: 'directory', root: target.root, current: staged.outDir },
    async finish(_, environmentFiles) {
      writeFiles(target, environmentFiles);
      return { kind: 'directory', warnings: await commitTree(staged) };
    },
    abandon: () => discardTree(staged),
  };
}
