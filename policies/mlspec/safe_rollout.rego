# METADATA
# title: Safe rollout
# description: |
#   In the gated environments (prod) a new model reaches users progressively, canary or
#   blue-green, under analysis gates that roll it back on a breach, and where Argo Rollouts runs
#   the tiers, their Rollouts carry that analysis; a canary starts small. Shadow and A/B rollouts
#   name the goal metric they are judged on.
# custom:
#   severity: deny
#   controls:
#     - ISO27001:A.8.32
#     - ISO27001:A.8.29
#     - ISO27001:A.8.31
#   remediation: >-
#     Roll out with strategy canary or blueGreen and rollout.analysis.gates, start the canary
#     at or below the platform's first weight, and give shadow and A/B rollouts a goal metric.
package mlspec.safe_rollout

import rego.v1

import data.mlspec.lib.params as parameters

params := parameters.of("safe_rollout")

env := input.system.environment

rollout := input.spec.rollout

gated if env in params.gated_environments

deny contains finding if {
	some finding in parameters.missing("safe_rollout", [
		"gated_environments", "gated_strategies", "max_first_canary_weight",
	])
}

deny contains finding if {
	gated
	not rollout
	finding := {
		"pointer": sprintf("/environments/%s", [env]),
		"msg": sprintf("environment %s deploys new models with no rollout: every user gets them at once", [env]),
	}
}

deny contains finding if {
	gated
	not rollout.strategy in params.gated_strategies
	finding := {
		"pointer": "/rollout/strategy",
		"msg": sprintf("environment %s needs a progressive rollout (%s); strategy %s is not one", [
			env, concat(", ", params.gated_strategies), rollout.strategy,
		]),
	}
}

deny contains finding if {
	gated
	rollout
	count(object.get(rollout, ["analysis", "gates"], {})) == 0
	finding := {
		"pointer": "/rollout",
		"msg": sprintf("the rollout in environment %s has no analysis gates to roll a bad model back", [env]),
		"remediation": "Add rollout.analysis.gates (maxErrorRate, maxP99Latency, maxDriftScore).",
	}
}

deny contains finding if {
	limit := params.max_first_canary_weight[env]
	rollout.strategy == "canary"
	first := rollout.canary.steps[0].weight
	first > limit
	finding := {
		"pointer": "/rollout/canary/steps/0/weight",
		"msg": sprintf("the canary starts at %v%% of traffic; environment %s allows at most %v%% in the first step", [
			first, env, limit,
		]),
	}
}

# Where Argo Rollouts moves the traffic, each tier's Rollout must run the analysis.
deny contains finding if {
	gated
	input.cluster.components.argoRollouts
	rollout.strategy in {"canary", "blueGreen"}
	some tier, _ in input.spec.serving.tiers
	not analysed(tier)
	finding := {
		"pointer": sprintf("/serving/tiers/%s", [tier]),
		"msg": sprintf("no Argo Rollout of tier %s runs the analysis gates", [tier]),
	}
}

analysed(tier) if {
	some obj in input.objects
	obj.kind == "Rollout"
	obj.metadata.labels["mlspec.io/tier"] == tier
	some path in [
		["canary", "analysis"],
		["blueGreen", "prePromotionAnalysis"],
		["blueGreen", "postPromotionAnalysis"],
	]
	count(object.get(obj.spec.strategy, array.concat(path, ["templates"]), [])) > 0
}

deny contains finding if {
	rollout.strategy == "abTest"
	not rollout.abTest.goal.metric
	finding := {"pointer": "/rollout/abTest", "msg": "the A/B test names no goal metric to decide on"}
}

# A shadow serves no one: it is judged only by how the new model's answers score, which the
# spec states as the online accuracy objective.
deny contains finding if {
	rollout.strategy == "shadow"
	not input.spec.monitoring.slos.accuracy.metric
	finding := {
		"pointer": "/rollout/shadow",
		"msg": "the shadow rollout has no goal metric to judge the new model by (monitoring.slos.accuracy)",
	}
}
