// opa.runtime: what a policy may learn about the engine that runs it. OPA returns `{}` when it
// was not started with runtime information; here the only runtime information is, under
// `env`, the variables the caller chose to expose (EvalOptions.env: none by default; the CLI
// passes only those named with --env). Host secrets never reach a policy by default.
import { ObjectValue } from '../value.js';
import { declare, implement } from './table.js';
import { T } from '../types.js';

const runtime = declare({
  name: 'opa.runtime',
  args: [],
  result: {
    name: 'output',
    type: T.object(T.string, T.any),
    description:
      'includes a `config` key if OPA was started with a configuration file; an `env` key containing the ' +
      'environment variables that the OPA process was started with; includes `version` and `commit` keys ' +
      'containing the version and build commit of OPA.',
  },
  description: 'Returns an object that describes the runtime environment where OPA is deployed.',
  categories: ['opa'],
  nondeterministic: true,
});

implement(runtime, (_, ctx) => {
  const env = new ObjectValue();
  for (const [k, v] of Object.entries(ctx.env)) if (v !== undefined) env.put(k, v);
  return env.size === 0 ? new ObjectValue() : ObjectValue.fromRecord({ env });
});
