// Python programs shipped in the feature repository ConfigMap next to feature_store.yaml and
// features.py, run with the platform's Feast image (`python /etc/feast/<script>`). They use
// Feast, the standard library and, for streams, the client the stream needs (confluent-kafka
// for Kafka, boto3 for Kinesis): the Feast image must be built with those extras
// (`feast[redis,postgres,aws,gcp]`, `confluent-kafka`).
//
// - mlspec_metrics.py: Prometheus text exposition over HTTP (standard library only).
// - freshness.py: exports FEATURE_METRICS.lastEventTimestamp per online view from the Feast
//   registry: the end of the newest materialization interval, i.e. the newest event time the
//   batch materialization has written. Runs beside the feature server.
// - ingest.py: one view's stream → `FeatureStore.push(<view>_push, rows, to=ONLINE)`, and
//   the same metric from the newest event time it pushed.
//     Kafka: consumer group `<project>.<view>`, offsets committed after each push (at least
//     once); brokers' TLS/SASL settings and a Schema Registry (Avro, Confluent wire format)
//     from the optional `<system>-stream` Secret.
//     Kinesis: every shard from LATEST, no checkpoint store (a restart skips what arrived
//     meanwhile; the next materialization fills the gap). A closed shard (resharding) ends
//     the process, so Kubernetes restarts it on the new shards.
//     Protobuf needs the message classes, which a spec does not carry: ingest.py refuses it
//     and says so; such a stream needs its own ingestion image.
// Each file is a fixed text; everything system-specific comes in through the environment.
import { pythonProgram } from '../base/python.js';

/** Files `feast apply` must not import (it imports every .py file of the repository). */
export const FEASTIGNORE = ['freshness.py', 'ingest.py', 'mlspec_metrics.py', ''].join('\n');

export const METRICS_MODULE = pythonProgram(import.meta.url, 'mlspec_metrics.py');

export const FRESHNESS_SCRIPT = pythonProgram(import.meta.url, 'freshness.py');

export const INGEST_SCRIPT = pythonProgram(import.meta.url, 'ingest.py');
