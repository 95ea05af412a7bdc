// Garbage-collector settings of the serving process. Between requests the young generation holds
// almost nothing live (a few hundred bytes survive a scavenge), so V8's parallel scavenging only
// splits that little work across helper threads and then waits for them; on a container's one or
// two CPUs, shared with ONNX Runtime, the wait was most of the pause. Serial scavenges, measured on
// the benchmark machine at one connection: median pause 0.6 → 0.3-0.4 ms; CPU per request and
// throughput the same or better at 1 to 64 connections. V8 reads this flag at every scavenge.
import { setFlagsFromString } from 'node:v8';

export function useSerialScavenges(): void {
  setFlagsFromString('--no-parallel-scavenge');
}
