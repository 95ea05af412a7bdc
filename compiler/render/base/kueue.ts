// Kueue (when the cluster profile has it): GPU training pods wait in their team's queue until
// the team's quota admits them, and a distributed train step is admitted as one gang, so a group
// never holds some GPUs while waiting for the rest. The names and labels here are shared by the
// training renderer (which labels the pods) and the namespace objects (queues and quotas).
//
// Plain pods (Argo Workflows steps) use Kueue's `pod` integration: the queue label, and for a
// group the pod-group name label and total-count annotation on every member. Jobs (clusters
// without Argo) use the Job integration: the queue label on the Job; an Indexed Job is one gang.
import { objectName } from './names.js';

export const KUEUE_API_VERSION = 'kueue.x-k8s.io/v1beta1';
export const QUEUE_LABEL = 'kueue.x-k8s.io/queue-name';
export const POD_GROUP_LABEL = 'kueue.x-k8s.io/pod-group-name';
export const POD_GROUP_COUNT_ANNOTATION = 'kueue.x-k8s.io/pod-group-total-count';

/** The LocalQueue of a team in its namespace. */
export const localQueueName = (team: string): string => objectName(team, 'training');

/** The ClusterQueue holding a team's quota in one environment. */
export const clusterQueueName = (team: string, environment: string): string => objectName(team, environment);
