// The spec's vocabulary as plain constants: API version and value patterns. Kept free of
// TypeBox so that code which only needs a pattern (the CLI, error messages, the runtime) does
// not load the schema builder at start-up.

export const API_GROUP = 'mlspec.io';
export const API_VERSION = `${API_GROUP}/v1alpha1`;
/** DNS-1123 label: becomes part of Kubernetes object names. */
export const DNS_LABEL = '^[a-z]([-a-z0-9]*[a-z0-9])?$';
/** Feature and column identifiers: snake_case, as Feast and most feature stores expect. */
export const IDENTIFIER = '^[a-z_][a-z0-9_]*$';
/** Go-style duration: "500ms", "30s", "15m", "24h", "7d", "1h30m". */
export const DURATION = '^([0-9]+(\\.[0-9]+)?(ms|s|m|h|d))+$';
/** Five-field cron expression (or a @hourly/@daily/@weekly/@monthly macro). */
export const CRON = '^(@(hourly|daily|weekly|monthly|yearly)|(\\S+\\s+){4}\\S+)$';
/** Kubernetes resource quantity ("500m", "2", "16Gi"). */
export const QUANTITY = '^[0-9]+(\\.[0-9]+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$';
/** Cloud region: AWS and Google (`eu-west-1`, `europe-west4`), Azure (`westeurope`, `uaenorth`, `eastus2`). */
export const REGION = '^([a-z]{2,}(-[a-z]+)*-?[0-9]+[a-z]?|[a-z]*(north|south|east|west|central)[a-z]*[0-9]?)$';
export const SHA256_HEX = '^[a-f0-9]{64}$';
/** A container image reference; `@sha256:` pins it by digest. */
export const IMAGE =
  '^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._-][a-z0-9]+)*)*(:[\\w][\\w.-]{0,127})?(@sha256:[a-f0-9]{64})?$';
/** Kubernetes label key and value syntax, for user-supplied labels and node selectors. */
export const LABEL_KEY =
  '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$';
/** How each pattern is described to a person whose value does not match it. */
export const PATTERN_HINTS: ReadonlyMap<string, string> = new Map([
  [DNS_LABEL, 'lowercase letters, digits and `-`, starting with a letter and not ending with `-` (a Kubernetes name)'],
  [IDENTIFIER, 'snake_case: lowercase letters, digits and `_`, not starting with a digit'],
  [DURATION, 'a duration such as `500ms`, `30s`, `15m`, `24h`, `7d` or `1h30m`'],
  [CRON, 'a five-field cron expression such as `0 3 * * *`, or `@daily`'],
  [QUANTITY, 'a Kubernetes quantity such as `500m`, `2`, `512Mi` or `16Gi`'],
  [SHA256_HEX, '64 lowercase hex characters (the output of `sha256sum`)'],
  [IMAGE, 'an image reference such as `registry.example.com/team/app:1.2@sha256:<64 hex>`'],
  [REGION, 'a cloud region such as `eu-west-1`, `europe-west4` or `westeurope`'],
  [LABEL_KEY, 'a Kubernetes label key such as `app.kubernetes.io/name`'],
]);
