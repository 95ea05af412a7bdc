package mlspec.least_privilege_test

import rego.v1

import data.mlspec.least_privilege

params := {"escalation_verbs": ["escalate", "bind", "impersonate"]}

role(rules) := {"kind": "Role", "metadata": {"name": "fraud-retrain"}, "rules": rules}

submit_workflows := {"apiGroups": ["argoproj.io"], "resources": ["workflows"], "verbs": ["create", "list"]}

binding(role_ref, subjects) := {
	"kind": "RoleBinding",
	"metadata": {"name": "fraud-retrain"},
	"roleRef": role_ref,
	"subjects": subjects,
}

retrain_sa := {"kind": "ServiceAccount", "name": "fraud-retrain", "namespace": "fraud-prod"}

job(name, pod) := {
	"kind": "Job",
	"metadata": {"name": name},
	"spec": {"template": {"spec": object.union({"containers": [{"name": "main"}]}, pod)}},
}

account(name, automount) := {
	"kind": "ServiceAccount",
	"metadata": {"name": name},
	"automountServiceAccountToken": automount,
}

base := {
	"system": {"name": "fraud", "namespace": "fraud-prod"},
	"objects": [
		account("fraud-retrain", true),
		account("fraud-standard", false),
		role([submit_workflows]),
		binding({"kind": "Role", "name": "fraud-retrain"}, [retrain_sa]),
		job("fraud-retrain", {"serviceAccountName": "fraud-retrain", "automountServiceAccountToken": true}),
		job("fraud-serve", {"serviceAccountName": "fraud-standard"}),
		job("fraud-apply", {"automountServiceAccountToken": false}),
	],
}

deny(inp) := found if {
	found := least_privilege.deny with input as inp with data.mlspec.params.least_privilege as params
}

replaced(i, obj) := json.patch(base, [{"op": "replace", "path": sprintf("/objects/%d", [i]), "value": obj}])

test_exact_rights_and_needed_tokens_pass if {
	count(deny(base)) == 0
}

test_wildcards_are_denied if {
	found := deny(replaced(2, role([{"apiGroups": ["*"], "resources": ["workflows"], "verbs": ["*"]}])))
	{f.msg | some f in found} == {
		"Role fraud-retrain grants a wildcard in apiGroups",
		"Role fraud-retrain grants a wildcard in verbs",
	}
	some f in found
	f.object == {"kind": "Role", "name": "fraud-retrain"}
}

test_escalation_verbs_are_denied if {
	bind := {"apiGroups": ["rbac.authorization.k8s.io"], "resources": ["roles"], "verbs": ["bind"]}
	some f in deny(replaced(2, role([bind])))
	contains(f.msg, "grants the verb bind")
}

test_cluster_wide_rights_are_denied if {
	reader := {"kind": "ClusterRole", "metadata": {"name": "fraud-reader"}, "rules": [submit_workflows]}
	inp := object.union(base, {"objects": array.concat(base.objects, [reader])})
	some f in deny(inp)
	f.object == {"kind": "ClusterRole", "name": "fraud-reader"}
}

test_binding_a_cluster_role_is_denied if {
	some f in deny(replaced(3, binding({"kind": "ClusterRole", "name": "edit"}, [retrain_sa])))
	contains(f.msg, "binds ClusterRole edit")
}

test_binding_to_others_is_denied if {
	found := deny(replaced(3, binding({"kind": "Role", "name": "fraud-retrain"}, [
		retrain_sa,
		{"kind": "ServiceAccount", "name": "default", "namespace": "kube-system"},
		{"kind": "Group", "name": "system:authenticated"},
	])))
	count({f | some f in found; contains(f.msg, "not to a service account of fraud-prod")}) == 2
}

test_token_without_a_bound_role_is_denied if {
	found := deny(replaced(6, job("fraud-apply", {})))
	count(found) == 1
	some f in found
	f.object == {"kind": "Job", "name": "fraud-apply"}
	contains(f.msg, "service account default, which no role is bound to")
}

test_the_service_account_setting_counts_when_the_pod_says_nothing if {
	found := deny(replaced(1, account("fraud-standard", true)))
	some f in found
	contains(f.msg, "Job fraud-serve mounts an API token for service account fraud-standard")
}

test_argo_steps_inherit_the_workflow_setting if {
	wf := {"kind": "WorkflowTemplate", "metadata": {"name": "fraud-train"}, "spec": {
		"serviceAccountName": "fraud-standard",
		"automountServiceAccountToken": true,
		"templates": [{"name": "train", "container": {"image": "x"}}],
	}}
	some f in deny(object.union(base, {"objects": array.concat(base.objects, [wf])}))
	f.object == {"kind": "WorkflowTemplate", "name": "fraud-train"}
	contains(f.msg, "(template train) mounts an API token")
}
