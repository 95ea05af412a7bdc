# METADATA
# title: Network isolation
# description: |
#   Zero trust on the network: every pod of the system starts from a default-deny
#   NetworkPolicy (both directions) and gets exact allows; nothing is let in from any address;
#   pods of systems with restricted data reach outside addresses only through ranges the
#   platform approved for the cluster (never 0.0.0.0/0).
# custom:
#   severity: deny
#   controls:
#     - ISO27001:A.8.20
#     - ISO27001:A.8.22
#     - ISO27001:A.8.12
#     - GDPR:Art.32
#     - UAE-PDPL:Art.20
#   remediation: >-
#     Keep the compiler's default-deny policy and per-workload allows; for restricted data,
#     route egress through the approved ranges of the cluster profile (private endpoints of
#     object storage, an egress proxy) instead of any address.
package mlspec.network_isolation

import rego.v1

import data.mlspec.lib.params as parameters
import data.mlspec.lib.workloads

params := parameters.of("network_isolation")

deny contains finding if {
	some finding in parameters.missing("network_isolation", ["restricted_classifications", "approved_egress"])
}

network_policies[obj.metadata.name] := obj if {
	some obj in input.objects
	obj.kind == "NetworkPolicy"
}

deny contains finding if {
	not default_deny
	finding := {
		"pointer": "/metadata/name",
		"msg": sprintf(
			"no default-deny NetworkPolicy (ingress and egress) covers every pod of %s",
			[input.system.name],
		),
	}
}

default_deny if {
	some np in network_policies
	workloads.selects_system(np.spec.podSelector)
	{"Ingress", "Egress"} & {t | some t in np.spec.policyTypes} == {"Ingress", "Egress"}
	count(object.get(np.spec, "ingress", [])) == 0
	count(object.get(np.spec, "egress", [])) == 0
}

# The default deny selects pods by the system label: a pod without it is not covered.
deny contains finding if {
	some pod in workloads.pods
	object.get(pod.labels, "mlspec.io/system", "") != input.system.name
	finding := {
		"object": pod.object,
		"msg": sprintf(
			"%s lacks the label mlspec.io/system=%s, so the default-deny NetworkPolicy does not cover its pods",
			[pod.describe, input.system.name],
		),
	}
}

any_address := {"0.0.0.0/0", "::/0"}

deny contains finding if {
	some np in network_policies
	some rule in object.get(np.spec, "ingress", [])
	open_to_all(object.get(rule, "from", []))
	finding := {
		"object": {"kind": np.kind, "name": np.metadata.name},
		"msg": sprintf("NetworkPolicy %s lets traffic in from any address", [np.metadata.name]),
	}
}

open_to_all(peers) if count(peers) == 0

open_to_all(peers) if {
	some peer in peers
	peer.ipBlock.cidr in any_address
}

restricted if input.spec.compliance.dataClassification in params.restricted_classifications

# Ranges restricted pods may reach: the platform's approved list for the cluster, and the
# cluster's managed online store.
approved contains cidr if some cidr in object.get(params.approved_egress, input.cluster.name, [])

approved contains input.cluster.featureStore.onlineStore.cidr

# The platform's approved endpoints and the control plane of the cluster profile.
approved contains cidr if {
	some endpoint in object.get(input.cluster, "endpoints", {})
	some cidr in object.get(endpoint, "cidrs", [])
}

approved contains cidr if some cidr in object.get(object.get(input.cluster, "apiServer", {}), "cidrs", [])

deny contains finding if {
	restricted
	some np in network_policies
	reaches := [sprintf("%s on %s", [destination, ports(rule)]) |
		some rule in object.get(np.spec, "egress", [])
		some destination in unapproved_destinations(object.get(rule, "to", []))
	]
	count(reaches) > 0
	finding := {
		"object": {"kind": np.kind, "name": np.metadata.name},
		"msg": sprintf(
			"NetworkPolicy %s lets pods handling %s data reach %s, outside the approved egress of cluster %s",
			[np.metadata.name, input.spec.compliance.dataClassification, concat("; ", reaches), input.cluster.name],
		),
	}
}

unapproved_destinations(peers) := {"any address"} if count(peers) == 0

unapproved_destinations(peers) := {peer.ipBlock.cidr |
	some peer in peers
	not within_approved(peer.ipBlock.cidr)
} if count(peers) > 0

within_approved(cidr) if {
	some range in approved
	net.cidr_is_valid(range)
	net.cidr_contains(range, cidr)
}

deny contains finding if {
	some range in approved
	not net.cidr_is_valid(range)
	finding := {
		"pointer": "",
		"msg": sprintf("approved egress range %v of cluster %s is not a CIDR", [range, input.cluster.name]),
		"remediation": "Correct network_isolation.approved_egress in the policy parameters.",
	}
}

ports(rule) := "any port" if count(object.get(rule, "ports", [])) == 0

ports(rule) := concat(", ", [sprintf("%v/%s", [p.port, object.get(p, "protocol", "TCP")]) | some p in rule.ports]) if {
	count(object.get(rule, "ports", [])) > 0
}
