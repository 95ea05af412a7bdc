package mlspec.ownership_test

import rego.v1

import data.mlspec.ownership

params := {"placeholders": ["tbd", "todo", "n/a"], "cost_center_pattern": "", "owner_domains": []}

labelled := {"mlspec.io/system": "fraud", "mlspec.io/team": "payments-risk"}

base := {
	"system": {"name": "fraud", "team": "payments-risk"},
	"spec": {"metadata": {
		"name": "fraud",
		"team": "payments-risk",
		"owners": ["payments-risk@acme.io", "group:fraud-oncall"],
		"costCenter": "CC-4410",
	}},
	"objects": [{"kind": "Deployment", "metadata": {"name": "fraud-standard", "labels": labelled}}],
}

deny_with(inp, p) := found if {
	found := ownership.deny with input as inp with data.mlspec.params.ownership as p
}

deny(inp) := deny_with(inp, params)

with_metadata(patch) := object.union(base, {"spec": {"metadata": patch}})

pointers(inp) := {f.pointer | some f in deny(inp)}

test_owned_system_passes if {
	count(deny(base)) == 0
}

test_placeholders_are_denied if {
	pointers(with_metadata({"costCenter": "TBD"})) == {"/metadata/costCenter"}
	owners := with_metadata({"owners": ["payments-risk@acme.io", "todo@acme.io", "group:n/a"]})
	pointers(owners) == {"/metadata/owners/1", "/metadata/owners/2"}
}

test_missing_owners_and_cost_center_are_denied if {
	pointers(with_metadata({"owners": [], "costCenter": " "})) == {"/metadata"}
	count(deny(with_metadata({"owners": [], "costCenter": " "}))) == 2
}

test_team_must_match_the_deployment if {
	pointers(with_metadata({"team": "growth"})) == {"/metadata/team"}
}

test_platform_forms_of_cost_center_and_owner if {
	strict := object.union(params, {"cost_center_pattern": "^CC-[0-9]{4}$", "owner_domains": ["acme.io"]})
	count(deny_with(base, strict)) == 0
	inp := with_metadata({"costCenter": "4410", "owners": ["someone@gmail.com", "group:fraud-oncall"]})
	{f.pointer | some f in deny_with(inp, strict)} == {"/metadata/costCenter", "/metadata/owners/0"}
}

test_rendered_objects_carry_the_owner_labels if {
	unlabelled := {"kind": "ConfigMap", "metadata": {"name": "fraud-runtime", "labels": {"mlspec.io/system": "fraud"}}}
	inp := object.union(base, {"objects": [unlabelled]})
	found := deny(inp)
	count(found) == 1
	some f in found
	f.object == {"kind": "ConfigMap", "name": "fraud-runtime"}
	f.msg == "ConfigMap fraud-runtime is not labelled mlspec.io/team=payments-risk"
}

test_an_invalid_cost_center_pattern_is_denied if {
	some f in deny_with(base, object.union(params, {"cost_center_pattern": "^CC-(["}))
	contains(f.msg, "ownership.cost_center_pattern (^CC-([) is not a regular expression")
}
