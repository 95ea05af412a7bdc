// Python programs of the training concept, shipped in the `<system>-training-scripts`
// ConfigMap and run with the platform's Python image (`images.featureServer`, the Feast image:
// pinned, from an approved registry, with Python 3). Standard library only. Each file is a
// fixed text; everything system-specific comes in through the environment.
//
// - gate.py: the validation gate between `validate` and `register`. It reads the metrics the
//   validate step wrote (MLSPEC_METRICS_FILE) and the gates from the spec
//   (MLSPEC_VALIDATION_GATES) and fails when a metric is missing, not a number, or out of
//   bounds. The gates are enforced here, by mlspec, not only by the validate image.
// - submit.py: starts one drift-triggered run (KEDA ScaledJob, retraining.ts) unless a
//   drift-triggered run younger than the cooldown exists: a Workflow from the WorkflowTemplate,
//   or a Job from the `<system>-train` CronJob's job template. Talks to the Kubernetes API with
//   the pod's ServiceAccount token.
// - pipeline.py: the pipeline driver without Argo Workflows (training-jobs.ts): runs the step
//   Jobs in order from their templates and stops at the first failure.
// - guard.py: the first step of every run: records on the workspace volume that the run has
//   started, and ends the run at once when it already had (a Git-managed run object recreated
//   by Argo CD after a deletion must not retrain).
import { pythonProgram } from '../base/python.js';

export const GATE_SCRIPT = pythonProgram(import.meta.url, 'gate.py');

export const SUBMIT_SCRIPT = pythonProgram(import.meta.url, 'submit.py');

export const PIPELINE_SCRIPT = pythonProgram(import.meta.url, 'pipeline.py');

export const GUARD_SCRIPT = pythonProgram(import.meta.url, 'guard.py');
