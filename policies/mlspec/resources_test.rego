package mlspec.resources_test

import rego.v1

import data.mlspec.resources

params := {"accelerator_prefixes": ["nvidia.com/", "amd.com/"]}

cpu_memory := {"cpu": "2", "memory": "4Gi"}

l4 := {
	"resource": "nvidia.com/gpu",
	"nodeSelector": {"cloud.google.com/gke-accelerator": "nvidia-l4"},
	"tolerations": [{"key": "nvidia.com/gpu", "operator": "Equal", "value": "present", "effect": "NoSchedule"}],
}

placement := {"accelerator": "l4", "resource": "nvidia.com/gpu", "count": 1}

container(name, extra, env) := {
	"name": name,
	"env": env,
	"resources": {"requests": object.union(cpu_memory, extra), "limits": object.union(cpu_memory, extra)},
}

gpu := {"nvidia.com/gpu": "1"}

tier_deployment(tier, c, pod) := {
	"kind": "Deployment",
	"metadata": {"name": sprintf("fraud-%s", [tier])},
	"spec": {"template": {
		"metadata": {"labels": {"mlspec.io/tier": tier}},
		"spec": object.union({"containers": [c]}, pod),
	}},
}

train_workflow(c) := {"kind": "WorkflowTemplate", "metadata": {"name": "fraud-train"}, "spec": {"templates": [{
	"name": "train",
	"nodeSelector": l4.nodeSelector,
	"tolerations": l4.tolerations,
	"container": c,
}]}}

step_env(step) := [{"name": "MLSPEC_STEP", "value": step}]

gpu_placement := {"nodeSelector": l4.nodeSelector, "tolerations": l4.tolerations}

base := {
	"cluster": {"accelerators": {"l4": l4}},
	"placement": {"tiers": {"enterprise": placement}, "training": {"train": placement}},
	"objects": [
		tier_deployment("standard", container("runtime", {}, []), {}),
		tier_deployment("enterprise", container("runtime", gpu, []), gpu_placement),
		train_workflow(container("main", gpu, step_env("train"))),
	],
}

deny(inp) := found if {
	found := resources.deny with input as inp with data.mlspec.params.resources as params
}

with_object(i, obj) := json.patch(base, [{"op": "replace", "path": sprintf("/objects/%d", [i]), "value": obj}])

test_sized_containers_and_asked_accelerators_pass if {
	count(deny(base)) == 0
}

test_missing_requests_and_limits_are_denied if {
	bare := {"name": "runtime", "resources": {"requests": {"cpu": "1"}}}
	found := deny(with_object(0, tier_deployment("standard", bare, {})))
	count(found) == 1
	some f in found
	f.object == {"kind": "Deployment", "name": "fraud-standard"}
	f.msg == "Deployment fraud-standard: container runtime sets no requests.memory, limits.cpu, limits.memory"
}

test_accelerator_on_a_tier_that_asks_for_none_is_denied if {
	some f in deny(with_object(0, tier_deployment("standard", container("runtime", gpu, []), {})))
	f.msg == concat(" ", [
		"Deployment fraud-standard: container runtime takes 1 nvidia.com/gpu,",
		"but serving tier standard asks for no accelerator",
	])
}

test_accelerator_outside_tiers_and_steps_is_denied if {
	apply := container("apply", {"amd.com/gpu": "1"}, [])
	job := {"kind": "Job", "metadata": {"name": "fraud-apply"}, "spec": {"template": {"spec": {"containers": [apply]}}}}
	inp := object.union(base, {"objects": array.concat(base.objects, [job])})
	some f in deny(inp)
	f.msg == "Job fraud-apply: container apply takes 1 amd.com/gpu, but it belongs to no serving tier or training step"
}

test_more_accelerators_than_asked_are_denied if {
	some f in deny(with_object(2, train_workflow(container("main", {"nvidia.com/gpu": "4"}, step_env("train")))))
	f.object == {"kind": "WorkflowTemplate", "name": "fraud-train"}
	contains(f.msg, "takes 4 nvidia.com/gpu, more than the 1 training step train asks for")
}

test_another_accelerator_than_asked_is_denied if {
	mig := {"nvidia.com/mig-1g.10gb": "1"}
	some f in deny(with_object(1, tier_deployment("enterprise", container("runtime", mig, []), gpu_placement)))
	contains(f.msg, "takes nvidia.com/mig-1g.10gb, but serving tier enterprise asks for nvidia.com/gpu")
}

test_pods_without_accelerators_stay_off_accelerator_nodes if {
	cpu_only := container("runtime", {}, [])
	found := deny(with_object(0, tier_deployment("standard", cpu_only, {"tolerations": l4.tolerations})))
	some f in found
	f.msg == "Deployment fraud-standard is placed on l4 nodes without asking for an accelerator"
	some g in deny(with_object(0, tier_deployment("standard", cpu_only, {"nodeSelector": l4.nodeSelector})))
	g.object == {"kind": "Deployment", "name": "fraud-standard"}
}
