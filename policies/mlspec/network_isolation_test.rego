package mlspec.network_isolation_test

import rego.v1

import data.mlspec.network_isolation

params := {"restricted_classifications": ["restricted"], "approved_egress": {"prod-eu": ["199.36.153.8/30"]}}

default_deny := {"kind": "NetworkPolicy", "metadata": {"name": "fraud-default-deny"}, "spec": {
	"podSelector": {"matchLabels": {"mlspec.io/system": "fraud"}},
	"policyTypes": ["Egress", "Ingress"],
}}

allow(name, egress, ingress) := {"kind": "NetworkPolicy", "metadata": {"name": name}, "spec": {
	"podSelector": {"matchLabels": {"mlspec.io/system": "fraud", "app.kubernetes.io/name": name}},
	"policyTypes": ["Egress", "Ingress"],
	"egress": egress,
	"ingress": ingress,
}}

deployment(labels) := {"kind": "Deployment", "metadata": {"name": "fraud-standard"}, "spec": {"template": {
	"metadata": {"labels": labels},
	"spec": {"containers": [{"name": "runtime"}]},
}}}

to_store := {"to": [{"ipBlock": {"cidr": "10.20.0.0/24"}}], "ports": [{"port": 6379, "protocol": "TCP"}]}

to_google_apis := {"to": [{"ipBlock": {"cidr": "199.36.153.8/30"}}], "ports": [{"port": 443, "protocol": "TCP"}]}

from_gateway := {"from": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "istio-ingress"}}}]}

base := {
	"system": {"name": "fraud", "environment": "prod"},
	"cluster": {"name": "prod-eu", "featureStore": {"onlineStore": {"cidr": "10.20.0.0/24"}}},
	"spec": {"compliance": {"dataClassification": "restricted"}},
	"objects": [
		default_deny,
		allow("fraud-standard", [to_store, to_google_apis], [from_gateway]),
		deployment({"mlspec.io/system": "fraud"}),
	],
}

deny(inp) := found if {
	found := network_isolation.deny with input as inp with data.mlspec.params.network_isolation as params
}

with_objects(objects) := object.union(base, {"objects": objects})

test_default_deny_and_approved_egress_pass if {
	count(deny(base)) == 0
}

test_missing_default_deny_is_denied if {
	found := deny(with_objects([allow("fraud-standard", [], [from_gateway])]))
	some f in found
	f.pointer == "/metadata/name"
	contains(f.msg, "no default-deny NetworkPolicy")
}

test_one_way_default_deny_is_not_enough if {
	ingress_only := json.patch(default_deny, [{"op": "replace", "path": "/spec/policyTypes", "value": ["Ingress"]}])
	some f in deny(with_objects([ingress_only]))
	contains(f.msg, "no default-deny NetworkPolicy")
}

test_default_deny_with_allows_is_not_a_default_deny if {
	leaky := json.patch(default_deny, [{"op": "add", "path": "/spec/egress", "value": [to_store]}])
	some f in deny(with_objects([leaky]))
	contains(f.msg, "no default-deny NetworkPolicy")
}

test_pod_outside_the_default_deny_is_denied if {
	found := deny(with_objects([default_deny, deployment({"app": "fraud"})]))
	count(found) == 1
	some f in found
	f.object == {"kind": "Deployment", "name": "fraud-standard"}
	contains(f.msg, "lacks the label mlspec.io/system=fraud")
}

test_ingress_from_anywhere_is_denied if {
	open := allow("fraud-standard", [], [{"from": [{"ipBlock": {"cidr": "0.0.0.0/0"}}]}])
	some f in deny(with_objects([default_deny, open]))
	f.object == {"kind": "NetworkPolicy", "name": "fraud-standard"}
	contains(f.msg, "from any address")
	some g in deny(with_objects([default_deny, allow("fraud-standard", [], [{"ports": [{"port": 8080}]}])]))
	contains(g.msg, "from any address")
}

test_restricted_egress_to_any_address_is_denied if {
	anywhere := {"to": [{"ipBlock": {"cidr": "0.0.0.0/0"}}], "ports": [{"port": 443, "protocol": "TCP"}]}
	found := deny(with_objects([default_deny, allow("fraud-standard", [to_store, anywhere], [])]))
	count(found) == 1
	some f in found
	f.object == {"kind": "NetworkPolicy", "name": "fraud-standard"}
	contains(f.msg, "reach 0.0.0.0/0 on 443/TCP, outside the approved egress of cluster prod-eu")
}

test_egress_rule_without_destinations_is_any_address if {
	some f in deny(with_objects([default_deny, allow("fraud-standard", [{"ports": [{"port": 53}]}], [])]))
	contains(f.msg, "reach any address on 53/TCP")
}

test_approved_ranges_are_per_cluster if {
	inp := object.union(base, {"cluster": {"name": "staging-eu"}})
	some f in deny(inp)
	contains(f.msg, "199.36.153.8/30 on 443/TCP")
}

test_unrestricted_data_may_reach_outside if {
	anywhere := {"to": [{"ipBlock": {"cidr": "0.0.0.0/0"}}]}
	open := with_objects([default_deny, allow("fraud-standard", [anywhere], [])])
	inp := object.union(open, {"spec": {"compliance": {"dataClassification": "confidential"}}})
	count(deny(inp)) == 0
}

test_an_invalid_approved_range_is_denied if {
	broken := {"restricted_classifications": ["restricted"], "approved_egress": {"prod-eu": ["199.36.153.8/33"]}}
	found := network_isolation.deny with input as base with data.mlspec.params.network_isolation as broken
	some f in found
	f.msg == "approved egress range 199.36.153.8/33 of cluster prod-eu is not a CIDR"
}
