#!/usr/bin/env bash
# The routing benchmark: simulated colonies routed by the service's own policy code, in
# process, against baselines. Usage: bench/routing/run.sh [seeds, default 50]
# With --http URL it also routes one colony through a running service (see --help).
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -q -B compile dependency:build-classpath -Dmdep.outputFile=target/routing-classpath.txt \
  -Dspring-javaformat.skip=true
classpath="target/classes:$(cat target/routing-classpath.txt)"
rm -rf target/routing-bench
javac -q -d target/routing-bench -cp "$classpath" $(find bench/routing/java -name '*.java') 2>/dev/null \
  || javac -d target/routing-bench -cp "$classpath" $(find bench/routing/java -name '*.java')
java -cp "target/routing-bench:$classpath" dev.spawntelemetry.routing.RoutingSimulation "$@"
