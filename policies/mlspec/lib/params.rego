# Policy parameters (`data.mlspec.params.<policy>`, from params.yaml). A policy that lacks a
# parameter it needs cannot judge: it reports that as a finding rather than passing.
package mlspec.lib.params

import rego.v1

# The parameters of one policy ({} when the platform gave none).
of(policy) := data.mlspec.params[policy]

of(policy) := {} if not data.mlspec.params[policy]

# Findings for the keys of `policy` that are not set.
missing(policy, keys) := {finding |
	some key in keys
	object.get(of(policy), key, null) == null
	finding := {
		"pointer": "",
		"msg": sprintf("policy parameter data.mlspec.params.%s.%s is not set", [policy, key]),
		"remediation": sprintf("Set `%s.%s` in the policy parameters (policies/mlspec/params.yaml).", [policy, key]),
	}
}
