#!/bin/sh
# Health check of the container image: asks the service's readiness endpoint on the address and
# port it was started with (ANOMALYZE_HOST, ANOMALYZE_PORT), so a container started on another
# port is not reported unhealthy. Readiness answers 503 while no model is loaded, so a service that
# can analyse nothing is unhealthy too. Exit 0 healthy, anything else unhealthy (curl's reason on stderr).
port=$(printf '%s' "${ANOMALYZE_PORT:-}" | tr -d '[:space:]')
host=$(printf '%s' "${ANOMALYZE_HOST:-}" | tr -d '[:space:]')
[ -n "$port" ] || port=7070
case "$host" in
  "" | 0.0.0.0) host=127.0.0.1 ;;
  :: | "[::]") host="[::1]" ;;
  \[*) ;;
  *:*) host="[$host]" ;;
esac
exec curl --fail --silent --show-error --globoff --max-time 4 --output /dev/null "http://$host:$port/health/ready"
