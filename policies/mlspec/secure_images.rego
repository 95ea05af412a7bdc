# METADATA
# title: Secure images
# description: |
#   Every image a system deploys comes from a registry the platform approved, and is pinned by
#   digest where the cluster requires it (ISO 27001 A.8.19 software installation; supply chain).
package mlspec.secure_images

import rego.v1

approved(image) if {
	some registry in input.platform.registries
	startswith(image, concat("", [trim_suffix(registry, "/"), "/"]))
}

deny contains finding if {
	some use in input.images
	not approved(use.image)
	finding := {
		"pointer": use.pointer,
		"msg": sprintf("image %s is not from an approved registry (%s)", [use.image, concat(", ", input.platform.registries)]),
	}
}

deny contains finding if {
	input.cluster.requireImageDigest
	some use in input.images
	not contains(use.image, "@sha256:")
	finding := {
		"pointer": use.pointer,
		"msg": sprintf("cluster %s requires images pinned by digest; %s is not", [input.cluster.name, use.image]),
	}
}
