#!/usr/bin/env bash
# Measures one `stream` worker end to end against a single local Kafka broker (KRaft, the
# tests' cluster, in its own JVM on 127.0.0.1), and beside it the broker's own floor.
#
#   scripts/stream-bench.sh [RECORDS] [PARTITIONS]            (defaults 300000 and 3)
#
# Steps, each in its own process so that CPU time can be told apart:
#   1. start the broker;
#   2. load RECORDS JSON flows (about 1.9 kB each, built from uploads/MachineLearningCVE-sample.csv,
#      keyed by source address) into a topic of PARTITIONS partitions;
#   3. run `java -jar target/anomalyze.jar stream` (exactly-once) on the topic and follow its
#      /metrics from the commit past the first fifth of the records (a warm-up: class loading and
#      the JIT compiler) until RECORDS verdicts are committed: flows/s,
#      CPU µs per flow of the worker and of the broker, and the same run's in-process figure
#      (the scoring thread's CPU time in decoding, scoring and writing verdicts);
#   4. "pipe": the worker's Kafka part alone on the same records (consume, produce a document of
#      the verdicts' average size per record, commit offsets in the same transactions), which is
#      the most one worker can do against this broker on this machine whatever its scoring costs.
#
# Environment: STREAM_BENCH_COMPRESSION (none|lz4|zstd|snappy|gzip, default none) compresses the
# loaded flows, as a sensor's producer would; STREAM_BENCH_KAFKA="KEY=VALUE ..." passes Kafka client
# settings to the worker (as --kafka-property) and to the pipe, e.g. "compression.type=lz4";
# STREAM_BENCH_WORKER_OPTS adds other worker flags; STREAM_BENCH_JFR=FILE records the worker with Java
# Flight Recorder; STREAM_BENCH_JAR runs another build's jar as the worker (to compare before and
# after a change). Nothing is asserted; the figures go to standard output.
set -euo pipefail
cd "$(dirname "$0")/.."

RECORDS=${1:-300000}
PARTITIONS=${2:-3}
COMPRESSION=${STREAM_BENCH_COMPRESSION:-none}
WORKER_OPTS=${STREAM_BENCH_WORKER_OPTS:-}
JAR=${STREAM_BENCH_JAR:-target/anomalyze.jar}
KAFKA=${STREAM_BENCH_KAFKA:-}
KAFKA_FLAGS=()
for kv in $KAFKA; do KAFKA_FLAGS+=(--kafka-property "$kv"); done
WORK=$(mktemp -d /tmp/stream-bench.XXXXXX)
BROKER=""
WORKER=""
cleanup() {
  if [ -n "$WORKER" ]; then kill "$WORKER" 2>/dev/null || true; wait "$WORKER" 2>/dev/null || true; fi
  if [ -n "$BROKER" ]; then kill "$BROKER" 2>/dev/null || true; wait "$BROKER" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

if [ ! -f target/anomalyze.jar ]; then
  mvn -B -q package -DskipTests
fi
if [ ! -f target/test-classpath.txt ] || [ ! -f target/test-classes/io/anomalyze/stream/StreamBench.class ]; then
  mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
fi
CP="target/test-classes:target/classes:$(cat target/test-classpath.txt)"
QUIET=(-Dorg.slf4j.simpleLogger.defaultLogLevel=warn)
TICK=$(getconf CLK_TCK)

echo "machine: $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg); worker $JAR; loaded flows compressed: $COMPRESSION; Kafka settings: ${KAFKA:-defaults}"
java -Xmx1g "${QUIET[@]}" -cp "$CP" io.anomalyze.stream.LocalBroker "$WORK/bootstrap" >"$WORK/broker.log" 2>&1 &
BROKER=$!
for _ in $(seq 1 600); do
  [ -f "$WORK/bootstrap" ] && break
  kill -0 "$BROKER" 2>/dev/null || { cat "$WORK/broker.log" >&2; exit 1; }
  sleep 0.1
done
BOOTSTRAP=$(cat "$WORK/bootstrap")
echo "broker: $BOOTSTRAP (pid $BROKER)"

java -Xmx1g "${QUIET[@]}" -Dbroker.pid="$BROKER" -cp "$CP" io.anomalyze.stream.StreamBench load "$BOOTSTRAP" flows "$PARTITIONS" "$RECORDS" "$COMPRESSION"

JFR=()
if [ -n "${STREAM_BENCH_JFR:-}" ]; then
  JFR=("-XX:StartFlightRecording=filename=$STREAM_BENCH_JFR,settings=profile")
fi
# shellcheck disable=SC2086
java -Xmx1g "${JFR[@]}" -jar "$JAR" stream --bootstrap-servers "$BOOTSTRAP" --input-topic flows \
  --output-topic verdicts --group-id bench --instance-id bench-1 --metrics-port 0 --progress-seconds 5 "${KAFKA_FLAGS[@]}" $WORKER_OPTS \
  2>"$WORK/worker.log" &
WORKER=$!
URL=""
for _ in $(seq 1 600); do
  URL=$(grep -o 'http://[^ ]*/metrics' "$WORK/worker.log" || true)
  [ -n "$URL" ] && break
  kill -0 "$WORKER" 2>/dev/null || { cat "$WORK/worker.log" >&2; exit 1; }
  sleep 0.1
done
java "${QUIET[@]}" -Dclk.tck="$TICK" -cp "$CP" io.anomalyze.stream.StreamBench watch "$URL" "$RECORDS" "$WORKER" "$BROKER"
echo "load average after the worker: $(cut -d' ' -f1-3 /proc/loadavg)"
kill "$WORKER"
wait "$WORKER" || true
WORKER=""
grep '^stream: stopped' "$WORK/worker.log" || true

DOC=$(java "${QUIET[@]}" -cp "$CP" io.anomalyze.stream.StreamBench size "$BOOTSTRAP" verdicts)
java -Xmx1g "${QUIET[@]}" -Dclk.tck="$TICK" -Dbroker.pid="$BROKER" -cp "$CP" io.anomalyze.stream.StreamBench pipe "$BOOTSTRAP" flows pipe-out \
  "$RECORDS" "$DOC" $KAFKA
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
