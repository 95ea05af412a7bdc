// What every Feast container of a system shares: the platform's Feast image, the feature
// repository mounted read-only at /etc/feast, the online store credentials from the cluster
// profile's Secret (as env vars feature_store.yaml refers to), and an environment that suits
// a read-only root filesystem (no bytecode cache, HOME on /tmp, Feast's usage telemetry off).
import * as kplus from 'cdk8s-plus-28';
import type { Resources } from '../../schema/common.js';
import type { RenderContext } from '../base/context.js';
import { FEAST_REPO_DIR, ONLINE_STORE_SECRET_ENV } from './store-config.js';
import { FEATURE_METRICS } from '../base/feature-metrics.js';
import { secureContainer, type SecurePod, type SecureContainerProps } from '../base/workload.js';

/** Port of the Prometheus endpoint of freshness.py and ingest.py. */
export const FEATURE_METRICS_PORT = 9102;
export const FEATURE_METRICS_PORT_NAME = 'metrics';
/** Pod label of the pods that serve FEATURE_METRICS (the metrics Service selects on it). */
export const FEATURE_METRICS_LABEL = 'mlspec.io/feature-metrics';

/** Requests and limits of the Feast workloads; the spec has none for them. */
export const FEATURE_RESOURCES = {
  server: { cpu: '500m', memory: '1Gi' },
  freshness: { cpu: '50m', memory: '256Mi' },
  materialize: { cpu: '1', memory: '2Gi', ephemeralStorage: '4Gi' },
  ingest: { cpu: '250m', memory: '512Mi' },
  apply: { cpu: '250m', memory: '512Mi' },
} as const satisfies Record<string, Resources>;

export interface FeatureRepo {
  readonly configMap: kplus.ConfigMap;
  /**
   * Digest of what long-running Feast processes read only at start (configs and scripts, not
   * features.py: the definitions reach them through the registry). On their pod templates, so
   * a change restarts them.
   */
  readonly startupDigest: string;
}

export const FEATURE_REPO_DIGEST_ANNOTATION = 'mlspec.io/feature-repo-digest';

export interface FeatureContainerProps extends Omit<SecureContainerProps, 'image' | 'mounts'> {
  /** Extra env vars from Secrets: name → Secret key (optional keys may be absent). */
  readonly secretEnv?: readonly SecretEnv[];
}

export interface SecretEnv {
  readonly env: string;
  readonly secret: string;
  readonly key: string;
  readonly optional: boolean;
}

/** The profile's online store Secret, as the env vars feature_store.yaml expands. */
export function onlineStoreSecretEnv(ctx: RenderContext): SecretEnv[] {
  const store = ctx.system.cluster.featureStore.onlineStore;
  return ONLINE_STORE_SECRET_ENV[store.type].map((e) => ({
    env: e.env,
    secret: store.secretName,
    key: e.key,
    optional: e.optional,
  }));
}

function secretRef(ctx: RenderContext, name: string): kplus.ISecret {
  const id = `Secret-ref-${name}`;
  return (
    (ctx.chart.node.tryFindChild(id) as kplus.ISecret | undefined) ?? kplus.Secret.fromSecretName(ctx.chart, id, name)
  );
}

/** The repository volume of one pod (shared by its Feast containers). */
export function repoVolume(ctx: RenderContext, repo: FeatureRepo, workload: string): kplus.Volume {
  return kplus.Volume.fromConfigMap(ctx.chart, `Volume-${workload}-feast-repo`, repo.configMap, { name: 'feast-repo' });
}

/** A Feast container: the platform image, the repository, the online store credentials. */
export function featureContainer(
  ctx: RenderContext,
  repo: kplus.Volume,
  pod: SecurePod,
  props: FeatureContainerProps,
): kplus.ContainerProps {
  const base = secureContainer(
    {
      ...props,
      image: ctx.system.platform.images.featureServer,
      env: {
        HOME: '/tmp',
        PYTHONDONTWRITEBYTECODE: '1',
        PYTHONUNBUFFERED: '1',
        FEAST_USAGE: 'False',
        MLSPEC_FEAST_REPO: FEAST_REPO_DIR,
        MLSPEC_SYSTEM: ctx.system.name,
        MLSPEC_FRESHNESS_METRIC: FEATURE_METRICS.lastEventTimestamp,
        MLSPEC_METRICS_PORT: String(FEATURE_METRICS_PORT),
        ...(props.env ?? {}),
      },
      mounts: [{ volume: repo, path: FEAST_REPO_DIR, readOnly: true }],
    },
    pod,
  );
  const secrets = [...onlineStoreSecretEnv(ctx), ...(props.secretEnv ?? [])];
  const fromSecrets = Object.fromEntries(
    secrets.map((e) => [
      e.env,
      kplus.EnvValue.fromSecretValue({ secret: secretRef(ctx, e.secret), key: e.key }, { optional: e.optional }),
    ]),
  );
  return { ...base, envVariables: { ...(base.envVariables ?? {}), ...fromSecrets } };
}
