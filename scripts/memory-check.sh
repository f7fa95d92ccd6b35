#!/usr/bin/env bash
# Reproduces the memory and disk checks of the service with a small heap: a large analysis is
# finished, exported four times at once, deleted, and the database file is measured before and
# after the delete, once compacted at idle, and after a restart (which compacts it too).
#
#   scripts/memory-check.sh [RECORDS] [HEAP]      defaults: 1000000 records, 256m
#
# Run from the repository's top level after `mvn -B -q package -DskipTests`. Needs curl and
# python3. Prints one line per step; exits 1 at the first step that fails.
set -euo pipefail
records=${1:-1000000}
heap=${2:-256m}
jar=${JAR:-target/anomalyze.jar}
port=${PORT:-7394}
work=$(mktemp -d)
data="$work/data"
base="http://127.0.0.1:$port"
pid=

fail() { echo "FAILED: $*"; exit 1; }
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

start() {
  java "-Xmx$heap" -jar "$jar" serve --port "$port" --data-dir "$data" >>"$work/serve.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 150); do
    curl -fs "$base/health" >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || fail "the service did not start: $(tail -3 "$work/serve.log")"
    sleep 0.2
  done
  fail "the service did not answer /health within 30 s"
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=; }
rss_peak() { awk '/VmHWM/ {printf "%d MB", $2/1024}' "/proc/$pid/status"; }
db_size() { du -m "$data/anomalyze.mv.db" | cut -f1; }
json_field() { python3 -c "import sys,json; print(json.load(sys.stdin)$1)"; }

python3 - "$records" "$work/input.txt" <<'PY'
import itertools, sys
lines = open('uploads/KDDTest+.txt').readlines()
with open(sys.argv[2], 'w') as out:
    out.writelines(itertools.islice(itertools.cycle(lines), int(sys.argv[1])))
PY
echo "input: $records connection records, $(du -m "$work/input.txt" | cut -f1) MB; heap $heap"

start
t0=$(date +%s.%N)
id=$(curl -fs -F "file=@$work/input.txt" "$base/api/v1/analyses" | json_field '["id"]')
while :; do
  status=$(curl -fs "$base/api/v1/analyses/$id" | json_field '["status"]')
  [ "$status" = done ] && break
  [ "$status" = failed ] && fail "the analysis failed: $(curl -s "$base/api/v1/analyses/$id")"
  sleep 0.5
done
echo "analysis $id done in $(python3 -c "print(round($(date +%s.%N) - $t0, 1))") s; database file $(db_size) MB; peak RSS $(rss_peak)"

for i in 1 2 3 4; do
  out=/dev/null; [ "$i" = 1 ] && out="$work/export-1.json"
  curl -s -o "$out" -w '%{http_code}\n' "$base/analyses/$id/export.json" >"$work/export-$i.status" &
done
wait $(jobs -p | grep -v "^$pid$") 2>/dev/null || true
for i in 1 2 3 4; do
  code=$(cat "$work/export-$i.status")
  [ "$code" = 200 ] || fail "export $i answered $code"
done
rows=$(grep -o '"line":' "$work/export-1.json" | wc -l)
[ "$rows" = "$records" ] || fail "the first export holds $rows verdicts, not $records"
echo "four concurrent JSON exports: all 200, $(du -m "$work/export-1.json" | cut -f1) MB each, $rows verdicts in the first; peak RSS $(rss_peak)"
rm -f "$work/export-1.json"

before=$(db_size)
code=$(curl -s -o /dev/null -w '%{http_code}' -X DELETE "$base/api/v1/analyses/$id")
[ "$code" = 204 ] || [ "$code" = 200 ] || fail "delete answered $code"
health=$(curl -s -o /dev/null -w '%{http_code}' "$base/health")
[ "$health" = 200 ] || fail "/health answered $health after the delete"
echo "deleted: $code; /health $health; database file $before MB before the delete, $(db_size) MB after; peak RSS $(rss_peak)"

# The store compacts the file at idle, 30 s after a delete once nothing uses the database.
for _ in $(seq 1 30); do
  sleep 2
  [ "$(db_size)" -lt "$before" ] && break
done
echo "after the compaction at idle: database file $(db_size) MB; /health $(curl -s -o /dev/null -w '%{http_code}' "$base/health")"

stop
start
echo "restarted: database file $(db_size) MB after the compaction at start"
stop
