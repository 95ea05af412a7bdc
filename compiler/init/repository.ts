// The files of a new mlspec repository (`mlspec init --cloud`): the platform config, a starter
// system, the JSON Schemas the modelines point at, the policy pack with parameters for this
// platform, CI workflows and a .gitignore. Computed whole before anything is written.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { compareCodeUnits } from '../../core/compare.js';
import { PUBLISHED_SCHEMAS, schemaJson, type SchemaName } from '../schema/json-schema.js';
import { OUT_WORK_FILES } from '../emit/staging.js';
import { CLOUD_FACTS, type Cloud } from './clouds.js';
import { clusterNames, platformConfig, REGISTRY } from './platform-template.js';
import { starterSpec } from './starter.js';
import { OUT_WORKFLOW, REVIEW_WORKFLOW } from './workflows.js';

export interface ScaffoldOptions {
  readonly cloud: Cloud;
  readonly team: string;
  /** The starter system's name. */
  readonly system: string;
  /** The installed package's folder (its policies/ are vendored). */
  readonly packageRoot: string;
  readonly version: string;
}

export interface ScaffoldFile {
  /** Relative to the repository, with `/`. */
  readonly path: string;
  readonly text: string;
}

const PACK = 'policies/mlspec';

/** The pack's parameters, with the storage regions of this platform's buckets. */
function packParameters(text: string, cloud: Cloud): string {
  const f = CLOUD_FACTS[cloud];
  const regions = `      "${f.bucket}/": ${f.region}`;
  const block = /( {4}storage_regions:\n)((?: {6}.*\n)+)/;
  if (!block.test(text)) throw new Error('internal: the pack parameters have no storage_regions block');
  return text.replace(block, `$1${regions}\n`);
}

function packFiles(packageRoot: string, cloud: Cloud): ScaffoldFile[] {
  const root = join(packageRoot, PACK);
  const files: ScaffoldFile[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => compareCodeUnits(a.name, b.name))) {
      const full = join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (/\.(rego|ya?ml|json)$/.test(e.name)) {
        const path = `${PACK}/${relative(root, full).split(sep).join('/')}`;
        const text = readFileSync(full, 'utf8');
        files.push({ path, text: e.name === 'params.yaml' ? packParameters(text, cloud) : text });
      }
    }
  };
  walk(root);
  return files;
}

const README = (o: ScaffoldOptions) => `# ML systems

Specs of our ML systems, compiled by [mlspec](https://www.npmjs.com/package/mlspec) ${o.version}
into the Kubernetes manifests in \`out/\` that Argo CD or Flux syncs.

| Path | What |
| --- | --- |
| \`specs/platform.yaml\` | the platform config: cluster profiles, teams, registries (platform team) |
| \`specs/*.yaml\` | one ML system each (ML teams) |
| \`specs/schema/\` | JSON Schemas for editors (\`mlspec schema\` prints them) |
| \`policies/mlspec/\` | the compliance policy pack, with \`params.yaml\`; add your own policies beside it |
| \`out/\` | rendered manifests: never edit, run \`mlspec compile\` |

    npx mlspec validate          # specs are valid and comply
    npx mlspec check             # the review a pull request gets
    npx mlspec compile           # writes out/
    npx mlspec policy test       # the policies' own tests
    npx mlspec init <name>       # adds a system
`;

const GITIGNORE = `node_modules/
# mlspec compile's lock and staging folders beside out/
${OUT_WORK_FILES}
`;

export function scaffold(o: ScaffoldOptions): ScaffoldFile[] {
  const f = CLOUD_FACTS[o.cloud];
  const schemas = (Object.keys(PUBLISHED_SCHEMAS) as SchemaName[]).map((name) => ({
    path: `specs/schema/${name}.schema.json`,
    text: schemaJson(name),
  }));
  return [
    { path: 'README.md', text: README(o) },
    { path: '.gitignore', text: GITIGNORE },
    { path: '.github/workflows/mlspec-review.yml', text: REVIEW_WORKFLOW },
    { path: '.github/workflows/mlspec-out.yml', text: OUT_WORKFLOW },
    { path: 'specs/platform.yaml', text: platformConfig({ cloud: o.cloud, team: o.team }) },
    {
      path: `specs/${o.system}.yaml`,
      text: starterSpec({
        name: o.system,
        team: o.team,
        clusters: clusterNames(o.cloud),
        registry: REGISTRY,
        bucket: `${f.bucket}`,
        region: f.region,
      }),
    },
    ...schemas,
    ...packFiles(o.packageRoot, o.cloud),
  ];
}
