# METADATA
# title: Encryption
# description: |
#   Data is encrypted at rest and in transit, and secrets are only referenced: volumes use the
#   cluster profile's encrypted storage class; serving and feature traffic runs under the mesh's
#   strict mutual TLS (no pod or port left out of it), and the online store is reached over TLS
#   where that traffic leaves the mesh; no credentials are written into objects, environment
#   variables or connection strings.
# custom:
#   severity: deny
#   controls:
#     - ISO27001:A.8.24
#     - ISO27001:A.5.14
#     - ISO27001:A.5.17
#     - GDPR:Art.32
#     - UAE-PDPL:Art.20
#   remediation: >-
#     Use the profile's encrypted storage class, deploy to a cluster with Istio (PeerAuthentication
#     STRICT) or TLS to the online store, and pass credentials as Secret references
#     (valueFrom.secretKeyRef, ${VAR} in connection strings), never as values.
package mlspec.encryption

import rego.v1

import data.mlspec.lib.params as parameters
import data.mlspec.lib.workloads

params := parameters.of("encryption")

cluster_pointer := sprintf("/environments/%s/cluster", [input.system.environment])

deny contains finding if some finding in parameters.missing("encryption", ["protected_classifications", "tls_ports"])

# Data that must not travel in clear: personal, or of a protected classification.
protected if input.spec.compliance.personalData.processed

protected if input.spec.compliance.dataClassification in params.protected_classifications

# --- At rest -----------------------------------------------------------------------------

deny contains finding if {
	some claim in volume_claims
	claim.class != input.cluster.storageClasses.encrypted
	finding := {
		"object": claim.object,
		"msg": sprintf("%s stores data on storage class %s, not the encrypted class %s of cluster %s", [
			claim.what, claim.class, input.cluster.storageClasses.encrypted, input.cluster.name,
		]),
	}
}

# Every request for a volume: claims, claim templates of StatefulSets and workflows, and
# ephemeral volumes of pods.
volume_claims contains {
	"object": {"kind": obj.kind, "name": obj.metadata.name},
	"what": sprintf("PersistentVolumeClaim %s", [obj.metadata.name]),
	"class": storage_class(obj.spec),
} if {
	some obj in input.objects
	obj.kind == "PersistentVolumeClaim"
}

volume_claims contains {
	"object": {"kind": obj.kind, "name": obj.metadata.name},
	"what": sprintf("volume claim template %s of %s %s", [t.metadata.name, obj.kind, obj.metadata.name]),
	"class": storage_class(t.spec),
} if {
	some obj in input.objects
	some spec in [obj.spec, object.get(obj, ["spec", "workflowSpec"], {})]
	some t in object.get(spec, "volumeClaimTemplates", [])
}

volume_claims contains {
	"object": pod.object,
	"what": sprintf("ephemeral volume %s of %s", [v.name, pod.describe]),
	"class": storage_class(v.ephemeral.volumeClaimTemplate.spec),
} if {
	some pod in workloads.pods
	some v in object.get(pod.spec, "volumes", [])
}

storage_class(claim_spec) := object.get(claim_spec, "storageClassName", "(the cluster default)")

# --- In transit --------------------------------------------------------------------------

mesh := input.cluster.components.istio

transit_finding(msg) := {"pointer": cluster_pointer, "msg": msg}

deny contains transit_finding(no_mesh_msg) if {
	not mesh
	protected
}

warn contains transit_finding(no_mesh_msg) if {
	not mesh
	not protected
}

no_mesh_msg := sprintf(
	"cluster %s has no service mesh: serving and feature traffic of %s is not encrypted in transit",
	[input.cluster.name, input.system.name],
)

deny contains finding if {
	mesh
	not strict_for_system
	finding := {
		"pointer": "/metadata/name",
		"msg": sprintf("no PeerAuthentication requires mutual TLS (STRICT) for every pod of %s", [input.system.name]),
	}
}

strict_for_system if {
	some pa in peer_authentications
	pa.spec.mtls.mode == "STRICT"
	workloads.selects_system(object.get(pa.spec, "selector", {}))
}

peer_authentications[obj.metadata.name] := obj if {
	some obj in input.objects
	obj.kind == "PeerAuthentication"
}

deny contains finding if {
	some pa in peer_authentications
	some where, mode in weakened_modes(pa.spec)
	mode != "STRICT"
	finding := {
		"object": {"kind": pa.kind, "name": pa.metadata.name},
		"msg": sprintf("PeerAuthentication %s sets %s to %s: traffic may arrive unencrypted", [
			pa.metadata.name, where, mode,
		]),
	}
}

weakened_modes(spec) := object.union(
	{"mtls.mode": mode | mode := spec.mtls.mode},
	{sprintf("port %v", [port]): p.mode | some port, p in object.get(spec, "portLevelMtls", {})},
)

# A pod left out of the mesh, or ports around its sidecar, talk in clear.
deny contains finding if {
	mesh
	some bypass in mesh_bypasses
	finding := {"object": bypass.pod, "msg": sprintf("%s: %s", [bypass.describe, bypass.msg])}
}

mesh_bypasses contains {
	"pod": pod.object,
	"describe": pod.describe,
	"msg": "the pod is excluded from the mesh (sidecar.istio.io/inject: false)",
} if {
	some pod in workloads.pods
	some meta in [pod.labels, pod.annotations]
	meta["sidecar.istio.io/inject"] == "false"
}

