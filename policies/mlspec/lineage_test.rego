package mlspec.lineage_test

import rego.v1

import data.mlspec.lineage

params := {"floating_versions": ["latest", "current"]}

hex := "3f0b315270e2f606712c89b739c8c4f0671d3e3a25b4fbaaa575e9522e4c8c26"

base := {"spec": {
	"training": {
		"datasets": {"tx": {
			"uri": "s3://lake/tx/2026-11-01/",
			"version": "2026-11-01",
			"digest": sprintf("sha256:%s", [hex]),
		}},
		"validationGates": {"auc": {"min": 0.9}},
	},
	"model": {"version": "3.2.0", "artifact": {"uri": "s3://models/3.2.0/model.onnx", "sha256": hex}},
	"rollout": {
		"stable": {"version": "3.1.0", "artifact": {"uri": "s3://models/3.1.0/model.onnx", "sha256": hex}},
		"abTest": {"variants": {
			"a": {"version": "3.0.0", "artifact": {"uri": "s3://models/3.0.0/model.onnx", "sha256": hex}},
			"b": {},
		}},
	},
	"monitoring": {"slos": {"accuracy": {"metric": "auc"}}},
}}

deny(inp) := found if {
	found := lineage.deny with input as inp with data.mlspec.params.lineage as params
}

warn(inp) := found if {
	found := lineage.warn with input as inp with data.mlspec.params.lineage as params
}

patched(op, path, value) := json.patch(base, [{"op": op, "path": path, "value": value}])

pointers(inp) := {f.pointer | some f in deny(inp)}

test_pinned_and_gated_passes if {
	count(deny(base)) == 0
	count(warn(base)) == 0
}

test_floating_versions_are_denied if {
	pointers(patched("replace", "/spec/training/datasets/tx/version", "Latest")) == {"/training/datasets/tx/version"}
	pointers(patched("replace", "/spec/model/version", "current")) == {"/model/version"}
	variant := patched("replace", "/spec/rollout/abTest/variants/a/version", "latest")
	pointers(variant) == {"/rollout/abTest/variants/a/version"}
}

test_missing_or_malformed_digests_are_denied if {
	pointers(json.remove(base, ["spec/training/datasets/tx/digest"])) == {"/training/datasets/tx/digest"}
	pointers(patched("replace", "/spec/training/datasets/tx/digest", "md5:abc")) == {"/training/datasets/tx/digest"}
	pointers(patched("replace", "/spec/rollout/stable/artifact/sha256", "abc")) == {"/rollout/stable/artifact/sha256"}
}

test_dataset_without_version_is_denied if {
	pointers(json.remove(base, ["spec/training/datasets/tx/version"])) == {"/training/datasets/tx"}
}

test_floating_locations_are_denied if {
	some f in deny(patched("replace", "/spec/training/datasets/tx/uri", "s3://lake/tx/latest/"))
	f.pointer == "/training/datasets/tx/uri"
	some g in deny(patched("replace", "/spec/model/artifact/uri", "s3://models/latest/model.onnx"))
	g.pointer == "/model/artifact/uri"
}

test_training_without_gates_is_denied if {
	pointers(patched("replace", "/spec/training/validationGates", {})) == {"/training/validationGates"}
}

test_missing_gate_on_the_production_metric_warns if {
	inp := patched("replace", "/spec/training/validationGates", {"recall": {"min": 0.5}})
	count(deny(inp)) == 0
	some f in warn(inp)
	contains(f.msg, "judges the model by auc")
}
