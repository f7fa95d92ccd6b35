#!/usr/bin/env bash
# Agreement of `anomalyze flows` with CICFlowMeter's own output for the same captures, against
# the corrected tool (G. Engelen's fork) and the original CICFlowMeter 4.0.
# Usage: scripts/parity.sh [DATASETS_DIR]   (default ../shared/datasets; needs target/anomalyze.jar)
set -euo pipefail
datasets=${1:-../shared/datasets}
jar=${JAR:-target/anomalyze.jar}
for tool in corrected original; do
  for reference in "$datasets"/pcap-flows/cicflowmeter-$tool/*.csv; do
    name=$(basename "$reference")
    capture=${name%_Flow.csv}
    capture=${capture%_CIC.csv}
    for dir in "$datasets/pcap-flows/cicflowmeter-$tool" "$datasets/pcap-flows/cicflowmeter-corrected" "$datasets/pcap"; do
      if [ -e "$dir/$capture" ]; then break; fi
    done
    echo "== $tool: $capture"
    java -jar "$jar" flows "$dir/$capture" --compare "$reference" 2>/dev/null
  done
done
