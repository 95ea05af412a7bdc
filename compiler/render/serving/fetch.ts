// The command that downloads one model file in a serving pod's init container: rclone (the
// platform's `images.modelFetcher` must hold rclone 1.60 or later), with an on-the-fly remote
// for the URI's scheme, configured from the cluster profile by flags, so no config file or
// secret is needed:
//   s3://bucket/key      :s3:bucket/key   --s3-env-auth (workload identity: IRSA's web identity
//                                          token, or the node's role), --s3-provider and
//                                          --s3-region from `objectStorage.s3` (default AWS and
//                                          the cluster region), --s3-endpoint when set
//   gs://bucket/key      :gcs:bucket/key  no credentials given: rclone falls back to Google's
//                                          application default credentials (GKE workload identity)
//   https://host/path    :http:path       --http-url https://host/
// The sha256 is checked afterwards by the runtime (`mlspec serve --verify-only`), which refuses
// the pod's start on any mismatch.
import type { ResolvedCluster } from '../../resolve/resolved.js';
import { awsRegion } from '../../resolve/endpoints.js';

export const FETCH_RETRIES = 3;

/** rclone's remote and flags for a model URI (the schemes the resolve stage accepted). */
function source(uri: string, cluster: ResolvedCluster): { flags: string[]; remote: string } {
  const m = /^([a-z0-9+.-]+):\/\/([^/]*)\/?(.*)$/.exec(uri);
  if (!m) throw new Error(`internal: \`${uri}\` is not a URI`);
  const [, scheme, authority, path] = m as unknown as [string, string, string, string];
  switch (scheme) {
    case 's3': {
      const s3 = cluster.objectStorage?.s3;
      const flags = ['--s3-env-auth', `--s3-provider=${s3?.provider ?? 'AWS'}`];
      flags.push(`--s3-region=${awsRegion(cluster)}`);
      if (s3?.endpoint) flags.push(`--s3-endpoint=${s3.endpoint}`);
      return { flags, remote: `:s3:${authority}/${path}` };
    }
    case 'gs':
      return { flags: [], remote: `:gcs:${authority}/${path}` };
    case 'https':
    case 'http':
      return { flags: [`--http-url=${scheme}://${authority}/`], remote: `:http:${path}` };
    default:
      throw new Error(`internal: no fetcher for \`${scheme}://\` (resolve accepts s3, gs, https)`);
  }
}

/** The init container's command: download `uri` to `destination`. */
export function modelFetchCommand(uri: string, destination: string, cluster: ResolvedCluster): string[] {
  const { flags, remote } = source(uri, cluster);
  return ['rclone', 'copyto', `--retries=${FETCH_RETRIES}`, '--use-server-modtime', ...flags, remote, destination];
}
