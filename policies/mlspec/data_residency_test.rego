package mlspec.data_residency_test

import rego.v1

import data.mlspec.data_residency

params := {"storage_regions": {
	"s3://lake-me/": "me-central-1",
	"s3://lake-eu/": "eu-west-1",
	"s3://lake-eu/me-copy/": "me-central-1",
}}

base := {
	"system": {"name": "churn", "environment": "prod"},
	"cluster": {"name": "prod-me", "region": "me-central-1", "featureStore": {"registry": "s3://lake-me/registry.db"}},
	"platform": {"regions": ["eu-west-1", "me-central-1"]},
	"spec": {
		"compliance": {"dataResidency": ["me-central-1"]},
		"training": {"datasets": {"accounts": {"uri": "s3://lake-me/accounts/2026-11-15/"}}},
		"features": {"views": {"billing": {"batchSource": {"uri": "s3://lake-me/billing/"}}}},
		"model": {"artifact": {"uri": "s3://lake-me/models/1.5.0/model.onnx"}},
		"rollout": {"stable": {"artifact": {"uri": "s3://lake-me/models/1.4.0/model.onnx"}}},
	},
}


test_in_region_passes if {
	count(data_residency.deny) == 0 with input as base with data.mlspec.params.data_residency as params
	count(data_residency.warn) == 0 with input as base with data.mlspec.params.data_residency as params
}

test_cluster_outside_residency_is_denied if {
	inp := object.union(base, {"cluster": {"region": "eu-west-1"}})
	some f in data_residency.deny with input as inp with data.mlspec.params.data_residency as params
	f.pointer == "/environments/prod/cluster"
	contains(f.msg, "outside the data residency")
}

test_region_the_platform_does_not_operate_is_denied if {
	inp := object.union(base, {"spec": {"compliance": {"dataResidency": ["me-central-1", "us-east-1"]}}})
	some f in data_residency.deny with input as inp with data.mlspec.params.data_residency as params
	f.pointer == "/compliance/dataResidency/1"
}

test_dataset_stored_abroad_is_denied if {
	inp := object.union(base, {"spec": {"training": {"datasets": {"accounts": {"uri": "s3://lake-eu/accounts/"}}}}})
	denied := data_residency.deny with input as inp with data.mlspec.params.data_residency as params
	count(denied) == 1
	some f in denied
	f.pointer == "/training/datasets/accounts/uri"
	contains(f.msg, "stored in eu-west-1")
}

test_every_kind_of_location_is_checked if {
	abroad := "s3://lake-eu/x"
	inp := object.union(base, {
		"cluster": {"featureStore": {"registry": abroad}},
		"spec": {
			"features": {"views": {"billing": {"batchSource": {"uri": abroad}}}},
			"model": {"artifact": {"uri": abroad}},
			"rollout": {
				"stable": {"artifact": {"uri": abroad}},
				"abTest": {"variants": {"b": {"artifact": {"uri": abroad}}}},
			},
		},
	})
	pointers := {f.pointer | some f in data_residency.deny}
		with input as inp
		with data.mlspec.params.data_residency as params
	pointers == {
		"/environments/prod/cluster", "/features/views/billing/batchSource/uri", "/model/artifact/uri",
		"/rollout/stable/artifact/uri", "/rollout/abTest/variants/b/artifact/uri",
	}
}

test_longest_prefix_decides if {
	copy := "s3://lake-eu/me-copy/accounts/"
	inp := object.union(base, {"spec": {"training": {"datasets": {"accounts": {"uri": copy}}}}})
	count(data_residency.deny) == 0 with input as inp with data.mlspec.params.data_residency as params
}

test_unknown_location_warns_and_does_not_pass_silently if {
	inp := object.union(base, {"spec": {"model": {"artifact": {"uri": "gs://elsewhere/model.onnx"}}}})
	count(data_residency.deny) == 0 with input as inp with data.mlspec.params.data_residency as params
	some f in data_residency.warn with input as inp with data.mlspec.params.data_residency as params
	f.pointer == "/model/artifact/uri"
}

test_missing_parameters_deny if {
	some f in data_residency.deny with input as base with data.mlspec.params as {}
	contains(f.msg, "data_residency.storage_regions is not set")
}
