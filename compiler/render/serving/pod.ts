// The pod of a serving tier. Init containers run in order: one fetcher per model variant
// (the platform's fetch image, `modelFetchCommand <uri> <path>`), then the runtime image with
// `--verify-only`, which refuses any file whose sha256 differs from the config. The runtime
// then serves every variant from the shared, read-only /models volume.
import { HTTP_PORT_NAME } from '../base/serving-mode.js';
import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import type { ServingTier } from '../../schema/serving.js';
import type { Variant } from '../../../runtime/contract/config.js';
import type { RenderContext } from '../base/context.js';
import { secureContainer, type SecurePod } from '../base/workload.js';
import { MODELS_DIR } from '../base/traffic-split.js';
import { EVENTS_DIR, RUNTIME_PORT } from './runtime-config.js';
import type { Resources } from '../../schema/common.js';

export const CONFIG_DIR = '/etc/mlspec';
export const RUNTIME_CONTAINER = 'runtime';

/** Fetchers and the verifier are short-lived; the download itself lands on the models volume. */
const INIT_RESOURCES = { cpu: '250m', memory: '256Mi' } as const;

export interface ServingPodProps {
  readonly tier: ServingTier;
  readonly pod: SecurePod;
  readonly configMap: kplus.ConfigMap;
  /** Config file (key of the ConfigMap) this revision runs. */
  readonly configFile: string;
  /** Variants whose files the init containers fetch. */
  readonly variants: readonly Variant[];
  /** Mount a writable events folder (A/B assignment stream). */
  readonly events: boolean;
}

export interface ServingContainers {
  readonly initContainers: kplus.ContainerProps[];
  readonly containers: kplus.ContainerProps[];
}

export function servingContainers(ctx: RenderContext, props: ServingPodProps): ServingContainers {
  const id = `Volume-${props.pod.selector['app.kubernetes.io/name']}`;
  const config = kplus.Volume.fromConfigMap(ctx.chart, `${id}-config`, props.configMap, { name: 'config' });
  const models = kplus.Volume.fromEmptyDir(ctx.chart, `${id}-models`, 'models');
  const configPath = `${CONFIG_DIR}/${props.configFile}`;
  const images = ctx.system.platform.images;
  // The downloads share the pod's ephemeral storage with the runtime (emptyDir on disk).
  const initResources: Resources = {
    ...INIT_RESOURCES,
    ...(props.tier.resources.ephemeralStorage ? { ephemeralStorage: props.tier.resources.ephemeralStorage } : {}),
  };

  const fetchers = props.variants.map((v) =>
    secureContainer(
      {
        name: `fetch-${v.name}`.slice(0, 63).replace(/-+$/, ''),
        image: images.modelFetcher,
        command: [...images.modelFetchCommand, v.uri ?? '', v.path],
        // Fetch tools keep caches and config under $HOME; the root filesystem is read-only.
        env: { HOME: '/tmp' },
        resources: initResources,
        mounts: [{ volume: models, path: MODELS_DIR }],
      },
      props.pod,
    ),
  );
  const verify = secureContainer(
    {
      name: 'verify-models',
      image: images.runtime,
      command: ['mlspec', 'serve', '--config', configPath, '--verify-only'],
      resources: initResources,
      mounts: [
        { volume: config, path: CONFIG_DIR, readOnly: true },
        { volume: models, path: MODELS_DIR, readOnly: true },
      ],
    },
    props.pod,
  );
  const mounts = [
    // The whole folder, not a subPath: the kubelet then updates the file in place and the
    // runtime hot-reloads it (weights, thresholds) without a restart.
    { volume: config, path: CONFIG_DIR, readOnly: true },
    { volume: models, path: MODELS_DIR, readOnly: true },
    ...(props.events
      ? [{ volume: kplus.Volume.fromEmptyDir(ctx.chart, `${id}-events`, 'events'), path: EVENTS_DIR }]
      : []),
  ];
  const probe = (path: string, failureThreshold: number) =>
    kplus.Probe.fromHttpGet(path, {
      port: RUNTIME_PORT,
      periodSeconds: Duration.seconds(5),
      timeoutSeconds: Duration.seconds(2),
      failureThreshold,
    });
  const runtime = secureContainer(
    {
      name: RUNTIME_CONTAINER,
      image: images.runtime,
      command: ['mlspec', 'serve', '--config', configPath],
      resources: props.tier.resources,
      ports: [{ name: HTTP_PORT_NAME, number: RUNTIME_PORT }],
      mounts,
      // Live while models load; ready once every variant is loaded and verified.
      liveness: probe('/v2/health/live', 6),
      readiness: probe('/v2/health/ready', 2),
      startup: probe('/v2/health/live', 30),
    },
    props.pod,
  );
  return { initContainers: [...fetchers, verify], containers: [runtime] };
}
