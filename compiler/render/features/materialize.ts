// Materialization: one CronJob per online feature view, on the view's `materializeSchedule`
// (default hourly), running
//   feast --chdir /etc/feast [--feature-store-yaml <config of the view's offline kind>]
//         materialize-incremental <now, UTC> --views <view>
// which loads everything newer than the view's last materialized interval from its batch
// source into the online store, and records the new interval in the registry (which is what
// freshness.py reports). One job per view keeps schedules independent and a failing source
// from blocking the others. Runs never overlap (Forbid): an incremental run covers whatever
// a skipped one would have. All views share one ServiceAccount and one NetworkPolicy: they
// need the same access.
import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import type { RenderContext } from '../base/context.js';
import type { ObjectRole } from '../base/labels.js';
import { sanitize } from '../base/names.js';
import { serviceAccount } from '../base/identity.js';
import { securePod } from '../base/workload.js';
import { allowTraffic, onlineStoreRule } from '../base/network-policy.js';
import { configFileFor, FEAST_REPO_DIR, offlineKind, PRIMARY_CONFIG } from './store-config.js';
import { featureContainer, repoVolume, FEATURE_RESOURCES, type FeatureRepo } from './pod.js';
import { jobPodAnnotations } from '../base/mesh.js';
import { batchSourceRules, registryRules, uniqueRules } from './network.js';
import { cronJobName, cronSchedule } from '../base/cron.js';

export const DEFAULT_MATERIALIZE_SCHEDULE = '0 * * * *';

/**
 * The materialize command of one view; the end time is the job's start (UTC). `$$(` is the
 * kubelet's escape for a literal `$(` (it expands `$(NAME)` in commands), so the shell gets
 * the command substitution.
 */
export function materializeCommand(view: string, configFile: string): string[] {
  const config = configFile === PRIMARY_CONFIG ? '' : ` --feature-store-yaml ${FEAST_REPO_DIR}/${configFile}`;
  return [
    'sh',
    '-c',
    `exec feast --chdir ${FEAST_REPO_DIR}${config} materialize-incremental "$$(date -u +%Y-%m-%dT%H:%M:%S)" ` +
      `--views ${view}`,
  ];
}

export function renderMaterialization(ctx: RenderContext, repo: FeatureRepo): void {
  const s = ctx.system;
  const views = Object.keys(s.spec.features.views)
    .sort()
    .filter((v) => s.spec.features.views[v]!.online);
  if (views.length === 0) return;
  const workload = ctx.names.part('feature-materialize');
  const role: ObjectRole = { component: 'features', workload };
  const account = serviceAccount(ctx, { role });
  // One pod definition for all views: same account, labels, volumes.
  const pod = securePod(ctx, { role, account, annotations: jobPodAnnotations(ctx) });
  const volume = repoVolume(ctx, repo, workload);

  for (const view of views) {
    const spec = s.spec.features.views[view]!;
    const name = cronJobName(ctx.names.part('materialize', sanitize(view)));
    new kplus.CronJob(ctx.chart, `CronJob-${name}`, {
      ...pod.props,
      metadata: ctx.metadata(name, role),
      schedule: cronSchedule(spec.materializeSchedule ?? DEFAULT_MATERIALIZE_SCHEDULE),
      timeZone: 'Etc/UTC',
      concurrencyPolicy: kplus.ConcurrencyPolicy.FORBID,
      startingDeadline: Duration.minutes(10),
      successfulJobsRetained: 1,
      failedJobsRetained: 3,
      backoffLimit: 2,
      restartPolicy: kplus.RestartPolicy.NEVER,
      containers: [
        featureContainer(ctx, volume, pod, {
          name: 'materialize',
          command: materializeCommand(view, configFileFor(s, offlineKind(spec.batchSource.uri))),
          resources: FEATURE_RESOURCES.materialize,
        }),
      ],
    });
  }

  const uris = views.map((v) => s.spec.features.views[v]!.batchSource.uri);
  allowTraffic(ctx, {
    role,
    egress: [onlineStoreRule(ctx), ...uniqueRules([...registryRules(ctx), ...batchSourceRules(uris)])],
  });
}
