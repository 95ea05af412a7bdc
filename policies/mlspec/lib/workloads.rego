# What will run: every pod template in the rendered objects of a system-environment, in one
# shape whatever the workload kind, so that policies about pods (security, resources, service
# account tokens, images) judge Deployments, Jobs, CronJobs, Rollouts, KEDA ScaledJobs and Argo
# workflow steps alike. A helper, not a policy: it reports nothing.
#
# Pods are kept in an object keyed by a short id, and helpers take small values: the engine
# hashes set members and function arguments, and hashing whole pod specs costs more than the
# policies themselves.
package mlspec.lib.workloads

import rego.v1

# pods[id]: {"object": {"kind", "name"}, "describe": text for messages, "labels", "annotations",
# "spec": a Kubernetes pod spec, "containers": its init, regular and ephemeral containers}.
pods[id] := pod if {
	some obj in input.objects
	not obj.kind in workflow_kinds
	some where, template in {
		"": object.get(obj, ["spec", "template"], null),
		"job template": object.get(obj, ["spec", "jobTemplate", "spec", "template"], null),
		"job target": object.get(obj, ["spec", "jobTargetRef", "template"], null),
	}
	is_object(template.spec)
	id := concat("/", [obj.kind, obj.metadata.name, where])
	containers := array.concat(
		array.concat(object.get(template.spec, "initContainers", []), object.get(template.spec, "containers", [])),
		object.get(template.spec, "ephemeralContainers", []),
	)
	pod := {
		"object": {"kind": obj.kind, "name": obj.metadata.name},
		"describe": describe(obj.kind, obj.metadata.name, where),
		"labels": object.get(template, ["metadata", "labels"], {}),
		"annotations": object.get(template, ["metadata", "annotations"], {}),
		"spec": template.spec,
		"containers": containers,
	}
}

# A step of an Argo workflow runs as a pod built from its template and the workflow spec.
pods[id] := pod if {
	some obj in input.objects
	obj.kind in workflow_kinds
	wf := object.get(obj, ["spec", "workflowSpec"], obj.spec)
	some tpl in object.get(wf, "templates", [])
	mains := [c |
		some key in ["container", "script"]
		is_object(tpl[key])
		c := object.union({"name": "main"}, tpl[key])
	]
	containers := array.concat(
		array.concat(mains, object.get(tpl, ["containerSet", "containers"], [])),
		object.get(tpl, "sidecars", []),
	)
	count(containers) > 0
	where := sprintf("template %s", [tpl.name])
	id := concat("/", [obj.kind, obj.metadata.name, where])
	spec := object.union(
		{
			"containers": containers,
			"initContainers": object.get(tpl, "initContainers", []),
			"volumes": array.concat(object.get(wf, "volumes", []), object.get(tpl, "volumes", [])),
			"hostNetwork": object.get(wf, "hostNetwork", false),
		},
		{key: value |
			some key in inherited_fields
			value := object.get(tpl, key, object.get(wf, key, null))
			value != null
		},
	)
	all_containers := array.concat(object.get(tpl, "initContainers", []), containers)
	pod := {
		"object": {"kind": obj.kind, "name": obj.metadata.name},
		"describe": describe(obj.kind, obj.metadata.name, where),
		"labels": object.union(
			object.get(wf, ["podMetadata", "labels"], {}),
			object.get(tpl, ["metadata", "labels"], {}),
		),
		"annotations": object.union(
			object.get(wf, ["podMetadata", "annotations"], {}),
			object.get(tpl, ["metadata", "annotations"], {}),
		),
		"spec": spec,
		"containers": all_containers,
	}
}

workflow_kinds := {"Workflow", "WorkflowTemplate", "ClusterWorkflowTemplate", "CronWorkflow"}

# Fields a step's pod takes from its template, else from the workflow spec.
inherited_fields := [
	"securityContext", "serviceAccountName", "automountServiceAccountToken",
	"nodeSelector", "tolerations", "podSpecPatch",
]

# `Kind name` (and the template inside it), for messages.
describe(kind, name, "") := sprintf("%s %s", [kind, name])

describe(kind, name, where) := sprintf("%s %s (%s)", [kind, name, where]) if where != ""

# Whether a pod gets an API token: its own automountServiceAccountToken (null when unset),
# else its service account's, else yes.
mounts_token(explicit, _) if explicit == true

mounts_token(null, account) if not account in opted_out

opted_out contains name if {
	some obj in input.objects
	obj.kind == "ServiceAccount"
	name := obj.metadata.name
	obj.automountServiceAccountToken == false
}


# Whether a label selector ({matchLabels, matchExpressions}) selects every pod of the system:
# it asks for nothing but the system label (an empty selector selects the whole namespace).
selects_system(selector) if {
	count(object.get(selector, "matchExpressions", [])) == 0
	every key, value in object.get(selector, "matchLabels", {}) {
		key == "mlspec.io/system"
		value == input.system.name
	}
}

# The training step container i of pod id runs (the compiler sets MLSPEC_STEP), or "". By id
# and index: a container (its environment can be large) would be hashed as an argument.
step_of(id, i) := object.get(
	{e.name: e.value | some e in object.get(pods[id].containers[i], "env", []); e.name == "MLSPEC_STEP"},
	"MLSPEC_STEP", "",
)
