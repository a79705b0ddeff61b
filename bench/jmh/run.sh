#!/usr/bin/env bash
# JMH: one persist of a full 1000-decision state, against the floor of an atomic durable
# replace of the same bytes (PersistBenchmark); or one routing decision over 8 and 32
# candidates (DecisionBenchmark). Usage: [BENCHMARK=DecisionBenchmark] bench/jmh/run.sh [JMH options, e.g. -f 2]
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -q -B -Pjmh test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/jmh-classpath.txt -Dspring-javaformat.skip=true
java -cp "target/test-classes:target/classes:$(cat target/jmh-classpath.txt)" org.openjdk.jmh.Main "${BENCHMARK:-PersistBenchmark}" "$@"
