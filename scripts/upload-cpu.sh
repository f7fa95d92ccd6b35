#!/usr/bin/env bash
# Where the CPU of warm KDDTest+ upload round trips goes: the service's CPU time per upload
# (from /proc, so Linux only), split into its JIT compiler threads, its garbage collector and
# the rest, for consecutive groups of uploads after the warm-ups. Shows how long after start the
# JIT still competes with the uploads for the cores.
#
#   scripts/upload-cpu.sh JAR        environment: GROUP_COUNT (4), UPLOADS (30 per group), WARMUPS (10)
#
# Run from the repository's top level on a quiet machine. Needs curl.
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: upload-cpu.sh JAR" >&2; exit 2; }
groups=${GROUP_COUNT:-4}
uploads=${UPLOADS:-30}
warmups=${WARMUPS:-10}
port=${PORT:-7396}
base="http://127.0.0.1:$port"
tick=$(getconf CLK_TCK)

data=$(mktemp -d)
java -jar "$1" serve --port "$port" --data-dir "$data" >"$data/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 150); do curl -fs "$base/health" >/dev/null 2>&1 && break; sleep 0.2; done

# CPU ticks of the threads whose name matches $1 (utime + stime; fields after the name).
ticks() {
  local sum=0 t
  for t in /proc/"$pid"/task/*; do
    if grep -qE "$1" "$t/comm" 2>/dev/null; then
      sum=$((sum + $(sed 's/^.*) //' "$t/stat" | awk '{print $12 + $13}')))
    fi
  done
  echo "$sum"
}
all() { awk '{print $14 + $15}' /proc/"$pid"/stat; }

for _ in $(seq 1 "$warmups"); do
  curl -fs -o /dev/null -F file=@uploads/KDDTest+.txt "$base/api/v1/analyses"
done
for g in $(seq 1 "$groups"); do
  a0=$(all); j0=$(ticks 'Compiler'); c0=$(ticks '^(GC|G1)')
  times=$(for _ in $(seq 1 "$uploads"); do
    curl -fs -o /dev/null -w '%{time_total}\n' -F file=@uploads/KDDTest+.txt "$base/api/v1/analyses"
  done | sort -n)
  a1=$(all); j1=$(ticks 'Compiler'); c1=$(ticks '^(GC|G1)')
  ms() { echo $(( ($1) * 1000 / tick / uploads )); }
  echo "uploads $(( warmups + (g - 1) * uploads + 1 ))-$(( warmups + g * uploads )):" \
    "median $(echo "$times" | sed -n "$(( (uploads + 1) / 2 ))p") s;" \
    "CPU per upload $(ms "a1 - a0") ms, of which JIT compiler $(ms "j1 - j0") ms, GC $(ms "c1 - c0") ms"
done
