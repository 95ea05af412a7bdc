package mlspec.encryption_test

import rego.v1

import data.mlspec.encryption

params := {"protected_classifications": ["confidential", "restricted"], "tls_ports": [443]}

peer_auth(mtls) := {
	"kind": "PeerAuthentication",
	"metadata": {"name": "fraud"},
	"spec": object.union({"selector": {"matchLabels": {"mlspec.io/system": "fraud"}}}, mtls),
}

deployment(annotations, env) := {
	"kind": "Deployment",
	"metadata": {"name": "fraud-standard"},
	"spec": {"template": {
		"metadata": {"annotations": annotations},
		"spec": {"containers": [{"name": "runtime", "env": env}]},
	}},
}

pvc(spec) := {"kind": "PersistentVolumeClaim", "metadata": {"name": "fraud-workspace"}, "spec": spec}

base := {
	"system": {"name": "fraud", "environment": "prod"},
	"cluster": {
		"name": "prod-eu",
		"components": {"istio": true},
		"storageClasses": {"encrypted": "gp3-encrypted"},
		"featureStore": {
			"registry": "s3://feast/registry.db",
			"onlineStore": {"type": "redis", "connectionString": "redis.feast.svc:6379", "namespace": "feast"},
		},
	},
	"spec": {
		"compliance": {"dataClassification": "restricted", "personalData": {"processed": true}},
		"training": {
			"datasets": {"tx": {"uri": "s3://lake/tx/"}},
			"pipeline": {"train": {"env": {"API_TOKEN": "abc"}}},
		},
		"features": {"views": {"stats": {"batchSource": {"uri": "s3://lake/stats/"}}}},
		"model": {"artifact": {"uri": "s3://models/model.onnx"}},
	},
	"objects": [
		peer_auth({"mtls": {"mode": "STRICT"}}),
		pvc({"storageClassName": "gp3-encrypted"}),
		deployment(
			{"traffic.sidecar.istio.io/excludeOutboundPorts": "443"},
			[{"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}}}],
		),
	],
}

deny(inp) := found if {
	found := encryption.deny with input as inp with data.mlspec.params.encryption as params
}

warn(inp) := found if {
	found := encryption.warn with input as inp with data.mlspec.params.encryption as params
}

with_objects(objects) := object.union(base, {"objects": objects})

# A cluster without a mesh whose online store speaks TLS.
no_mesh_tls_store := {
	"components": {"istio": false},
	"featureStore": {"onlineStore": {"connectionString": "redis.feast.svc:6379,ssl=true"}},
}

with_connection(inp, connection) := json.patch(inp, [{
	"op": "replace",
	"path": "/cluster/featureStore/onlineStore/connectionString",
	"value": connection,
}])

test_encrypted_meshed_and_referenced_passes if {
	count(deny(base)) == 0
	count(warn(base)) == 0
}

test_volume_on_another_storage_class_is_denied if {
	found := deny(with_objects([peer_auth({"mtls": {"mode": "STRICT"}}), pvc({"storageClassName": "gp3"})]))
	some f in found
	f.object == {"kind": "PersistentVolumeClaim", "name": "fraud-workspace"}
	contains(f.msg, "storage class gp3, not the encrypted class gp3-encrypted")
}

test_volume_on_the_default_class_is_denied if {
	some f in deny(with_objects([peer_auth({"mtls": {"mode": "STRICT"}}), pvc({})]))
	contains(f.msg, "(the cluster default)")
}

test_workflow_claim_templates_are_checked if {
	wf := {"kind": "WorkflowTemplate", "metadata": {"name": "fraud-train"}, "spec": {
		"templates": [],
		"volumeClaimTemplates": [{"metadata": {"name": "scratch"}, "spec": {"storageClassName": "standard"}}],
	}}
	some f in deny(with_objects([peer_auth({"mtls": {"mode": "STRICT"}}), wf]))
	f.object == {"kind": "WorkflowTemplate", "name": "fraud-train"}
	contains(f.msg, "volume claim template scratch")
}

test_no_mesh_is_denied_for_protected_data if {
	inp := object.union(base, {"cluster": no_mesh_tls_store})
	found := deny(inp)
	count(found) == 1
	some f in found
	f.pointer == "/environments/prod/cluster"
	contains(f.msg, "no service mesh")
}

test_no_mesh_only_warns_for_unprotected_data if {
	inp := object.union(base, {
		"cluster": no_mesh_tls_store,
		"spec": {"compliance": {"dataClassification": "internal", "personalData": {"processed": false}}},
	})
	count(deny(inp)) == 0
	some f in warn(inp)
	contains(f.msg, "no service mesh")
}

test_missing_strict_peer_authentication_is_denied if {
	some f in deny(with_objects([]))
	f.pointer == "/metadata/name"
	contains(f.msg, "no PeerAuthentication requires mutual TLS")
}

test_peer_authentication_for_part_of_the_system_does_not_count if {
	partial := peer_auth({
		"selector": {"matchLabels": {"mlspec.io/system": "fraud", "tier": "standard"}},
		"mtls": {"mode": "STRICT"},
	})
	some f in deny(with_objects([partial]))
	contains(f.msg, "no PeerAuthentication requires mutual TLS")
}

test_port_level_exception_is_denied if {
	pa := peer_auth({"mtls": {"mode": "STRICT"}, "portLevelMtls": {"8080": {"mode": "DISABLE"}}})
	some f in deny(with_objects([pa]))
	f.object == {"kind": "PeerAuthentication", "name": "fraud"}
	contains(f.msg, "port 8080 to DISABLE")
}

test_ports_around_the_sidecar_must_be_tls if {
	pa := peer_auth({"mtls": {"mode": "STRICT"}})
	bypass := deployment({"traffic.sidecar.istio.io/excludeOutboundPorts": "443, 6379"}, [])
	found := deny(with_objects([pa, bypass]))
	count(found) == 1
	some f in found
	f.object == {"kind": "Deployment", "name": "fraud-standard"}
	contains(f.msg, "outbound port 6379 bypasses the mesh")
}

test_pods_out_of_the_mesh_are_denied if {
	pa := peer_auth({"mtls": {"mode": "STRICT"}})
	some f in deny(with_objects([pa, deployment({"sidecar.istio.io/inject": "false"}, [])]))
	contains(f.msg, "excluded from the mesh")
	some g in deny(with_objects([pa, deployment({"traffic.sidecar.istio.io/excludeInboundPorts": "8080"}, [])]))
	contains(g.msg, "inbound ports 8080 bypass mutual TLS")
}

test_managed_online_store_needs_tls if {
	managed := with_connection(base, "10.0.0.5:6379")
	inp := json.remove(managed, ["cluster/featureStore/onlineStore/namespace"])
	some f in deny(inp)
	f.pointer == "/environments/prod/cluster"
	contains(f.msg, "redis online store of cluster prod-eu is reached outside the mesh without TLS")
	count(deny(with_connection(inp, "10.0.0.5:6378,ssl=true"))) == 0
}

test_postgres_needs_sslmode if {
	pg := {"type": "postgres", "connectionString": "postgresql://feast@db.example.com:5432/online"}
	inp := json.patch(base, [{"op": "replace", "path": "/cluster/featureStore/onlineStore", "value": pg}])
	count(deny(inp)) == 1
	count(deny(with_connection(inp, "postgresql://feast@db.example.com:5432/online?sslmode=verify-full"))) == 0
}

test_secret_values_in_manifests_are_denied if {
	secret := {"kind": "Secret", "metadata": {"name": "db"}, "data": {"password": "aHVudGVyMg=="}}
	some f in deny(with_objects([peer_auth({"mtls": {"mode": "STRICT"}}), secret]))
	f.object == {"kind": "Secret", "name": "db"}
}

test_literal_secret_in_a_step_env_is_found_at_the_spec_line if {
	step := {"kind": "Job", "metadata": {"name": "fraud-train"}, "spec": {"template": {"spec": {"containers": [{
		"name": "train",
		"env": [{"name": "MLSPEC_STEP", "value": "train"}, {"name": "API_TOKEN", "value": "abc"}],
	}]}}}}
	found := deny(with_objects([peer_auth({"mtls": {"mode": "STRICT"}}), step]))
	count(found) == 1
	some f in found
	f.pointer == "/training/pipeline/train/env/API_TOKEN"
}

test_literal_secret_elsewhere_is_found_at_the_object if {
	pod := deployment({}, [{"name": "DB_PASSWORD", "value": "hunter2"}])
	some f in deny(with_objects([peer_auth({"mtls": {"mode": "STRICT"}}), pod]))
	f.object == {"kind": "Deployment", "name": "fraud-standard"}
	contains(f.msg, "DB_PASSWORD")
}

test_passwords_in_locations_are_denied if {
	keyed := {"op": "replace", "path": "/spec/training/datasets/tx/uri", "value": "s3://key:secret@lake/tx/"}
	with_uri := json.patch(base, [keyed])
	inp := with_connection(with_uri, "redis.feast.svc:6379,password=hunter2")
	pointers := {f.pointer | some f in deny(inp)}
	pointers == {"/training/datasets/tx/uri", "/environments/prod/cluster"}
	count(deny(with_connection(base, "redis.feast.svc:6379,password=${REDIS_PASSWORD}"))) == 0
}

test_permissive_mesh_is_not_encryption if {
	msgs := {f.msg | some f in deny(with_objects([peer_auth({"mtls": {"mode": "PERMISSIVE"}})]))}
	msgs == {
		"no PeerAuthentication requires mutual TLS (STRICT) for every pod of fraud",
		"PeerAuthentication fraud sets mtls.mode to PERMISSIVE: traffic may arrive unencrypted",
	}
}
