package mlspec.pod_security_test

import rego.v1

import data.mlspec.pod_security

restricted_container := {
	"name": "runtime",
	"securityContext": {
		"allowPrivilegeEscalation": false,
		"capabilities": {"drop": ["ALL"]},
		"runAsNonRoot": true,
		"seccompProfile": {"type": "RuntimeDefault"},
	},
}

restricted_pod := {
	"securityContext": {"runAsNonRoot": true, "runAsUser": 65532, "seccompProfile": {"type": "RuntimeDefault"}},
	"containers": [restricted_container],
	"volumes": [{"name": "tmp", "emptyDir": {}}],
}

deployment(pod) := {"kind": "Deployment", "metadata": {"name": "fraud-standard"}, "spec": {"template": {"spec": pod}}}

cron_job(pod) := {
	"kind": "CronJob",
	"metadata": {"name": "fraud-materialize"},
	"spec": {"jobTemplate": {"spec": {"template": {"spec": pod}}}},
}

scaled_job(pod) := {
	"kind": "ScaledJob",
	"metadata": {"name": "fraud-retrain"},
	"spec": {"jobTargetRef": {"template": {"spec": pod}}},
}

workflow(spec) := {"kind": "WorkflowTemplate", "metadata": {"name": "fraud-train"}, "spec": object.union(
	{
		"securityContext": restricted_pod.securityContext,
		"templates": [
			{"name": "pipeline", "dag": {"tasks": []}},
			{"name": "train", "container": object.remove(restricted_container, ["name"])},
		],
	},
	spec,
)}

deny(objects) := found if {
	found := pod_security.deny with input as {"objects": objects}
}

patched(pod, ops) := json.patch(pod, ops)

test_restricted_pods_of_every_kind_pass if {
	count(deny([deployment(restricted_pod), cron_job(restricted_pod), scaled_job(restricted_pod), workflow({})])) == 0
}

test_pod_level_seccomp_is_required_even_when_containers_set_it if {
	pod := json.remove(restricted_pod, ["securityContext/seccompProfile"])
	found := deny([deployment(pod), cron_job(pod), scaled_job(pod)])
	{f.object.kind | some f in found} == {"Deployment", "CronJob", "ScaledJob"}
	some f in found
	f.object == {"kind": "CronJob", "name": "fraud-materialize"}
	f.msg == concat(" ", [
		"CronJob fraud-materialize (job template): sets no seccomp profile for the pod",
		"(securityContext.seccompProfile: RuntimeDefault)",
	])
}

test_workflow_steps_inherit_and_override_the_pod_context if {
	overridden := workflow({"templates": [{
		"name": "train",
		"securityContext": {"runAsNonRoot": true},
		"container": restricted_container,
	}]})
	some f in deny([overridden])
	f.object == {"kind": "WorkflowTemplate", "name": "fraud-train"}
	startswith(f.msg, "WorkflowTemplate fraud-train (template train): sets no seccomp profile")
}

test_host_namespaces_are_denied if {
	some f in deny([deployment(object.union(restricted_pod, {"hostNetwork": true}))])
	contains(f.msg, "shares the host's network namespace")
}

test_host_path_volumes_are_denied if {
	pod := object.union(restricted_pod, {"volumes": [{"name": "docker", "hostPath": {"path": "/var/run/docker.sock"}}]})
	some f in deny([deployment(pod)])
	contains(f.msg, "volume docker is of type hostPath")
}

test_container_privileges_are_denied if {
	bad := {"name": "runtime", "securityContext": {
		"privileged": true,
		"runAsNonRoot": true,
		"runAsUser": 0,
		"capabilities": {"add": ["SYS_ADMIN", "NET_BIND_SERVICE"]},
		"seccompProfile": {"type": "Unconfined"},
	}}
	msgs := {f.msg | some f in deny([deployment(object.union(restricted_pod, {"containers": [bad]}))])}
	msgs == {
		"Deployment fraud-standard: container runtime is privileged",
		concat(" ", [
			"Deployment fraud-standard: container runtime allows privilege escalation",
			"(allowPrivilegeEscalation is not false)",
		]),
		"Deployment fraud-standard: container runtime does not drop all capabilities (capabilities.drop: [ALL])",
		"Deployment fraud-standard: container runtime adds capability SYS_ADMIN (only NET_BIND_SERVICE may be added)",
		"Deployment fraud-standard: container runtime runs as user 0 (root)",
		"Deployment fraud-standard: container runtime sets seccomp Unconfined",
	}
}

test_init_containers_are_checked_too if {
	pod := object.union(restricted_pod, {"initContainers": [{"name": "fetch"}]})
	some f in deny([deployment(pod)])
	f.msg == concat(" ", [
		"Deployment fraud-standard: container fetch allows privilege escalation",
		"(allowPrivilegeEscalation is not false)",
	])
}

test_non_root_from_the_pod_or_every_container if {
	no_pod_setting := json.remove(restricted_pod, ["securityContext/runAsNonRoot"])
	count(deny([deployment(no_pod_setting)])) == 0
	unset := json.remove(no_pod_setting, ["containers/0/securityContext/runAsNonRoot"])
	some f in deny([deployment(unset)])
	contains(f.msg, "container runtime does not exclude running as root")
	root := {"op": "replace", "path": "/containers/0/securityContext/runAsNonRoot", "value": false}
	overridden := json.patch(restricted_pod, [root])
	some g in deny([deployment(overridden)])
	contains(g.msg, "container runtime does not exclude running as root")
}

test_host_ports_sysctls_and_apparmor_are_denied if {
	pod := json.patch(restricted_pod, [
		{"op": "add", "path": "/containers/0/ports", "value": [{"containerPort": 8080, "hostPort": 8080}]},
		{"op": "add", "path": "/securityContext/sysctls", "value": [{"name": "kernel.msgmax", "value": "65536"}]},
	])
	apparmor := {"annotations": {"container.apparmor.security.beta.kubernetes.io/runtime": "unconfined"}}
	obj := json.patch(deployment(pod), [{"op": "add", "path": "/spec/template/metadata", "value": apparmor}])
	msgs := {f.msg | some f in deny([obj])}
	msgs == {
		"Deployment fraud-standard: container runtime publishes host port 8080",
		"Deployment fraud-standard: sets sysctl kernel.msgmax, which is not in the safe set",
		concat(" ", [
			"Deployment fraud-standard: annotation container.apparmor.security.beta.kubernetes.io/runtime",
			"sets AppArmor to unconfined",
		]),
	}
}
