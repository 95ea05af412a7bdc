# METADATA
# title: Data residency
# description: |
#   A system runs only in regions its data may live in (GDPR chapter V transfers; UAE PDPL
#   art. 22-23 cross-border transfers), and only in regions the platform operates.
package mlspec.data_residency

import rego.v1

deny contains finding if {
	not input.cluster.region in input.spec.compliance.dataResidency
	finding := {
		"pointer": sprintf("/environments/%s/cluster", [input.system.environment]),
		"msg": sprintf("environment %s runs in %s, outside the data residency of %s (%s)", [
			input.system.environment, input.cluster.region, input.system.name,
			concat(", ", input.spec.compliance.dataResidency),
		]),
	}
}

deny contains finding if {
	some i, region in input.spec.compliance.dataResidency
	not region in input.platform.regions
	finding := {
		"pointer": sprintf("/compliance/dataResidency/%d", [i]),
		"msg": sprintf("region %s is not operated by the platform", [region]),
	}
}
