# METADATA
# title: Data residency
# description: |
#   A system's data is stored and processed only in the regions its spec allows
#   (compliance.dataResidency) and the platform operates: the cluster that trains, checkpoints,
#   serves and holds the online feature store, and every storage location it reads or writes
#   (datasets, batch sources, model artifacts, the feature registry).
# custom:
#   severity: deny
#   controls:
#     - GDPR:Art.44
#     - GDPR:Art.46
#     - UAE-PDPL:Art.22
#     - UAE-PDPL:Art.23
#     - ISO27001:A.5.31
#     - ISO27001:A.5.34
#   remediation: >-
#     Deploy the environment to a cluster in an allowed region and keep datasets, sources and
#     artifacts in buckets of those regions, or widen compliance.dataResidency once the transfer
#     has a legal basis (adequacy or safeguards).
package mlspec.data_residency

import rego.v1

import data.mlspec.lib.params as parameters

params := parameters.of("data_residency")

residency := input.spec.compliance.dataResidency

deny contains finding if some finding in parameters.missing("data_residency", ["storage_regions"])

deny contains finding if {
	not input.cluster.region in residency
	finding := {
		"pointer": sprintf("/environments/%s/cluster", [input.system.environment]),
		"msg": sprintf("environment %s runs in %s, outside the data residency of %s (%s)", [
			input.system.environment, input.cluster.region, input.system.name,
			concat(", ", residency),
		]),
	}
}

deny contains finding if {
	some i, region in residency
	not region in input.platform.regions
	finding := {
		"pointer": sprintf("/compliance/dataResidency/%d", [i]),
		"msg": sprintf("region %s is not operated by the platform", [region]),
	}
}

deny contains finding if {
	some location in locations
	region := region_of(location.uri)
	not region in residency
	finding := {
		"pointer": location.pointer,
		"msg": sprintf("%s (%s) is stored in %s, outside the data residency of %s (%s)", [
			location.what, location.uri, region, input.system.name, concat(", ", residency),
		]),
	}
}

# A location the platform has not placed cannot be checked: say so rather than pass silently.
warn contains finding if {
	some location in locations
	not region_of(location.uri)
	finding := {
		"pointer": location.pointer,
		"msg": sprintf(
			"the region of %s (%s) is unknown, so its residency cannot be checked",
			[location.what, location.uri],
		),
		"remediation": concat(" ", [
			"Ask the platform team to add the location's region to data_residency.storage_regions",
			"in the policy parameters.",
		]),
	}
}

# Where the system's data lives outside the cluster.
locations contains {
	"what": sprintf("dataset %s", [name]),
	"uri": dataset.uri,
	"pointer": sprintf("/training/datasets/%s/uri", [name]),
} if {
	some name, dataset in input.spec.training.datasets
}

locations contains {
	"what": sprintf("the batch source of feature view %s", [name]),
	"uri": view.batchSource.uri,
	"pointer": sprintf("/features/views/%s/batchSource/uri", [name]),
} if {
	some name, view in input.spec.features.views
}

locations contains {
	"what": "the model artifact",
	"uri": input.spec.model.artifact.uri,
	"pointer": "/model/artifact/uri",
}

locations contains {"what": "the stable release's artifact", "uri": uri, "pointer": "/rollout/stable/artifact/uri"} if {
	uri := input.spec.rollout.stable.artifact.uri
}

locations contains {
	"what": sprintf("the artifact of A/B variant %s", [name]),
	"uri": variant.artifact.uri,
	"pointer": sprintf("/rollout/abTest/variants/%s/artifact/uri", [name]),
} if {
	some name, variant in input.spec.rollout.abTest.variants
}

locations contains {
	"what": sprintf("the feature registry of cluster %s", [input.cluster.name]),
	"uri": input.cluster.featureStore.registry,
	"pointer": sprintf("/environments/%s/cluster", [input.system.environment]),
}

# The region of a storage location: its longest matching prefix in the parameters.
region_of(uri) := params.storage_regions[prefix] if {
	prefixes := {p | some p, _ in params.storage_regions; startswith(uri, p)}
	count(prefixes) > 0
	longest := max({count(p) | some p in prefixes})
	some prefix in prefixes
	count(prefix) == longest
}
