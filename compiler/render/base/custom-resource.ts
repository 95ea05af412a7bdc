// Custom resources (Argo, KEDA, prometheus-operator, Istio) have no cdk8s-plus constructs:
// they are raw ApiObjects with the same metadata as everything else. Their shapes are checked
// in tests against the @kubernetes-models packages.
import { ApiObject } from 'cdk8s';
import type { RenderContext } from './context.js';
import type { ObjectRole } from './labels.js';

export interface CustomResourceProps {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly role: ObjectRole;
  readonly annotations?: Readonly<Record<string, string>>;
  /** Labels besides the standard ones (e.g. what a Prometheus selects rules by). */
  readonly extraLabels?: Readonly<Record<string, string>>;
  /** Top-level fields besides apiVersion, kind and metadata (usually just `spec`). */
  readonly body: Readonly<Record<string, unknown>>;
}

export function customResource(ctx: RenderContext, props: CustomResourceProps): ApiObject {
  const base = ctx.metadata(props.name, props.role);
  const metadata = {
    ...base,
    labels: { ...(props.extraLabels ?? {}), ...base.labels },
    ...(props.annotations ? { annotations: { ...props.annotations } } : {}),
  };
  return new ApiObject(ctx.chart, `${props.kind}-${props.name}`, {
    apiVersion: props.apiVersion,
    kind: props.kind,
    metadata,
    ...props.body,
  });
}
