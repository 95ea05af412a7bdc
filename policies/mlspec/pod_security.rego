# METADATA
# title: Pod security
# description: |
#   Every pod template a system renders (Deployments, Jobs, CronJobs, Rollouts, ScaledJobs,
#   Argo workflow steps) meets the Kubernetes Pod Security Standard "restricted", and sets the
#   seccomp profile at pod level too: containers that the platform injects into the pod (mesh
#   sidecars, Argo's executor) carry no settings of ours and inherit only the pod's.
# custom:
#   severity: deny
#   controls:
#     - ISO27001:A.8.9
#     - ISO27001:A.8.27
#     - ISO27001:A.8.2
#     - GDPR:Art.32
#   remediation: >-
#     Run as non-root with allowPrivilegeEscalation false, all capabilities dropped, seccomp
#     RuntimeDefault on the pod and its containers, and no host namespaces, ports or paths.
package mlspec.pod_security

import rego.v1

import data.mlspec.lib.workloads

deny contains finding if {
	some v in violations
	finding := {"object": v.object, "msg": v.msg}
}

violation(pod_ref, describe, msg) := {"object": pod_ref, "msg": sprintf("%s: %s", [describe, msg])}

allowed_volume_types := {
	"configMap", "csi", "downwardAPI", "emptyDir", "ephemeral",
	"persistentVolumeClaim", "projected", "secret",
}

allowed_seccomp := {"RuntimeDefault", "Localhost"}

allowed_selinux_types := {"container_t", "container_init_t", "container_kvm_t", "container_engine_t"}

safe_sysctls := {
	"kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start",
	"net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_local_reserved_ports",
	"net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl",
	"net.ipv4.tcp_keepalive_probes",
}

# --- The pod -----------------------------------------------------------------------------

violations contains violation(pod.object, pod.describe, msg) if {
	some pod in workloads.pods
	some field, what in {"hostNetwork": "network", "hostPID": "process", "hostIPC": "IPC"}
	pod.spec[field] == true
	msg := sprintf("shares the host's %s namespace (%s: true)", [what, field])
}

violations contains violation(pod.object, pod.describe, no_pod_seccomp) if {
	some pod in workloads.pods
	not object.get(pod.spec, ["securityContext", "seccompProfile", "type"], "") in allowed_seccomp
}

no_pod_seccomp := "sets no seccomp profile for the pod (securityContext.seccompProfile: RuntimeDefault)"

violations contains violation(pod.object, pod.describe, msg) if {
	some pod in workloads.pods
	some v in object.get(pod.spec, "volumes", [])
	some type, _ in v
	type != "name"
	not type in allowed_volume_types
	msg := sprintf("volume %s is of type %s, which the restricted standard forbids", [v.name, type])
}

violations contains violation(pod.object, pod.describe, msg) if {
	some pod in workloads.pods
	some s in object.get(pod.spec, ["securityContext", "sysctls"], [])
	not s.name in safe_sysctls
	msg := sprintf("sets sysctl %s, which is not in the safe set", [s.name])
}

violations contains violation(pod.object, pod.describe, sprintf("annotation %s sets AppArmor to %s", [key, value])) if {
	some pod in workloads.pods
	some key, value in pod.annotations
	startswith(key, "container.apparmor.security.beta.kubernetes.io/")
	value != "runtime/default"
	not startswith(value, "localhost/")
}

violations contains violation(pod.object, pod.describe, msg) if {
	some pod in workloads.pods
	pod_non_root := object.get(pod.spec, ["securityContext", "runAsNonRoot"], null)
	some c in pod.containers
	not non_root(pod_non_root, object.get(c, ["securityContext", "runAsNonRoot"], null))
	msg := sprintf("container %s does not exclude running as root (runAsNonRoot is not true)", [c.name])
}

violations contains violation(pod.object, pod.describe, msg) if {
	some pod in workloads.pods
	some c in pod.containers
	some p in object.get(c, "ports", [])
	object.get(p, "hostPort", 0) != 0
	msg := sprintf("container %s publishes host port %v", [c.name, p.hostPort])
}

non_root(_, true)

non_root(true, null)

# --- Security contexts of the pod and of each container -----------------------------------

# Each distinct security context is checked once (pods mostly share a few), then reported for
# every pod or container that has it.
pod_contexts contains object.get(pod.spec, "securityContext", {}) if some pod in workloads.pods

container_contexts contains object.get(c, "securityContext", {}) if {
	some pod in workloads.pods
	some c in pod.containers
}

violations contains violation(pod.object, pod.describe, sprintf("pod %s", [msg])) if {
	some pod in workloads.pods
	some msg in problems[object.get(pod.spec, "securityContext", {})]
}

violations contains violation(pod.object, pod.describe, sprintf("container %s %s", [c.name, msg])) if {
	some pod in workloads.pods
	some c in pod.containers
	sc := object.get(c, "securityContext", {})
	some problems_of in [problems, container_problems]
	some msg in problems_of[sc]
}

# What the restricted standard forbids in a pod's or a container's security context.
problems[sc] contains "runs as user 0 (root)" if {
	some sc in pod_contexts | container_contexts
	sc.runAsUser == 0
}

problems[sc] contains sprintf("sets seccomp %s", [type]) if {
	some sc in pod_contexts | container_contexts
	type := sc.seccompProfile.type
	not type in allowed_seccomp
}

problems[sc] contains "sets AppArmor Unconfined" if {
	some sc in pod_contexts | container_contexts
	sc.appArmorProfile.type == "Unconfined"
}

problems[sc] contains "runs as a Windows host process" if {
	some sc in pod_contexts | container_contexts
	sc.windowsOptions.hostProcess == true
}

problems[sc] contains sprintf("sets SELinux %s", [field]) if {
	some sc in pod_contexts | container_contexts
	some field in ["user", "role"]
	sc.seLinuxOptions[field] != ""
}

problems[sc] contains sprintf("sets SELinux type %s", [type]) if {
	some sc in pod_contexts | container_contexts
	type := sc.seLinuxOptions.type
	type != ""
	not type in allowed_selinux_types
}

# What it forbids, or requires, in a container's security context only.
container_problems[sc] contains "is privileged" if {
	some sc in container_contexts
	sc.privileged == true
}

container_problems[sc] contains "allows privilege escalation (allowPrivilegeEscalation is not false)" if {
	some sc in container_contexts
	object.get(sc, "allowPrivilegeEscalation", true) != false
}

container_problems[sc] contains "does not drop all capabilities (capabilities.drop: [ALL])" if {
	some sc in container_contexts
	not "ALL" in object.get(sc, ["capabilities", "drop"], [])
}

container_problems[sc] contains sprintf("adds capability %s (only NET_BIND_SERVICE may be added)", [cap]) if {
	some sc in container_contexts
	some cap in object.get(sc, ["capabilities", "add"], [])
	cap != "NET_BIND_SERVICE"
}

container_problems[sc] contains sprintf("sets procMount %s", [sc.procMount]) if {
	some sc in container_contexts
	sc.procMount != "Default"
}
