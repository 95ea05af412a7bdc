# METADATA
# title: Resources
# description: |
#   Every container of every pod template requests and limits CPU and memory, so the
#   scheduler, quotas and cost reports see what the system uses; accelerators go only to the
#   serving tiers and training steps that ask for them, in the type and number asked, and no
#   other pod is placed on accelerator nodes.
# custom:
#   severity: deny
#   controls:
#     - ISO27001:A.8.6
#     - ISO27001:A.8.9
#   remediation: >-
#     Set resources (cpu, memory) on the tier or step, and ask for accelerators only through
#     resources.accelerator of the tier or step that needs them.
package mlspec.resources

import rego.v1

import data.mlspec.lib.params as parameters
import data.mlspec.lib.workloads

params := parameters.of("resources")

deny contains finding if some finding in parameters.missing("resources", ["accelerator_prefixes"])

deny contains finding if {
	some pod in workloads.pods
	some c in pod.containers
	missing := [sprintf("%s.%s", [kind, resource]) |
		some kind in ["requests", "limits"]
		some resource in ["cpu", "memory"]
		object.get(c, ["resources", kind, resource], null) == null
	]
	count(missing) > 0
	finding := {
		"object": pod.object,
		"msg": sprintf("%s: container %s sets no %s", [pod.describe, c.name, concat(", ", missing)]),
	}
}

# Extended resources that are accelerators: those the cluster profile names, and any under
# the vendors' prefixes.
accelerator_resources contains profile.resource if some profile in input.cluster.accelerators

accelerator_resources contains resource if {
	some profile in input.cluster.accelerators
	some resource in object.get(profile, "migProfiles", {})
}

is_accelerator(resource) if resource in accelerator_resources

is_accelerator(resource) if {
	some prefix in params.accelerator_prefixes
	startswith(resource, prefix)
}

# Accelerators each container takes, with what its tier or step asked for.
uses contains {
	"object": pod.object,
	"describe": pod.describe,
	"container": c.name,
	"resource": resource,
	"count": units.parse(quantity),
	"asker": asker(object.get(pod.labels, "mlspec.io/tier", ""), workloads.step_of(id, i)),
} if {
	some id, pod in workloads.pods
	some i, c in pod.containers
	some kind in ["requests", "limits"]
	some resource, quantity in object.get(c, ["resources", kind], {})
	not resource in ordinary_resources
	is_accelerator(resource)
}

ordinary_resources := {"cpu", "memory", "ephemeral-storage"}

# Who may ask for accelerators: the serving tier the pod belongs to, else the training step
# the container runs; "" for anything else.
asker(tier, _) := sprintf("serving tier %s", [tier]) if tier != ""

asker("", step) := sprintf("training step %s", [step]) if step != ""

asker("", "") := ""

placement_of(asker) := input.placement.tiers[trim_prefix(asker, "serving tier ")] if {
	startswith(asker, "serving tier ")
}

placement_of(asker) := input.placement.training[trim_prefix(asker, "training step ")] if {
	startswith(asker, "training step ")
}

deny contains finding if {
	some use in uses
	not placement_of(use.asker)
	finding := {
		"object": use.object,
		"msg": sprintf("%s: container %s takes %v %s, but %s", [
			use.describe, use.container, use.count, use.resource, unasked(use.asker),
		]),
	}
}

unasked("") := "it belongs to no serving tier or training step"

unasked(asker) := sprintf("%s asks for no accelerator", [asker]) if asker != ""

deny contains finding if {
	some use in uses
	asked := placement_of(use.asker)
	use.resource != asked.resource
	finding := {
		"object": use.object,
		"msg": sprintf("%s: container %s takes %s, but %s asks for %s", [
			use.describe, use.container, use.resource, use.asker, asked.resource,
		]),
	}
}

deny contains finding if {
	some use in uses
	asked := placement_of(use.asker)
	use.resource == asked.resource
	use.count > asked.count
	finding := {
		"object": use.object,
		"msg": sprintf("%s: container %s takes %v %s, more than the %v %s asks for", [
			use.describe, use.container, use.count, use.resource, asked.count, use.asker,
		]),
	}
}

# A pod that asks for no accelerator has no business on accelerator nodes.
deny contains finding if {
	some pod in workloads.pods
	not pod.describe in accelerated
	some name, profile in input.cluster.accelerators
	on_nodes_of(object.get(pod.spec, "nodeSelector", {}), object.get(pod.spec, "tolerations", []), profile)
	finding := {
		"object": pod.object,
		"msg": sprintf("%s is placed on %s nodes without asking for an accelerator", [pod.describe, name]),
	}
}

# Pods (by description) that take accelerators.
accelerated contains use.describe if some use in uses

on_nodes_of(selector, _, profile) if {
	count(profile.nodeSelector) > 0
	every key, value in profile.nodeSelector {
		selector[key] == value
	}
}

on_nodes_of(_, tolerations, profile) if {
	some taint in object.get(profile, "tolerations", [])
	some toleration in tolerations
	toleration.key == taint.key
	object.get(toleration, "effect", "") == object.get(taint, "effect", "")
}
