// Cross-references inside one (merged) spec: everything named must exist, and the model's
// inputs must be provided by its feature service or by the caller.
import { quote } from '../../core/diagnostics/quote.js';
import type { MLSystemBody } from '../schema/mlsystem.js';
import type { FeatureDtype } from '../schema/features.js';
import type { TensorDtype } from '../../runtime/contract/tensor.js';
import { joinPointer } from '../../core/json-pointer.js';
import { didYouMean } from '../../core/schema/suggest.js';
import type { ResolvedFeature } from './resolved.js';
import type { Reporter } from './report.js';

const mention = (name: string, candidates: Iterable<string>, what: string) =>
  didYouMean(name, candidates) ??
  `define it under ${what}, or use one of: ${[...candidates].join(', ') || '(none defined)'}`;

/** Features each service provides: name → view (a name provided twice is ambiguous). */
function serviceFeatures(spec: MLSystemBody, service: string, r: Reporter): Map<string, string[]> {
  const provided = new Map<string, string[]>();
  const svc = spec.features.services[service];
  if (!svc) return provided;
  svc.features.forEach((ref, i) => {
    const pointer = `/features/services/${service}/features/${i}`;
    const [view, feature] = ref.split(':') as [string, string];
    const v = spec.features.views[view];
    if (!v) {
      r.report(
        'unknown_reference',
        `feature service ${quote(service)} names unknown feature view ${quote(view)}`,
        pointer,
        mention(view, Object.keys(spec.features.views), '`features.views`'),
      );
      return;
    }
    const names = feature === '*' ? Object.keys(v.features) : [feature];
    if (feature !== '*' && !v.features[feature]) {
      r.report(
        'unknown_reference',
        `feature view ${quote(view)} has no feature ${quote(feature)}`,
        pointer,
        mention(feature, Object.keys(v.features), `\`features.views.${view}.features\``),
      );
      return;
    }
    for (const n of names) provided.set(n, [...(provided.get(n) ?? []), view]);
  });
  return provided;
}

const NUMERIC_FEATURES: readonly FeatureDtype[] = ['int32', 'int64', 'float32', 'float64', 'bool', 'unix_timestamp'];

function dtypeFits(tensor: TensorDtype, feature: FeatureDtype): boolean {
  if (tensor === 'BYTES') return feature === 'string' || feature === 'bytes';
  if (tensor === 'BOOL') return feature === 'bool';
  return NUMERIC_FEATURES.includes(feature);
}

/** Check references and return the model's inputs with their origin. */
export function checkReferences(spec: MLSystemBody, r: Reporter): ResolvedFeature[] {
  const { entities, views, services } = spec.features;
  for (const [name, view] of Object.entries(views)) {
    view.entities.forEach((e, i) => {
      if (!entities[e])
        r.report(
          'unknown_reference',
          `feature view ${quote(name)} names unknown entity ${quote(e)}`,
          `/features/views/${name}/entities/${i}`,
          mention(e, Object.keys(entities), '`features.entities`'),
        );
    });
  }
  const providedBy = new Map(Object.keys(services).map((name) => [name, serviceFeatures(spec, name, r)]));

  const model = spec.model;
  if (!services[model.featureService]) {
    r.report(
      'unknown_reference',
      `model names unknown feature service ${quote(model.featureService)}`,
      '/model/featureService',
      mention(model.featureService, Object.keys(services), '`features.services`'),
    );
  }
  const provided = providedBy.get(model.featureService) ?? new Map<string, string[]>();
  const request = model.requestFeatures ?? {};
  const inputs: ResolvedFeature[] = [];
  const seen = new Set<string>();
  model.signature.inputs.forEach((tensor, t) => {
    const tensorPointer = `/model/signature/inputs/${t}`;
    const width = tensor.shape[tensor.shape.length - 1]!;
    if (width !== -1 && width !== tensor.features.length) {
      r.report(
        'shape_mismatch',
        `input ${quote(tensor.name)} has ${tensor.features.length} features but its last dimension is ${width}`,
        `${tensorPointer}/shape`,
        'make the last dimension equal to the number of features (or -1)',
      );
    }
    tensor.features.forEach((f, i) => {
      const pointer = `${tensorPointer}/features/${i}`;
      if (seen.has(f))
        r.report(
          'duplicate_name',
          `feature ${quote(f)} feeds more than one input column`,
          pointer,
          'list each feature once',
        );
      seen.add(f);
      const fromViews = provided.get(f) ?? [];
      if (fromViews.length > 1) {
        r.report(
          'ambiguous_reference',
          `feature ${quote(f)} is provided by several views (${fromViews.join(', ')}) of service ` +
            `${quote(model.featureService)}`,
          pointer,
          'rename one of the features or drop one view from the service',
        );
      }
      const req = request[f];
      if (req && fromViews.length > 0) {
        r.report(
          'ambiguous_reference',
          `feature ${quote(f)} is both a request feature and provided by view ${quote(fromViews[0])}`,
          pointer,
          'remove it from `model.requestFeatures` or from the feature service',
        );
      }
      let feature: ResolvedFeature | undefined;
      if (req)
        feature = { name: f, dtype: req.dtype, personalData: req.personalData ?? false, source: { request: true } };
      else if (fromViews.length > 0) {
        const def = views[fromViews[0]!]!.features[f]!;
        feature = {
          name: f,
          dtype: def.dtype,
          personalData: def.personalData ?? false,
          source: { view: fromViews[0]! },
        };
      } else {
        r.report(
          'unknown_reference',
          `model input ${quote(f)} is not provided by feature service ${quote(model.featureService)} nor declared in ` +
            `\`model.requestFeatures\``,
          pointer,
          didYouMean(f, [...provided.keys(), ...Object.keys(request)]) ??
            `add it to the feature service, or declare it under \`model.requestFeatures\` if the caller sends it`,
        );
      }
      if (feature) {
        if (!dtypeFits(tensor.dtype, feature.dtype)) {
          r.report(
            'type_mismatch',
            `feature ${quote(f)} is ${feature.dtype} but input ${quote(tensor.name)} is ${tensor.dtype}`,
            pointer,
            'change the tensor dtype or feed a feature of a matching type',
          );
        }
        inputs.push(feature);
      }
    });
  });
  checkBaseline(spec, seen, r);
  checkPersonalData(spec, r);
  return inputs;
}

