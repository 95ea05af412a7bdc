# METADATA
# title: Personal data
# description: |
#   Personal data is processed on an accepted lawful basis, kept no longer than the platform
#   allows, covered by a DPIA where the risk calls for one, declared consistently (no field
#   marked personal in a system that says it processes none), and kept out of the serving
#   runtime's request events unless redacted.
# custom:
#   severity: deny
#   controls:
#     - GDPR:Art.5
#     - GDPR:Art.6
#     - GDPR:Art.25
#     - GDPR:Art.35
#     - UAE-PDPL:Art.4
#     - UAE-PDPL:Art.5
#     - UAE-PDPL:Art.21
#     - ISO27001:A.5.34
#     - ISO27001:A.8.11
#   remediation: >-
#     Declare the lawful basis, retention and DPIA under compliance.personalData within the
#     platform's limits, and mark every personal field `personalData: true` so that the runtime
#     redacts it from its events.
package mlspec.personal_data

import rego.v1

import data.mlspec.lib.params as parameters
import data.mlspec.lib.units

params := parameters.of("personal_data")

personal := input.spec.compliance.personalData

deny contains finding if {
	some finding in parameters.missing("personal_data", [
		"lawful_bases", "lawful_bases_by_region", "max_retention", "dpia_classifications",
	])
}

deny contains finding if {
	personal.processed
	some key in ["lawfulBasis", "retention"]
	not personal[key]
	finding := {
		"pointer": "/compliance/personalData",
		"msg": sprintf("%s processes personal data but declares no %s", [input.system.name, key]),
	}
}

deny contains finding if {
	personal.processed
	not personal.lawfulBasis in params.lawful_bases
	finding := {
		"pointer": "/compliance/personalData/lawfulBasis",
		"msg": sprintf("lawful basis %s is not one the platform accepts (%s)", [
			personal.lawfulBasis, concat(", ", params.lawful_bases),
		]),
	}
}

deny contains finding if {
	personal.processed
	some region in input.spec.compliance.dataResidency
	allowed := params.lawful_bases_by_region[region]
	not personal.lawfulBasis in allowed
	finding := {
		"pointer": "/compliance/personalData/lawfulBasis",
		"msg": sprintf("lawful basis %s is not accepted for personal data residing in %s (%s)", [
			personal.lawfulBasis, region, concat(", ", allowed),
		]),
	}
}

# An unreadable limit must not let every retention pass.
deny contains finding if {
	params.max_retention
	not units.duration_seconds(params.max_retention)
	finding := {
		"pointer": "",
		"msg": sprintf("policy parameter personal_data.max_retention (%v) is not a duration such as 730d", [params.max_retention]),
	}
}

deny contains finding if {
	personal.processed
	units.duration_seconds(personal.retention) > units.duration_seconds(params.max_retention)
	finding := {
		"pointer": "/compliance/personalData/retention",
		"msg": sprintf("personal data is kept for %s, longer than the platform's limit of %s", [
			personal.retention, params.max_retention,
		]),
	}
}

deny contains finding if {
	personal.processed
	needs_dpia
	not personal.dpiaReference
	finding := {
		"pointer": "/compliance/personalData",
		"msg": sprintf("%s processes %s without a DPIA reference", [input.system.name, dpia_reason]),
	}
}

needs_dpia if personal.specialCategories

needs_dpia if input.spec.compliance.dataClassification in params.dpia_classifications

dpia_reason := "special categories of personal data" if personal.specialCategories

else := sprintf("%s personal data", [input.spec.compliance.dataClassification])

deny contains finding if {
	not personal.processed
	some field in personal_fields
	finding := {
		"pointer": sprintf("%s/personalData", [field.pointer]),
		"msg": sprintf("%s is marked as personal data, but compliance.personalData.processed is false", [field.what]),
		"remediation": concat(" ", [
			"Set compliance.personalData.processed to true with its lawful basis and retention,",
			"or unmark the field.",
		]),
	}
}

# Fields the spec marks as personal data.
personal_fields contains {
	"what": sprintf("join key %s", [key]),
	"pointer": sprintf("/features/entities/%s/joinKeys/%s", [entity, key]),
} if {
	some entity, e in input.spec.features.entities
	some key, k in e.joinKeys
	k.personalData
}

personal_fields contains {
	"what": sprintf("feature %s:%s", [view, name]),
	"pointer": sprintf("/features/views/%s/features/%s", [view, name]),
} if {
	some view, v in input.spec.features.views
	some name, f in v.features
	f.personalData
}

personal_fields contains {
	"what": sprintf("request feature %s", [name]),
	"pointer": sprintf("/model/requestFeatures/%s", [name]),
} if {
	some name, f in input.spec.model.requestFeatures
	f.personalData
}

# The serving runtime's request events, as rendered: every personal model input is redacted.
deny contains finding if {
	some name, runtime in runtime_configs
	events := runtime.events
	some feature in input.features
	feature.personalData
	not feature.name in events.redactFields
	finding := {
		"object": {"kind": "ConfigMap", "name": name},
		"msg": sprintf("the request events of %s record personal feature %s unredacted", [name, feature.name]),
		"remediation": concat(" ", [
			"The compiler lists personal model inputs in events.redactFields;",
			"regenerate the configuration with `mlspec compile`.",
		]),
	}
}

# The A/B assignment key identifies whoever the test is sticky to: in a system processing
# personal data, that is a person. Events may keep it only when the spec redacts it.
deny contains finding if {
	personal.processed
	some runtime in runtime_configs
	events := runtime.events
	some source, key in runtime.traffic.stickyKey
	not key in events.redactFields
	finding := {
		"pointer": sprintf("/rollout/abTest/stickyKey/%s", [source]),
		"msg": sprintf(
			"the A/B request events record the assignment key (%s %s) unredacted, %s",
			[source, key, "in a system that processes personal data"],
		),
		"remediation": concat(" ", [
			"Take the sticky key from a request field marked personalData (events then leave it out),",
			"or record a waiver stating why the key does not identify a person.",
		]),
	}
}

# Only what these checks read is parsed, from configurations that have request events: the
# top-level blocks `events` and `traffic` (parsing whole configurations, drift baselines
# included, costs more than every other check of the pack). A configuration mentioning events
# in another layout is parsed whole.
deny contains finding if {
	some name, text in runtime_texts
	not yaml.is_valid(text)
	finding := {
		"object": {"kind": "ConfigMap", "name": name},
		"msg": sprintf("the runtime configuration in %s is not valid YAML, so its redaction cannot be checked", [name]),
	}
}

runtime_texts[obj.metadata.name] := checked_part(text) if {
	some obj in input.objects
	obj.kind == "ConfigMap"
	text := obj.data["runtime.yaml"]
	contains(text, "events")
}

checked_part(text) := concat("\n", blocks) if {
	blocks := regex.find_n(`(?m)^(kind|events|traffic):.*(\n[ \t-].*)*`, text, -1)
	count(blocks) == 3
} else := text

# The serving runtime's configurations with request events, parsed, by ConfigMap name.
runtime_configs[name] := runtime if {
	some name, text in runtime_texts
	yaml.is_valid(text)
	runtime := yaml.unmarshal(text)
	runtime.kind == "RuntimeConfig"
}
