#!/usr/bin/env bash
# Writes on PostgreSQL, two builds in one sitting, alternating: wrk on plain spawns with their
# outcomes (put-outcomes.lua) and on routed spawns with theirs (routed-outcomes.lua), each
# build on a database of its own made fresh for each run, and the ratio of the second build's
# rate to the first's. Writes docs/bench/pg-writes.md. Usage: bench/pg-writes.sh BEFORE.jar AFTER.jar
#   (ROUNDS=2 DURATION=15s WARMUP=5s THREADS=2 CONNECTIONS=64; PGHOST, PGPORT, PGUSER as
#   bench/backends.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
BEFORE=$1
AFTER=$2
ROUNDS=${ROUNDS:-2}
DURATION=${DURATION:-15s}
WARMUP=${WARMUP:-5s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-64}
REPORT=${REPORT:-docs/bench/pg-writes.md}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
missing=()
for tool in wrk jq curl psql; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null; fi
WORK=$(mktemp -d)
cp "$BEFORE" "$WORK/before.jar"
cp "$AFTER" "$WORK/after.jar"
DB="telemetry_writes_$$"
PORT=18293
PID=
cleanup() {
  [ -z "$PID" ] || { kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; }
  psql -d postgres -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
measure() {
  local script=$1
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s "bench/lua/$script" "http://127.0.0.1:$PORT" >/dev/null
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 10s -s "bench/lua/$script" "http://127.0.0.1:$PORT" \
    | sed -n 's/^RESULT //p' | jq -r '"\(.rps) \(.p99_ms) \(.statuses | to_entries | map("\(.key)×\(.value)") | join(","))"'
}
declare -A RPS P99 ANSWERS
SCRIPTS=(put-outcomes.lua routed-outcomes.lua)
for round in $(seq 1 "$ROUNDS"); do
  for build in before after; do
    echo "round $round, $build…" >&2
    psql -d postgres -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null
    psql -d postgres -qc "CREATE DATABASE $DB" >/dev/null
    java -jar "$WORK/$build.jar" --server.port=$PORT --logging.level.root=WARN --telemetry.storage.type=postgres \
      --spring.datasource.url="jdbc:postgresql://$PGHOST:$PGPORT/$DB" --spring.datasource.username="$PGUSER" \
      >"$WORK/service.log" 2>&1 &
    PID=$!
    for _ in $(seq 1 240); do curl -fs "http://127.0.0.1:$PORT/actuator/health" >/dev/null && break; sleep 0.5; done
    for script in "${SCRIPTS[@]}"; do
      read -r rps p99 answers <<<"$(measure "$script")"
      RPS[$build,$round,$script]=$rps
      P99[$build,$round,$script]=$p99
      ANSWERS[$build,$round,$script]=$answers
    done
    kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
  done
done
mkdir -p "$(dirname "$REPORT")"
exec > >(tee "$REPORT")
echo "PostgreSQL writes: wrk -t$THREADS -c$CONNECTIONS, $DURATION after a $WARMUP warm-up, a fresh database per run;"
echo "$(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ); before: $(basename "$BEFORE"), after: $(basename "$AFTER")"
echo
echo "| scenario | round | before req/s | before p99 ms | after req/s | after p99 ms | after / before (req/s) | answers before; after |"
echo "|---|---:|---:|---:|---:|---:|---:|---|"
for script in "${SCRIPTS[@]}"; do
  for round in $(seq 1 "$ROUNDS"); do
    ratio=$(awk -v a="${RPS[after,$round,$script]}" -v b="${RPS[before,$round,$script]}" 'BEGIN { printf "%.2f", a / b }')
    echo "| $script | $round | ${RPS[before,$round,$script]} | ${P99[before,$round,$script]} | ${RPS[after,$round,$script]} | ${P99[after,$round,$script]} | $ratio | ${ANSWERS[before,$round,$script]}; ${ANSWERS[after,$round,$script]} |"
  done
done
