# What will run: every pod template in the rendered objects of a system-environment, in one
# shape whatever the workload kind, so that policies about pods (security, resources, service
# account tokens, images) judge Deployments, Jobs, CronJobs, Rollouts, KEDA ScaledJobs and Argo
# workflow steps alike. A helper, not a policy: it reports nothing.
package mlspec.lib.workloads

import rego.v1

# A pod template: {"object": {"kind", "name"}, "where": text naming the template inside the
# object ("" when the object has one), "labels", "annotations", "spec" (a Kubernetes pod spec)}.
pod_templates contains pod if {
	some obj in input.objects
	some where, template in kube_templates(obj)
	is_object(template.spec)
	pod := {
		"object": {"kind": obj.kind, "name": obj.metadata.name},
		"where": where,
		"labels": object.get(template, ["metadata", "labels"], {}),
		"annotations": object.get(template, ["metadata", "annotations"], {}),
		"spec": template.spec,
	}
}

pod_templates contains pod if {
	some obj in input.objects
	wf := workflow_spec(obj)
	some tpl in object.get(wf, "templates", [])
	count(argo_containers(tpl)) > 0
	pod := {
		"object": {"kind": obj.kind, "name": obj.metadata.name},
		"where": sprintf("template %s", [tpl.name]),
		"labels": object.union(object.get(wf, ["podMetadata", "labels"], {}), object.get(tpl, ["metadata", "labels"], {})),
		"annotations": object.union(
			object.get(wf, ["podMetadata", "annotations"], {}),
			object.get(tpl, ["metadata", "annotations"], {}),
		),
		"spec": argo_pod_spec(wf, tpl),
	}
}

# Pod templates of core and Argo Rollouts kinds, by where they sit in the object.
kube_templates(obj) := {"": obj.spec.template} if {
	not obj.kind in workflow_kinds
	is_object(obj.spec.template)
}

kube_templates(obj) := {"job template": obj.spec.jobTemplate.spec.template} if {
	obj.kind == "CronJob"
}

kube_templates(obj) := {"job target": obj.spec.jobTargetRef.template} if {
	obj.kind == "ScaledJob"
}

workflow_kinds := {"Workflow", "WorkflowTemplate", "ClusterWorkflowTemplate", "CronWorkflow"}

workflow_spec(obj) := obj.spec if obj.kind in {"Workflow", "WorkflowTemplate", "ClusterWorkflowTemplate"}

workflow_spec(obj) := obj.spec.workflowSpec if obj.kind == "CronWorkflow"

# The containers an Argo template runs in its pod (the executor's own are Argo's, not ours).
argo_containers(tpl) := array.concat(
	array.concat(
		[c | some key in ["container", "script"]; is_object(tpl[key]); c := object.union({"name": "main"}, tpl[key])],
		object.get(tpl, ["containerSet", "containers"], []),
	),
	object.get(tpl, "sidecars", []),
)

# Fields a step's pod takes from its template, else from the workflow spec.
inherited_fields := [
	"securityContext", "serviceAccountName", "automountServiceAccountToken",
	"nodeSelector", "tolerations", "podSpecPatch",
]

# The pod Argo creates for a template, as a pod spec.
argo_pod_spec(wf, tpl) := object.union(
	{
		"containers": argo_containers(tpl),
		"initContainers": object.get(tpl, "initContainers", []),
		"volumes": array.concat(object.get(wf, "volumes", []), object.get(tpl, "volumes", [])),
		"hostNetwork": object.get(wf, "hostNetwork", false),
	},
	{key: value | some key in inherited_fields; value := inherited(wf, tpl, key)},
)

inherited(_, tpl, key) := tpl[key]

inherited(wf, tpl, key) := wf[key] if not has_key(tpl, key)

has_key(obj, key) if _ = obj[key]

# Every container of a pod spec: init, regular and ephemeral.
containers(spec) := array.concat(
	array.concat(object.get(spec, "initContainers", []), object.get(spec, "containers", [])),
	object.get(spec, "ephemeralContainers", []),
)

# The service account a pod runs as.
service_account(spec) := object.get(spec, "serviceAccountName", "default")

# Whether the pod gets an API token: its own setting, else its service account's, else yes.
mounts_token(spec) if spec.automountServiceAccountToken == true

mounts_token(spec) if {
	not has_key(spec, "automountServiceAccountToken")
	not service_account_opts_out(service_account(spec))
}

service_account_opts_out(name) if {
	some obj in input.objects
	obj.kind == "ServiceAccount"
	obj.metadata.name == name
	obj.automountServiceAccountToken == false
}

# The training step a container runs (the compiler sets MLSPEC_STEP), if any.
step_of(container) := env.value if {
	some env in object.get(container, "env", [])
	env.name == "MLSPEC_STEP"
}

# The serving tier a pod belongs to, if any.
tier_of(pod) := pod.labels["mlspec.io/tier"]

# `Kind name` (and the template inside it), for messages.
describe(pod) := sprintf("%s %s", [pod.object.kind, pod.object.name]) if pod.where == ""

describe(pod) := sprintf("%s %s (%s)", [pod.object.kind, pod.object.name, pod.where]) if pod.where != ""
