#!/usr/bin/env bash
# The routing decision over HTTP: wrk --latency on GET /routes/{caste} with 8 and with 32
# candidates, each request over another set of them (so none is answered from the policy's
# memory), beside GET /actuator/health in the same run. Each caste's models first get
# 100-300 resolved spawns. Usage: bench/routes.sh   (DURATION=20s WARMUP=10s)
set -euo pipefail
cd "$(dirname "$0")/.."
REPORT=${REPORT:-docs/bench/routes.txt}
exec > >(tee "$REPORT")
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-10s}
PORT=${PORT:-18081}
URL="http://127.0.0.1:$PORT"
missing=()
for tool in wrk jq curl; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null; fi

[ -n "${SKIP_PACKAGE:-}" ] || ./mvnw -q -B package -DskipTests -Dspring-javaformat.skip=true
JAR=$(ls target/spawn-telemetry-*.jar | grep -v original | head -1)
DATA=$(mktemp -d)
java -jar "$JAR" --server.port="$PORT" --telemetry.storage.dir="$DATA" --logging.level.root=WARN >"$DATA.log" 2>&1 &
PID=$!
trap 'status=$?; kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true; rm -rf "$DATA" "$DATA.log"; exit $status' EXIT
for _ in $(seq 1 120); do curl -fs "$URL/actuator/health" >/dev/null && break; sleep 0.5; done

# caste POOL: every model m1..mPOOL gets 100-300 spawns, each resolved, at its own rate
seed() {
  local caste=$1 pool=$2
  for m in $(seq 1 "$pool"); do
    local n=$((100 + (m * 37) % 200)) rate=$((50 + (m * 13) % 45))
    for i in $(seq 1 "$n"); do
      local outcome=failed
      [ $(((i * 7919) % 100)) -lt "$rate" ] && outcome=completed
      printf '%s %s %s\n' "$caste-m$m-$i" "m$m" "$outcome"
    done
  done | xargs -P 8 -L 1 sh -c '
    curl -fs -o /dev/null -X POST "'"$URL"'/spawns" -H "Content-Type: application/json" \
      -d "{\"spawn_id\":\"$0\",\"caste\":\"'"$caste"'\",\"model\":\"$1\",\"task\":\"t\"}" &&
    curl -fs -o /dev/null -X PUT "'"$URL"'/spawns/$0/outcome" -H "Content-Type: application/json" \
      -d "{\"outcome\":\"$2\"}"'
}
echo "seeding…" >&2
seed eight 12
seed thirtytwo 34

# run LABEL SCRIPT ARGS... -> one table row: the latency of one request at a time
# (wrk -t1 -c1 --latency), then the rate at 16 connections
run() {
  local label=$1; shift
  wrk -t2 -c16 -d"$WARMUP" -s "$@" >/dev/null
  local one many
  one=$(wrk -t1 -c1 -d"$DURATION" --latency -s "$@")
  many=$(wrk -t2 -c16 -d"$DURATION" -s "$@")
  printf '| %-46s | %8s | %8s | %8s | %12s |\n' "$label" \
    "$(awk '$1 == "50%" { print $2 }' <<<"$one")" "$(awk '$1 == "90%" { print $2 }' <<<"$one")" \
    "$(awk '$1 == "99%" { print $2 }' <<<"$one")" "$(sed -n 's/^Requests\/sec: *//p' <<<"$many")"
}
echo "GET /routes over HTTP: latency of one request at a time (wrk -t1 -c1 --latency) and the rate at"
echo "16 connections (wrk -t2 -c16), $DURATION each after $WARMUP warm-up; $(nproc) cores, $(date -u +%Y-%m-%d)"
echo
printf '| %-46s | %8s | %8s | %8s | %12s |\n' "request" "p50" "p90" "p99" "req/s at 16"
printf '|%s|%s|%s|%s|%s|\n' "------------------------------------------------" "----------" "----------" "----------" "--------------"
run "GET /actuator/health (baseline)" bench/lua/get.lua "$URL" -- /actuator/health
run "GET /routes, 8 of 12 candidates, each anew" bench/lua/get-routes.lua "$URL" -- eight 12 8
run "GET /routes, 32 of 34 candidates, each anew" bench/lua/get-routes.lua "$URL" -- thirtytwo 34 32
run "GET /routes, the same 8 (remembered)" bench/lua/get.lua "$URL" -- "/routes/eight?candidates=m1,m2,m3,m4,m5,m6,m7,m8"
