#!/usr/bin/env bash
# Compares two builds of Anomalyze on this machine, in alternation so that a slow spell of the
# machine hits both: the load test of POST /api/v1/predict (wrk, 64 connections, 30 s, after a
# 5 s warm-up) and the KDDTest+ upload round trip measured by `bench`.
#
#   scripts/compare-builds.sh OLD.jar NEW.jar [ROUNDS]
#
# Needs wrk and curl. Run it from the repository's top level on a quiet machine.
set -euo pipefail
old=${1:?usage: compare-builds.sh OLD.jar NEW.jar [ROUNDS]}
new=${2:?usage: compare-builds.sh OLD.jar NEW.jar [ROUNDS]}
rounds=${3:-3}
port=7391
lua=src/test/resources/load/predict.lua

load_test() {
  local jar=$1 data
  data=$(mktemp -d)
  java -Xmx2g -jar "$jar" serve --port "$port" --data-dir "$data" >"$data/serve.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
    sleep 0.2
  done
  wrk -t2 -c64 -d5s -s "$lua" "http://127.0.0.1:$port/api/v1/predict" >/dev/null
  wrk -t2 -c64 -d30s --latency -s "$lua" "http://127.0.0.1:$port/api/v1/predict" \
    | grep -E '^(Requests/sec|requests:|p50|p90|p99 |p99.9)' | tr '\n' ' '
  echo
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$data"
}

upload_round_trip() {
  java -jar "$1" bench --records 20000 --runs 5 2>/dev/null | grep -i 'upload'
}

for round in $(seq 1 "$rounds"); do
  for jar in "$old" "$new"; do
    echo "round $round, $jar, predict load: $(load_test "$jar")"
    echo "round $round, $jar, $(upload_round_trip "$jar")"
  done
done
