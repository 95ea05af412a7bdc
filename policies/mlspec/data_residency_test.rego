package mlspec.data_residency_test

import rego.v1

import data.mlspec.data_residency

base := {
	"system": {"name": "churn", "environment": "prod"},
	"cluster": {"region": "me-central-1"},
	"platform": {"regions": ["eu-west-1", "me-central-1"]},
	"spec": {"compliance": {"dataResidency": ["me-central-1"]}},
}

test_in_region_passes if {
	count(data_residency.deny) == 0 with input as base
}

test_cluster_outside_residency_is_denied if {
	some f in data_residency.deny with input as object.union(base, {"cluster": {"region": "eu-west-1"}})
	f.pointer == "/environments/prod/cluster"
}

test_region_the_platform_does_not_operate_is_denied if {
	inp := object.union(base, {"spec": {"compliance": {"dataResidency": ["me-central-1", "us-east-1"]}}})
	some f in data_residency.deny with input as inp
	f.pointer == "/compliance/dataResidency/1"
}
