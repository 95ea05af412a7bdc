# METADATA
# title: Least privilege
# description: |
#   Zero trust towards the Kubernetes API: a system's roles name exact API groups, resources
#   and verbs (no wildcards, no verbs that grant more rights), stay inside its namespace and
#   bind only its own service accounts; a pod gets an API token only when its service account
#   is bound to a role.
# custom:
#   severity: deny
#   controls:
#     - ISO27001:A.5.15
#     - ISO27001:A.5.18
#     - ISO27001:A.8.2
#     - ISO27001:A.8.3
#     - GDPR:Art.25
#     - GDPR:Art.32
#   remediation: >-
#     List the exact verbs and resources a workload needs in a namespaced Role bound to its own
#     service account, and set automountServiceAccountToken to false for pods that never call
#     the API.
package mlspec.least_privilege

import rego.v1

import data.mlspec.lib.params as parameters
import data.mlspec.lib.workloads

params := parameters.of("least_privilege")

deny contains finding if some finding in parameters.missing("least_privilege", ["escalation_verbs"])

ref(kind, name) := {"kind": kind, "name": name}

roles[sprintf("%s/%s", [obj.kind, obj.metadata.name])] := obj if {
	some obj in input.objects
	obj.kind in {"Role", "ClusterRole"}
}

deny contains finding if {
	some role in roles
	some rule in object.get(role, "rules", [])
	some field in ["apiGroups", "resources", "verbs"]
	"*" in object.get(rule, field, [])
	finding := {
		"object": ref(role.kind, role.metadata.name),
		"msg": sprintf("%s %s grants a wildcard in %s", [role.kind, role.metadata.name, field]),
	}
}

deny contains finding if {
	some role in roles
	some rule in object.get(role, "rules", [])
	some verb in object.get(rule, "verbs", [])
	verb in params.escalation_verbs
	finding := {
		"object": ref(role.kind, role.metadata.name),
		"msg": sprintf("%s %s grants the verb %s, which hands out more rights than it holds", [
			role.kind, role.metadata.name, verb,
		]),
	}
}

deny contains finding if {
	some obj in input.objects
	obj.kind in {"ClusterRole", "ClusterRoleBinding"}
	finding := {
		"object": ref(obj.kind, obj.metadata.name),
		"msg": sprintf("%s %s grants rights across the cluster; a system's rights stay in its namespace", [
			obj.kind, obj.metadata.name,
		]),
	}
}

bindings[obj.metadata.name] := obj if {
	some obj in input.objects
	obj.kind == "RoleBinding"
}

deny contains finding if {
	some binding in bindings
	binding.roleRef.kind != "Role"
	finding := {
		"object": ref(binding.kind, binding.metadata.name),
		"msg": sprintf("RoleBinding %s binds %s %s, a role the system does not define", [
			binding.metadata.name, binding.roleRef.kind, binding.roleRef.name,
		]),
	}
}

deny contains finding if {
	some binding in bindings
	some subject in object.get(binding, "subjects", [])
	not own_service_account(subject)
	finding := {
		"object": ref(binding.kind, binding.metadata.name),
		"msg": sprintf("RoleBinding %s grants its role to %s %s, not to a service account of %s", [
			binding.metadata.name, subject.kind, subject.name, input.system.namespace,
		]),
	}
}

own_service_account(subject) if {
	subject.kind == "ServiceAccount"
	object.get(subject, "namespace", input.system.namespace) == input.system.namespace
}

# Service accounts that some role is bound to: their pods need an API token.
bound_accounts contains subject.name if {
	some binding in bindings
	some subject in object.get(binding, "subjects", [])
	own_service_account(subject)
}

deny contains finding if {
	some pod in workloads.pods
	account := object.get(pod.spec, "serviceAccountName", "default")
	workloads.mounts_token(object.get(pod.spec, "automountServiceAccountToken", null), account)
	not account in bound_accounts
	finding := {
		"object": pod.object,
		"msg": sprintf(
			"%s mounts an API token for service account %s, which no role is bound to",
			[pod.describe, account],
		),
	}
}
