// Shared helpers for specs written in Jsonnet. Import with:
//   local ml = import 'lib/mlspec.libsonnet';
{
  apiVersion: 'mlspec.io/v1alpha1',

  // An image from the ML registry, pinned by digest (prod and staging clusters require it).
  image(name, tag, digest):: 'registry.acme.io/ml/%s:%s@sha256:%s' % [name, tag, digest],

  // One pipeline step. `accelerator` is optional: { type: 'l4', count: 1 }.
  step(image, cpu, memory, accelerator=null, args=[]):: {
    image: image,
    resources: { cpu: cpu, memory: memory } + (if accelerator == null then {} else { accelerator: accelerator }),
  } + (if std.length(args) > 0 then { args: args } else {}),

  // Equal-count quantile bins: `edges` from the training data, the same count in every bin.
  quantileBaseline(edges, perBin):: { numeric: { edges: edges, counts: std.makeArray(std.length(edges) + 1, function(_) perBin) } },

  // The platform's standard monitoring: PSI 0.2 with Benjamini-Hochberg, pages go to the team.
  monitoring(team, system, errorRate=0.01):: {
    drift: { threshold: 0.2, alpha: 0.01, correction: 'benjamini-hochberg', window: '1h', minSamples: 1000 },
    slos: { errorRate: errorRate },
    alerts: {
      critical: 'pagerduty-%s' % team,
      warning: 'slack-%s' % team,
      runbookBaseUrl: 'https://runbooks.acme.io/ml/%s/' % system,
    },
  },
}