mesh_bypasses contains {
	"pod": pod.object,
	"describe": pod.describe,
	"msg": sprintf("inbound ports %s bypass mutual TLS", [ports]),
} if {
	some pod in workloads.pods
	ports := pod.annotations["traffic.sidecar.istio.io/excludeInboundPorts"]
	ports != ""
}

mesh_bypasses contains {
	"pod": pod.object,
	"describe": pod.describe,
	"msg": sprintf("outbound address ranges %s bypass the mesh", [ranges]),
} if {
	some pod in workloads.pods
	ranges := pod.annotations["traffic.sidecar.istio.io/excludeOutboundIPRanges"]
	ranges != ""
}

mesh_bypasses contains {
	"pod": pod.object,
	"describe": pod.describe,
	"msg": sprintf("outbound port %s bypasses the mesh and is not a TLS port (%s)", [port, concat(", ", tls_ports)]),
} if {
	some pod in workloads.pods
	some listed in split(pod.annotations["traffic.sidecar.istio.io/excludeOutboundPorts"], ",")
	port := trim_space(listed)
	not port in tls_ports
}

tls_ports := {sprintf("%v", [p]) | some p in params.tls_ports}

# The online store is outside the system's mesh when it is a managed service (no namespace)
# or when there is no mesh: the connection itself must then be TLS.
deny contains transit_finding(store_msg) if {
	protected
	store_outside_mesh
	not store_tls
}

warn contains transit_finding(store_msg) if {
	not protected
	store_outside_mesh
	not store_tls
}

store := input.cluster.featureStore.onlineStore

store_outside_mesh if not mesh

store_outside_mesh if not store.namespace

store_tls if store.type == "dynamodb"

store_tls if {
	store.type == "redis"
	regex.match(`(?i)(^|,)\s*ssl\s*=\s*true\s*(,|$)`, store.connectionString)
}

store_tls if {
	store.type == "postgres"
	regex.match(`(?i)sslmode=(require|verify-ca|verify-full)`, store.connectionString)
}

store_msg := sprintf("the %s online store of cluster %s is reached outside the mesh without TLS (%s)", [
	store.type, input.cluster.name, store.connectionString,
])

# --- Secrets -----------------------------------------------------------------------------

deny contains finding if {
	some obj in input.objects
	obj.kind == "Secret"
	some field in ["data", "stringData"]
	count(object.get(obj, field, {})) > 0
	finding := {
		"object": {"kind": obj.kind, "name": obj.metadata.name},
		"msg": sprintf(
			"Secret %s carries its values in the manifests; secrets must only be referenced",
			[obj.metadata.name],
		),
	}
}

secret_name := `(?i)(passw(or)?d|secret|token|api_?key|access_?key|private_?key|credential)`

# A secret-like variable with a literal value. One written in a training step's env is
# reported at the spec line; others at the rendered object.
literal_secrets contains {"pod": id, "container": i, "name": var.name} if {
	some id, pod in workloads.pods
	some i, container in pod.containers
	some var in object.get(container, "env", [])
	regex.match(secret_name, var.name)
	_ = var.value
}

deny contains finding if {
	some secret in literal_secrets
	step := workloads.step_of(secret.pod, secret.container)
	_ = input.spec.training.pipeline[step].env[secret.name]
	finding := {
		"pointer": sprintf("/training/pipeline/%s/env/%s", [step, secret.name]),
		"msg": sprintf(
			"environment variable %s of training step %s holds a literal value; secrets must only be referenced",
			[secret.name, step],
		),
	}
}

deny contains finding if {
	some secret in literal_secrets
	not input.spec.training.pipeline[workloads.step_of(secret.pod, secret.container)].env[secret.name]
	pod := workloads.pods[secret.pod]
	finding := {
		"object": pod.object,
		"msg": sprintf(
			"environment variable %s of %s holds a literal value; secrets must only be referenced",
			[secret.name, pod.describe],
		),
	}
}

# Credentials written into a location: `user:password@host`, or `password=` with a value
# rather than a ${VARIABLE} reference.
embedded_credentials(text) if regex.match(`://[^/@\s]*:[^/@\s]+@`, text)

embedded_credentials(text) if regex.match(`(?i)(^|[,;?&\s])password=[^$,;&\s]`, text)

deny contains finding if {
	some location in credential_locations
	embedded_credentials(location.text)
	finding := {
		"pointer": location.pointer,
		"msg": sprintf("%s contains a password; secrets must only be referenced", [location.what]),
	}
}

credential_locations contains {
	"what": sprintf("the URI of dataset %s", [name]),
	"text": d.uri,
	"pointer": sprintf("/training/datasets/%s/uri", [name]),
} if {
	some name, d in input.spec.training.datasets
}

credential_locations contains {
	"what": sprintf("the batch source of feature view %s", [name]),
	"text": v.batchSource.uri,
	"pointer": sprintf("/features/views/%s/batchSource/uri", [name]),
} if {
	some name, v in input.spec.features.views
}

credential_locations contains {
	"what": "the model artifact URI",
	"text": input.spec.model.artifact.uri,
	"pointer": "/model/artifact/uri",
}

credential_locations contains {
	"what": sprintf("the %s of cluster %s", [what, input.cluster.name]),
	"text": text,
	"pointer": cluster_pointer,
} if {
	some what, text in {
		"feature registry": input.cluster.featureStore.registry,
		"online store connection string": store.connectionString,
	}
}
