// The files of a new mlspec repository (`mlspec init --cloud`): the platform config, a starter
// system, the JSON Schemas the modelines point at, the policy pack with parameters for this
// platform, CI workflows and a .gitignore. Computed whole before anything is written.
import { readFileSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { filesUnder } from '../../core/files.js';
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
  return filesUnder(root, (name) => /\.(rego|ya?ml|json)$/.test(name)).map((full) => {
    const text = readFileSync(full, 'utf8');
    return {
      path: `${PACK}/${relative(root, full).split(sep).join('/')}`,
      text: basename(full) === 'params.yaml' ? packParameters(text, cloud) : text,
    };
  });
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
