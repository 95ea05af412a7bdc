# METADATA
# title: Ownership
# description: |
#   Someone answers for every system and pays for it: the spec names its team, reachable
#   owners and a real cost center (no placeholders), and every object it renders carries the
#   system and team labels that tie it back to them.
# custom:
#   severity: deny
#   controls:
#     - ISO27001:A.5.9
#     - ISO27001:A.5.2
#     - GDPR:Art.30
#   remediation: >-
#     Set metadata.team, metadata.owners (team e-mail addresses or directory groups) and the
#     cost center that is charged, as the platform lists them.
package mlspec.ownership

import rego.v1

import data.mlspec.lib.params as parameters

params := parameters.of("ownership")

metadata := input.spec.metadata

deny contains finding if {
	some finding in parameters.missing("ownership", ["placeholders", "cost_center_pattern", "owner_domains"])
}

placeholder(value) if lower(trim_space(value)) in params.placeholders

deny contains finding if {
	object.get(metadata, "team", "") != input.system.team
	finding := {
		"pointer": "/metadata/team",
		"msg": sprintf("the spec names team %v, but the system is deployed for team %s", [
			object.get(metadata, "team", ""), input.system.team,
		]),
	}
}

deny contains finding if {
	count(object.get(metadata, "owners", [])) == 0
	finding := {"pointer": "/metadata", "msg": sprintf("%s names no owners", [input.system.name])}
}

deny contains finding if {
	some i, owner in metadata.owners
	placeholder(owner_name(owner))
	finding := {
		"pointer": sprintf("/metadata/owners/%d", [i]),
		"msg": sprintf("owner %s is a placeholder, not someone who answers for the system", [owner]),
	}
}

# The name part of an owner: the group, or the mailbox before `@`.
owner_name(owner) := trim_prefix(owner, "group:") if startswith(owner, "group:")

owner_name(owner) := split(owner, "@")[0] if not startswith(owner, "group:")

deny contains finding if {
	count(params.owner_domains) > 0
	some i, owner in metadata.owners
	contains(owner, "@")
	parts := split(owner, "@")
	not lower(parts[count(parts) - 1]) in params.owner_domains
	finding := {
		"pointer": sprintf("/metadata/owners/%d", [i]),
		"msg": sprintf(
			"owner %s is not an address of the organisation (%s)",
			[owner, concat(", ", params.owner_domains)],
		),
	}
}

deny contains finding if {
	trim_space(object.get(metadata, "costCenter", "")) == ""
	finding := {"pointer": "/metadata", "msg": sprintf("%s names no cost center", [input.system.name])}
}

deny contains finding if {
	placeholder(metadata.costCenter)
	finding := {
		"pointer": "/metadata/costCenter",
		"msg": sprintf("cost center %s is a placeholder", [metadata.costCenter]),
	}
}

deny contains finding if {
	not regex.is_valid(params.cost_center_pattern)
	finding := {
		"pointer": "",
		"msg": sprintf("policy parameter ownership.cost_center_pattern (%v) is not a regular expression", [
			params.cost_center_pattern,
		]),
	}
}

deny contains finding if {
	params.cost_center_pattern != ""
	regex.is_valid(params.cost_center_pattern)
	not placeholder(metadata.costCenter)
	not regex.match(params.cost_center_pattern, metadata.costCenter)
	finding := {
		"pointer": "/metadata/costCenter",
		"msg": sprintf("cost center %s does not have the platform's form (%s)", [
			metadata.costCenter, params.cost_center_pattern,
		]),
	}
}

# What runs is traceable to its owner: the labels the platform's inventory and cost reports read.
deny contains finding if {
	some obj in input.objects
	some label, value in {"mlspec.io/system": input.system.name, "mlspec.io/team": input.system.team}
	object.get(obj.metadata, ["labels", label], "") != value
	finding := {
		"object": {"kind": obj.kind, "name": obj.metadata.name},
		"msg": sprintf("%s %s is not labelled %s=%s", [obj.kind, obj.metadata.name, label, value]),
	}
}
