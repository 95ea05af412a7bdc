# METADATA
# title: Lineage and versioning
# description: |
#   What a model is trained on and what is served can be traced and reproduced: datasets are
#   pinned by version and content digest, model releases by version and SHA-256, none of them
#   by a floating name such as `latest`; training promotes a model only through validation
#   gates, including one on the metric production judges it by.
# custom:
#   severity: deny
#   controls:
#     - ISO27001:A.8.32
#     - ISO27001:A.8.29
#     - ISO27001:A.8.25
#     - ISO27001:A.5.9
#     - GDPR:Art.5
#   remediation: >-
#     Name each dataset snapshot and model release by an immutable version with its digest
#     (sha256), and list the metrics a candidate must meet under training.validationGates.
package mlspec.lineage

import rego.v1

import data.mlspec.lib.params as parameters

params := parameters.of("lineage")

deny contains finding if some finding in parameters.missing("lineage", ["floating_versions"])

floating(version) if lower(version) in params.floating_versions

floating_location(uri) if {
	some segment in split(uri, "/")
	floating(segment)
}

sha256_digest := `^sha256:[a-f0-9]{64}$`

sha256_hex := `^[a-f0-9]{64}$`

# Every immutable input or release, with where it is written.
# {"what", "pointer" (of the element), "version", "uri", "digest" (as `sha256:<hex>`)}
pins contains {
	"what": sprintf("dataset %s", [name]),
	"pointer": sprintf("/training/datasets/%s", [name]),
	"version": object.get(d, "version", ""),
	"uri": d.uri,
	"digest": object.get(d, "digest", ""),
	"digest_field": "digest",
} if {
	some name, d in input.spec.training.datasets
}

pins contains release("the model", "/model", input.spec.model.version, input.spec.model.artifact)

pins contains release("the stable release", "/rollout/stable", object.get(stable, "version", ""), stable.artifact) if {
	stable := input.spec.rollout.stable
}

pins contains release(
	sprintf("A/B variant %s", [name]),
	sprintf("/rollout/abTest/variants/%s", [name]),
	object.get(v, "version", ""),
	v.artifact,
) if {
	some name, v in input.spec.rollout.abTest.variants
}

# A model release. Version and artifact only: the model section also holds the training
# baselines, too large to pass around.
release(what, pointer, version, artifact) := {
	"what": what,
	"pointer": pointer,
	"version": version,
	"uri": artifact.uri,
	"digest": sprintf("sha256:%s", [object.get(artifact, "sha256", "")]),
	"digest_field": "artifact/sha256",
}

deny contains finding if {
	some pin in pins
	pin.version != ""
	floating(pin.version)
	finding := {
		"pointer": sprintf("%s/version", [pin.pointer]),
		"msg": sprintf("%s is pinned to version %s, a name that moves", [pin.what, pin.version]),
	}
}

deny contains finding if {
	some pin in pins
	pin.digest_field == "digest"
	pin.version == ""
	finding := {"pointer": pin.pointer, "msg": sprintf("%s has no version", [pin.what])}
}

deny contains finding if {
	some pin in pins
	not regex.match(sha256_digest, pin.digest)
	finding := {
		"pointer": sprintf("%s/%s", [pin.pointer, pin.digest_field]),
		"msg": sprintf("%s is not pinned by a SHA-256 digest", [pin.what]),
	}
}

deny contains finding if {
	some pin in pins
	floating_location(pin.uri)
	finding := {
		"pointer": sprintf("%s/%s", [pin.pointer, uri_field(pin)]),
		"msg": sprintf("%s is read from %s, a location whose content moves", [pin.what, pin.uri]),
	}
}

uri_field(pin) := "uri" if pin.digest_field == "digest"

else := "artifact/uri"

deny contains finding if {
	count(object.get(input.spec.training, "validationGates", {})) == 0
	finding := {
		"pointer": "/training/validationGates",
		"msg": "training registers models without validation gates",
	}
}

# A model is judged in production by its accuracy objective: training should gate on it.
warn contains finding if {
	metric := input.spec.monitoring.slos.accuracy.metric
	not input.spec.training.validationGates[metric]
	finding := {
		"pointer": "/training/validationGates",
		"msg": sprintf(
			"production judges the model by %s (monitoring.slos.accuracy), but training does not gate on it",
			[metric],
		),
		"remediation": sprintf("Add a validation gate on %s.", [metric]),
	}
}
