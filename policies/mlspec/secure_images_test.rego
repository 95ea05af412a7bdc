package mlspec.secure_images_test

import rego.v1

import data.mlspec.secure_images

params := {"digest_environments": ["staging", "prod"]}

train := "registry.acme.io/ml/train:1@sha256:aa"

runtime := "registry.acme.io/platform/runtime:0.1@sha256:bb"

deployment(image) := {"kind": "Deployment", "metadata": {"name": "fraud-standard"}, "spec": {"template": {"spec": {
	"initContainers": [{"name": "fetch", "image": image}],
	"containers": [{"name": "runtime", "image": runtime}],
}}}}

base := {
	"system": {"environment": "prod"},
	"platform": {"registries": ["registry.acme.io/ml", "registry.acme.io/platform/"]},
	"cluster": {"name": "prod", "requireImageDigest": true},
	"images": [
		{"image": train, "pointer": "/training/pipeline/train/image"},
		{"image": runtime, "pointer": "platform:/images/runtime"},
	],
	"objects": [deployment(runtime)],
}

deny(inp) := found if {
	found := secure_images.deny with input as inp with data.mlspec.params.secure_images as params
}

warn(inp) := found if {
	found := secure_images.warn with input as inp with data.mlspec.params.secure_images as params
}

with_train(image) := json.patch(base, [{"op": "replace", "path": "/images/0/image", "value": image}])

dev(inp) := object.union(inp, {"system": {"environment": "dev"}, "cluster": {"requireImageDigest": false}})

test_approved_pinned_images_pass if {
	count(deny(base)) == 0
}

test_unapproved_registry_is_denied if {
	some f in deny(with_train("docker.io/library/python:3.12@sha256:aa"))
	f.pointer == "/training/pipeline/train/image"
	contains(f.msg, "not from an approved registry")
}

test_prefix_must_end_at_a_path_boundary if {
	count(deny(with_train("registry.acme.io/ml-evil/x@sha256:aa"))) == 1
}

test_digest_required_by_the_cluster_or_the_environment if {
	unpinned := with_train("registry.acme.io/ml/train:1")
	[f] := [f | some f in deny(unpinned)]
	f.pointer == "/training/pipeline/train/image"
	f.msg == "cluster prod requires images pinned by digest; registry.acme.io/ml/train:1 is not"
	staging := object.union(unpinned, {"system": {"environment": "staging"}, "cluster": {"requireImageDigest": false}})
	[g] := [g | some g in deny(staging)]
	g.msg == "environment staging requires images pinned by digest; registry.acme.io/ml/train:1 is not"
	count(deny(dev(unpinned))) == 0
}

test_floating_tags_warn_where_no_digest_is_required if {
	some f in warn(dev(with_train("registry.acme.io/ml/train:latest")))
	f.pointer == "/training/pipeline/train/image"
	some g in warn(dev(with_train("registry.acme.io:5000/ml/train")))
	contains(g.msg, "has no tag")
	count(warn(dev(with_train("registry.acme.io:5000/ml/train:1.2")))) == 0
}

test_images_only_the_rendered_pods_name_are_checked if {
	found := deny(object.union(base, {"objects": [deployment("quay.io/someone/fetch:1")]}))
	msgs := {f.msg | some f in found}
	msgs == {
		concat(" ", [
			"Deployment fraud-standard runs image quay.io/someone/fetch:1, which is not from an approved registry",
			"(registry.acme.io/ml, registry.acme.io/platform/)",
		]),
		"cluster prod requires images pinned by digest; quay.io/someone/fetch:1 of Deployment fraud-standard is not",
	}
	some f in found
	f.object == {"kind": "Deployment", "name": "fraud-standard"}
}
