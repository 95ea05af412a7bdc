# Spec values as numbers: durations (`540d`, `1h30m`) and Kubernetes quantities. A helper,
# not a policy.
package mlspec.lib.units

import rego.v1

unit_seconds := {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400}

# Seconds in a spec duration (the schema's DURATION pattern); undefined for anything else.
duration_seconds(text) := sum([to_number(part[1]) * unit_seconds[part[2]] |
	some part in regex.find_all_string_submatch_n(`([0-9]+(?:\.[0-9]+)?)(ms|s|m|h|d)`, text, -1)
]) if {
	is_string(text)
	regex.match(`^([0-9]+(\.[0-9]+)?(ms|s|m|h|d))+$`, text)
}
