#!/usr/bin/env bash
# The routing benchmark: simulated colonies routed by the service's own policy code, in
# process, against baselines, over many seeds; then one colony routed end to end by the
# packaged service over HTTP, beside the same seed in process.
# Usage: bench/routing/run.sh [seeds, default 50] [HTTP spawns, default 3000; 0: no HTTP run]
# Writes the report to docs/bench/routing.txt as well.
set -euo pipefail
cd "$(dirname "$0")/../.."
seeds=${1:-50}
http_spawns=${2:-3000}
./mvnw -q -B package -DskipTests -Dspring-javaformat.skip=true
./mvnw -q -B dependency:build-classpath -Dmdep.outputFile=target/routing-classpath.txt
classpath="target/classes:$(cat target/routing-classpath.txt)"
rm -rf target/routing-bench
javac -d target/routing-bench -cp "$classpath" $(find bench/routing/java -name '*.java')
run() { java -cp "target/routing-bench:$classpath" dev.spawntelemetry.routing.RoutingSimulation "$@"; }
mkdir -p docs/bench
{
  echo "# bench/routing/run.sh $seeds $http_spawns on $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
  run "$seeds"
  if [ "$http_spawns" -gt 0 ]; then
    work=$(mktemp -d)
    cp target/spawn-telemetry-*.jar "$work/service.jar"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    java -jar "$work/service.jar" --server.port="$port" --telemetry.storage.dir="$work/data" \
      --telemetry.routing.seed=7 --logging.level.root=WARN >"$work/service.log" 2>&1 &
    pid=$!
    trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
    for _ in $(seq 1 240); do curl -fs "http://127.0.0.1:$port/actuator/health" >/dev/null && break; sleep 0.5; done
    echo
    run --http "http://127.0.0.1:$port" 7 "$http_spawns"
  fi
} | tee docs/bench/routing.txt
