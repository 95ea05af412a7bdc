# METADATA
# title: Secure images
# description: |
#   Every image a system runs, from the spec, the platform config or the rendered pods, comes
#   from a registry the platform approved, and is pinned by digest in the environments (and on
#   the clusters) that require it, so what was reviewed is what runs.
# custom:
#   severity: deny
#   controls:
#     - ISO27001:A.8.19
#     - ISO27001:A.8.32
#     - ISO27001:A.5.21
#   remediation: >-
#     Use an image from an approved registry and pin it by digest
#     (`registry/name:tag@sha256:<digest>`, e.g. from `crane digest <image>`).
package mlspec.secure_images

import rego.v1

import data.mlspec.lib.params as parameters
import data.mlspec.lib.workloads

params := parameters.of("secure_images")

deny contains finding if some finding in parameters.missing("secure_images", ["digest_environments"])

approved(image) if {
	some registry in input.platform.registries
	startswith(image, concat("", [trim_suffix(registry, "/"), "/"]))
}

pinned(image) if contains(image, "@sha256:")

declared := {use.image | some use in input.images}

# Images of rendered pods that neither the spec nor the platform config declares.
undeclared[image] := pod if {
	some pod in workloads.pods
	some container in pod.containers
	image := container.image
	not image in declared
}

digest_required if input.cluster.requireImageDigest

digest_required if input.system.environment in params.digest_environments

digest_reason := sprintf("cluster %s requires", [input.cluster.name]) if input.cluster.requireImageDigest

else := sprintf("environment %s requires", [input.system.environment])

deny contains finding if {
	some use in input.images
	not approved(use.image)
	finding := {
		"pointer": use.pointer,
		"msg": sprintf("image %s is not from an approved registry (%s)", [
			use.image, concat(", ", input.platform.registries),
		]),
	}
}

deny contains finding if {
	some image, pod in undeclared
	not approved(image)
	finding := {
		"object": pod.object,
		"msg": sprintf("%s runs image %s, which is not from an approved registry (%s)", [
			pod.describe, image, concat(", ", input.platform.registries),
		]),
	}
}

deny contains finding if {
	digest_required
	some use in input.images
	not pinned(use.image)
	finding := {
		"pointer": use.pointer,
		"msg": sprintf("%s images pinned by digest; %s is not", [digest_reason, use.image]),
	}
}

deny contains finding if {
	digest_required
	some image, pod in undeclared
	not pinned(image)
	finding := {
		"object": pod.object,
		"msg": sprintf("%s images pinned by digest; %s of %s is not", [digest_reason, image, pod.describe]),
	}
}

# Where no digest is required, a floating tag still means the image can change unreviewed.
warn contains finding if {
	not digest_required
	some use in input.images
	not pinned(use.image)
	floating(use.image)
	finding := {
		"pointer": use.pointer,
		"msg": sprintf(
			"image %s has no tag or the tag latest: what runs can change without a spec change",
			[use.image],
		),
	}
}

floating(image) if {
	parts := split(image, "/")
	not contains(parts[count(parts) - 1], ":")
}

floating(image) if endswith(image, ":latest")
