package mlspec.personal_data_test

import rego.v1

import data.mlspec.personal_data

params := {
	"lawful_bases": ["consent", "contract", "legitimate-interests"],
	"lawful_bases_by_region": {"me-central-1": ["consent", "contract"]},
	"max_retention": "730d",
	"dpia_classifications": ["restricted"],
}

runtime_config(events) := {
	"kind": "ConfigMap",
	"metadata": {"name": "ranker-cpu-runtime"},
	"data": {"runtime.yaml": yaml.marshal({
		"kind": "RuntimeConfig",
		"traffic": {"strategy": "abTest", "stickyKey": {"field": "customer_id"}},
		"events": events,
	})},
}

base := {
	"system": {"name": "ranker", "environment": "prod"},
	"spec": {
		"compliance": {
			"dataClassification": "confidential",
			"dataResidency": ["eu-west-1"],
			"personalData": {"processed": true, "lawfulBasis": "consent", "retention": "365d"},
		},
		"features": {
			"entities": {"customer": {"joinKeys": {"customer_id": {"dtype": "string", "personalData": true}}}},
			"views": {"profile": {"features": {"preferred_category": {"dtype": "string", "personalData": true}}}},
		},
		"model": {"requestFeatures": {"position": {"dtype": "int32"}}},
	},
	"features": [
		{"name": "preferred_category", "personalData": true},
		{"name": "position", "personalData": false},
	],
	"objects": [runtime_config({"redactFields": ["customer_id", "preferred_category"]})],
}

deny(inp) := found if {
	found := personal_data.deny with input as inp with data.mlspec.params.personal_data as params
}

with_personal(patch) := object.union(base, {"spec": {"compliance": {"personalData": patch}}})

test_declared_and_redacted_passes if {
	count(deny(base)) == 0
}

test_lawful_basis_the_platform_does_not_accept_is_denied if {
	some f in deny(with_personal({"lawfulBasis": "public-task"}))
	f.pointer == "/compliance/personalData/lawfulBasis"
	contains(f.msg, "not one the platform accepts")
}

test_uae_data_needs_a_pdpl_ground if {
	uae := {"spec": {"compliance": {"dataResidency": ["me-central-1"]}}}
	inp := object.union(with_personal({"lawfulBasis": "legitimate-interests"}), uae)
	found := deny(inp)
	count(found) == 1
	some f in found
	f.pointer == "/compliance/personalData/lawfulBasis"
	contains(f.msg, "residing in me-central-1")
	count(deny(with_personal({"lawfulBasis": "legitimate-interests"}))) == 0
}

test_retention_over_the_limit_is_denied if {
	some f in deny(with_personal({"retention": "731d"}))
	f.pointer == "/compliance/personalData/retention"
	count(deny(with_personal({"retention": "730d"}))) == 0
	count(deny(with_personal({"retention": "17520h"}))) == 0
}

test_missing_basis_or_retention_is_denied if {
	inp := json.remove(base, ["spec/compliance/personalData/retention"])
	some f in deny(inp)
	f.pointer == "/compliance/personalData"
	contains(f.msg, "no retention")
}

test_restricted_data_needs_a_dpia if {
	restricted := object.union(base, {"spec": {"compliance": {"dataClassification": "restricted"}}})
	some f in deny(restricted)
	contains(f.msg, "restricted personal data without a DPIA reference")
	count(deny(object.union(restricted, {"spec": {"compliance": {"personalData": {"dpiaReference": "DPIA-1"}}}}))) == 0
}

test_special_categories_need_a_dpia if {
	some f in deny(with_personal({"specialCategories": true}))
	contains(f.msg, "special categories")
}

test_personal_fields_in_a_system_without_personal_data_are_denied if {
	pointers := {f.pointer | some f in deny(with_personal({"processed": false}))}
	pointers == {
		"/features/entities/customer/joinKeys/customer_id/personalData",
		"/features/views/profile/features/preferred_category/personalData",
	}
}

test_unredacted_personal_input_in_events_is_denied if {
	inp := object.union(base, {"objects": [runtime_config({"redactFields": ["customer_id"]})]})
	some f in deny(inp)
	f.object == {"kind": "ConfigMap", "name": "ranker-cpu-runtime"}
	contains(f.msg, "personal feature preferred_category unredacted")
}

test_sticky_key_kept_in_events_is_denied if {
	inp := object.union(base, {"objects": [runtime_config({"redactFields": ["preferred_category"]})]})
	found := deny(inp)
	count(found) == 1
	some f in found
	f.pointer == "/rollout/abTest/stickyKey/field"
}

test_sticky_key_may_be_kept_without_personal_data if {
	inp := {
		"system": base.system,
		"spec": {"compliance": {"dataClassification": "internal", "personalData": {"processed": false}}},
		"features": [{"name": "position", "personalData": false}],
		"objects": [runtime_config({"redactFields": []})],
	}
	count(deny(inp)) == 0
}

test_unreadable_runtime_config_is_denied if {
	broken := {"kind": "ConfigMap", "metadata": {"name": "x-runtime"}, "data": {"runtime.yaml": "events: [b"}}
	inp := object.union(base, {"objects": [broken]})
	some f in deny(inp)
	contains(f.msg, "not valid YAML")
}

test_only_the_checked_blocks_of_a_large_config_are_read if {
	text := concat("\n", [
		"apiVersion: mlspec.io/v1alpha1",
		"kind: RuntimeConfig",
		"drift:",
		"  features:",
		"    - name: events_1h",
		"      edges: [1, 2]",
		"events:",
		"  path: /var/lib/mlspec/events/assignments.jsonl",
		"  redactFields: [customer_id]",
		"traffic:",
		"  strategy: abTest",
		"  stickyKey:",
		"    field: customer_id",
		"variants:",
		"- name: a",
	])
	config := {"kind": "ConfigMap", "metadata": {"name": "ranker-cpu-runtime"}, "data": {"runtime.yaml": text}}
	inp := object.union(base, {"objects": [config]})
	[f] := [f | some f in deny(inp)]
	f.msg == "the request events of ranker-cpu-runtime record personal feature preferred_category unredacted"
}

test_an_unreadable_retention_limit_is_denied if {
	found := personal_data.deny with input as base
		with data.mlspec.params.personal_data as object.union(params, {"max_retention": "two years"})
	some f in found
	contains(f.msg, "personal_data.max_retention (two years) is not a duration")
}
