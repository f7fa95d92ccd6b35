#!/usr/bin/env bash
# What the flow detector makes of real captures: flows, the share flagged as attacks and the
# most often predicted classes, per capture.
# Usage: scripts/capture-report.sh [CAPTURE_DIR]   (default ../shared/datasets/pcap; needs target/anomalyze.jar)
set -euo pipefail
dir=${1:-../shared/datasets/pcap}
jar=${JAR:-target/anomalyze.jar}
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
printf '| capture | flows | flagged as attacks | top predicted classes |\n|---|---:|---:|---|\n'
for capture in "$dir"/*; do
  java -jar "$jar" score --model models/cicids2017-mlp.json "$capture" --out "$tmp" 2>/dev/null
  python3 - "$capture" "$tmp" <<'PY'
import csv, sys, collections, os
rows = list(csv.DictReader(open(sys.argv[2], newline='')))
n = len(rows)
flagged = sum(r['anomalous'] == 'true' for r in rows)
top = collections.Counter(r['class'] for r in rows).most_common(3)
classes = ', '.join(f"{c} {100 * k / n:.1f} %" for c, k in top)
print(f"| {os.path.basename(sys.argv[1])} | {n:,} | {100 * flagged / max(n, 1):.1f} % | {classes} |")
PY
done
