#!/usr/bin/env bash
# Warm round trips of the KDDTest+ upload through the API (POST /api/v1/analyses answers once the
# analysis is done), per build, builds in alternation: more uploads per build than `bench` makes,
# so the median is steadier on a machine whose speed varies from minute to minute.
#
#   scripts/upload-round-trip.sh JAR [JAR...]        environment: ROUNDS (2), UPLOADS (40), WARMUPS (10)
#
# Run from the repository's top level on a quiet machine. Needs curl.
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: upload-round-trip.sh JAR [JAR...]" >&2; exit 2; }
rounds=${ROUNDS:-2}
uploads=${UPLOADS:-40}
warmups=${WARMUPS:-10}
port=${PORT:-7396}
base="http://127.0.0.1:$port"

for round in $(seq 1 "$rounds"); do
  for jar in "$@"; do
    data=$(mktemp -d)
    java -jar "$jar" serve --port "$port" --data-dir "$data" >"$data/serve.log" 2>&1 &
    pid=$!
    for _ in $(seq 1 150); do curl -fs "$base/health" >/dev/null 2>&1 && break; sleep 0.2; done
    for _ in $(seq 1 "$warmups"); do
      curl -fs -o /dev/null -F file=@uploads/KDDTest+.txt "$base/api/v1/analyses"
    done
    times="$data/times.txt"
    for _ in $(seq 1 "$uploads"); do
      out=$(curl -s -w ' %{http_code} %{time_total}' -F file=@uploads/KDDTest+.txt "$base/api/v1/analyses")
      case "$out" in
        *'"status":"done"'*' 201 '*) echo "${out##* }" >>"$times" ;;
        *) echo "upload failed: ${out: -200}" >&2; kill "$pid"; exit 1 ;;
      esac
    done
    sorted=$(sort -n "$times")
    echo "round $round, $jar: median $(echo "$sorted" | sed -n "$(( (uploads + 1) / 2 ))p") s," \
      "min $(echo "$sorted" | head -1) s, max $(echo "$sorted" | tail -1) s ($uploads uploads after $warmups warm-ups)"
    kill "$pid"; wait "$pid" 2>/dev/null || true
    rm -rf "$data"
  done
done
