#!/usr/bin/env bash
# CPU time per thread of one run of a command (summed over threads of the same name, numbers in
# names folded: "C2 CompilerThread0" and "C1 CompilerThread0" both count as "C# CompilerThread#"),
# sampled from /proc every 0.1 s until the command ends. Linux only.
#
#   scripts/thread-cpu.sh java -Xmx512m -jar target/anomalyze.jar flows CAPTURE --out /tmp/f.csv
set -uo pipefail
[ $# -ge 1 ] || { echo "usage: thread-cpu.sh COMMAND..." >&2; exit 2; }
"$@" >/dev/null 2>&1 &
pid=$!
declare -A ticks names
while kill -0 "$pid" 2>/dev/null; do
  for task in /proc/"$pid"/task/*; do
    stat=$(cat "$task/stat" 2>/dev/null) || continue
    name=$(cat "$task/comm" 2>/dev/null) || continue
    fields=(${stat##*) })
    ticks[${task##*/}]=$(( fields[11] + fields[12] ))
    names[${task##*/}]=$name
  done
  sleep 0.1
done
wait "$pid"
hz=$(getconf CLK_TCK)
for tid in "${!ticks[@]}"; do
  echo "${ticks[$tid]} $(echo "${names[$tid]}" | sed 's/[0-9]\+/#/g' | tr ' ' '_')"
done | awk -v hz="$hz" '{ s[$2] += $1; total += $1 } END { for (k in s) if (s[k] > 0) printf "%7.2f s  %s\n", s[k] / hz, k; printf "%7.2f s  (all threads)\n", total / hz }' | sort -rn
