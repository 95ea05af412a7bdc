package mlspec.safe_rollout_test

import rego.v1

import data.mlspec.safe_rollout

params := {
	"gated_environments": ["prod"],
	"gated_strategies": ["canary", "blueGreen"],
	"max_first_canary_weight": {"prod": 10},
}

canary := {
	"strategy": "canary",
	"canary": {"steps": [{"weight": 5}, {"weight": 100}]},
	"analysis": {"gates": {"maxErrorRate": 0.01}},
}

rollout_object(strategy) := {
	"kind": "Rollout",
	"metadata": {"name": "fraud-standard", "labels": {"mlspec.io/tier": "standard"}},
	"spec": {"strategy": strategy},
}

analysed_canary := rollout_object({"canary": {"analysis": {"templates": [{"templateName": "fraud-standard-gates"}]}}})

base := {
	"system": {"environment": "prod"},
	"cluster": {"components": {"argoRollouts": true}},
	"spec": {
		"rollout": canary,
		"serving": {"tiers": {"standard": {}}},
		"monitoring": {"slos": {}},
	},
	"objects": [analysed_canary],
}

deny(inp) := found if {
	found := safe_rollout.deny with input as inp with data.mlspec.params.safe_rollout as params
}

with_rollout(r) := json.patch(base, [{"op": "replace", "path": "/spec/rollout", "value": r}])

pointers(inp) := {f.pointer | some f in deny(inp)}

test_gated_canary_passes if {
	count(deny(base)) == 0
}

test_no_rollout_in_prod_is_denied if {
	pointers(json.remove(base, ["spec/rollout"])) == {"/environments/prod"}
}

test_ungated_environments_may_deploy_directly if {
	count(deny(object.union(json.remove(base, ["spec/rollout"]), {"system": {"environment": "dev"}}))) == 0
}

test_ab_test_in_prod_is_not_progressive if {
	ab := {"strategy": "abTest", "abTest": {"goal": {"metric": "ctr"}}, "analysis": {"gates": {"maxErrorRate": 0.01}}}
	some f in deny(with_rollout(ab))
	f.pointer == "/rollout/strategy"
	contains(f.msg, "strategy abTest is not one")
}

test_rollout_without_gates_is_denied if {
	pointers(with_rollout(object.remove(canary, ["analysis"]))) == {"/rollout"}
}

test_first_canary_weight_is_limited if {
	big := json.patch(canary, [{"op": "replace", "path": "/canary/steps/0/weight", "value": 25}])
	some f in deny(with_rollout(big))
	f.pointer == "/rollout/canary/steps/0/weight"
	f.msg == "the canary starts at 25% of traffic; environment prod allows at most 10% in the first step"
	staging := object.union(with_rollout(big), {"system": {"environment": "staging"}})
	count(deny(staging)) == 0
}

test_argo_rollouts_must_run_the_analysis if {
	unanalysed := object.union(base, {"objects": [rollout_object({"canary": {"steps": []}})]})
	pointers(unanalysed) == {"/serving/tiers/standard"}
	gated_blue_green := with_rollout({"strategy": "blueGreen", "analysis": {"gates": {"maxErrorRate": 0.01}}})
	post_promotion := rollout_object({"blueGreen": {"postPromotionAnalysis": {"templates": [{"templateName": "g"}]}}})
	blue_green := object.union(gated_blue_green, {"objects": [post_promotion]})
	count(deny(blue_green)) == 0
	no_argo := object.union(unanalysed, {"cluster": {"components": {"argoRollouts": false}}})
	count(deny(no_argo)) == 0
}

test_shadow_needs_a_goal_metric if {
	shadow := {"strategy": "shadow", "shadow": {"percent": 10}, "analysis": {"gates": {"maxErrorRate": 0.01}}}
	inp := object.union(with_rollout(shadow), {"system": {"environment": "staging"}})
	pointers(inp) == {"/rollout/shadow"}
	with_goal := object.union(inp, {"spec": {"monitoring": {"slos": {"accuracy": {"metric": "auc"}}}}})
	count(deny(with_goal)) == 0
}

test_ab_test_needs_a_goal_metric if {
	inp := object.union(with_rollout({"strategy": "abTest", "abTest": {}}), {"system": {"environment": "staging"}})
	pointers(inp) == {"/rollout/abTest"}
}