function checkBaseline(spec: MLSystemBody, inputs: Set<string>, r: Reporter): void {
  const covered = Object.keys(spec.model.baseline.features);
  const missing = [...inputs].filter((f) => !covered.includes(f)).sort();
  if (covered.length > 0 && missing.length > 0)
    r.warn(
      'partial_baseline',
      `the drift baseline covers ${inputs.size - missing.length} of ${inputs.size} model inputs; ` +
        `no drift is measured for ${missing.map((f) => `\`${f}\``).join(', ')}`,
      '/model/baseline/features',
      'add a baseline (training quantiles or category counts) for each of them',
    );
  for (const [name, b] of Object.entries(spec.model.baseline.features)) {
    const pointer = joinPointer('/model/baseline/features', name);
    if (!inputs.has(name))
      r.report(
        'unknown_reference',
        `baseline for ${quote(name)}, which is not a model input`,
        pointer,
        didYouMean(name, inputs) ?? 'remove it, or add the feature to the signature',
        true,
      );
    if (b.numeric) {
      const { edges, counts } = b.numeric;
      if (counts.length !== edges.length + 1)
        r.report(
          'invalid_baseline',
          `${edges.length} edges make ${edges.length + 1} bins, but ${counts.length} counts are given`,
          `${pointer}/numeric/counts`,
          'give one count per bin: edges + 1',
        );
      for (let i = 1; i < edges.length; i++) {
        if (!(edges[i]! > edges[i - 1]!)) {
          r.report(
            'invalid_baseline',
            'bin edges must be strictly increasing',
            `${pointer}/numeric/edges/${i}`,
            'sort the edges and remove repeated values',
          );
          break;
        }
      }
    }
  }
  for (const name of Object.keys(spec.monitoring.drift.features ?? {})) {
    if (!inputs.has(name))
      r.report(
        'unknown_reference',
        `drift settings for ${quote(name)}, which is not a model input`,
        joinPointer('/monitoring/drift/features', name),
        didYouMean(name, inputs) ?? 'remove it',
        true,
      );
  }
}

function checkPersonalData(spec: MLSystemBody, r: Reporter): void {
  if (spec.compliance.personalData.processed) return;
  for (const [view, v] of Object.entries(spec.features.views)) {
    for (const [name, f] of Object.entries(v.features)) {
      if (f.personalData) {
        r.report(
          'compliance_conflict',
          `feature \`${view}:${name}\` is marked personal data, but \`compliance.personalData.processed\` is false`,
          `/features/views/${view}/features/${name}/personalData`,
          'declare the processing (with lawful basis and retention) or stop using the feature',
        );
      }
    }
  }
}
