package mlspec.secure_images_test

import rego.v1

import data.mlspec.secure_images

base := {
	"platform": {"registries": ["registry.acme.io/ml", "registry.acme.io/platform/"]},
	"cluster": {"name": "prod", "requireImageDigest": true},
	"images": [{"image": "registry.acme.io/ml/train:1@sha256:aa", "pointer": "/training/pipeline/train/image"}],
}

test_approved_pinned_image_passes if {
	count(secure_images.deny) == 0 with input as base
}

test_unapproved_registry_is_denied if {
	inp := object.union(base, {"images": [{"image": "docker.io/library/python:3.12@sha256:aa", "pointer": "/training/pipeline/train/image"}]})
	some f in secure_images.deny with input as inp
	f.pointer == "/training/pipeline/train/image"
	contains(f.msg, "not from an approved registry")
}

test_prefix_must_end_at_a_path_boundary if {
	inp := object.union(base, {"images": [{"image": "registry.acme.io/ml-evil/x@sha256:aa", "pointer": "/p"}]})
	count(secure_images.deny) == 1 with input as inp
}

test_digest_required_only_where_the_cluster_says_so if {
	unpinned := object.union(base, {"images": [{"image": "registry.acme.io/ml/train:1", "pointer": "/p"}]})
	count(secure_images.deny) == 1 with input as unpinned
	relaxed := object.union(unpinned, {"cluster": {"name": "dev", "requireImageDigest": false}})
	count(secure_images.deny) == 0 with input as relaxed
}
