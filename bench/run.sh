#!/usr/bin/env bash
# Measures spawn-telemetry over HTTP with wrk against its own baseline, GET /actuator/health,
# in the same run. Not part of ./mvnw verify. Usage: bench/run.sh   (DURATION=30s WARMUP=15s;
# BENCH_TOKEN=secret to require a write token, as a locked-down deployment does;
# GROWTH_SPAWNS=1000000, how many spawns the memory and file growth check records;
# BACKENDS=0 to leave out the PostgreSQL backend beside the file backend, bench/backends.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
# the report (stdout; progress goes to stderr) also goes to a results file docs/performance.md cites
REPORT=${REPORT:-docs/bench/http.txt}
mkdir -p "$(dirname "$REPORT")"
exec > >(tee "$REPORT")

DURATION=${DURATION:-30s}
WARMUP=${WARMUP:-15s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-64}
PORT=${PORT:-18080}
URL="http://127.0.0.1:$PORT"

missing=()
for tool in wrk jq curl; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
fi

./mvnw -q -B package -DskipTests -Dspring-javaformat.skip=true
JAR=$(ls target/spawn-telemetry-*.jar | grep -v original | head -1)
DATA=$(mktemp -d)
LOG="$DATA.log"
TOKEN_ARGS=()
if [ -n "${BENCH_TOKEN:-}" ]; then TOKEN_ARGS=(--telemetry.security.write-token="$BENCH_TOKEN"); fi
java -jar "$JAR" --server.port="$PORT" --telemetry.storage.dir="$DATA" --telemetry.storage.fsync=true "${TOKEN_ARGS[@]}" \
  --management.endpoints.web.exposure.include=health,metrics --logging.level.root=WARN >"$LOG" 2>&1 &
PID=$!
# the script's own status stands: the service may already be gone, which is no failure
trap 'status=$?; kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true; rm -rf "$DATA" "$LOG"; exit $status' EXIT
for _ in $(seq 1 120); do curl -fs "$URL/actuator/health" >/dev/null && break; sleep 0.5; done
curl -fs "$URL/actuator/health" >/dev/null || { cat "$LOG"; exit 1; }

CREATED=0       # 201s wrk saw, over every run that records spawns
POSTING_RUNS=0  # each can leave up to CONNECTIONS requests answered after wrk stopped counting
RESULTS=()

# wrk_run NAME DURATION SCRIPT ARGS... -> the RESULT json of that run
wrk_run() {
  local duration=$1 script=$2; shift 2
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$duration" --timeout 10s -s "bench/lua/$script" "$URL" -- "$@" \
    | sed -n 's/^RESULT //p'
}

# scenario LABEL SCRIPT ARGS...: warm up, then measure; remembers the measured result
scenario() {
  local label=$1 script=$2; shift 2
  local warm result
  warm=$(wrk_run "$WARMUP" "$script" "$@")
  result=$(wrk_run "$DURATION" "$script" "$@")
  for run in "$warm" "$result"; do
    local created
    created=$(jq '.statuses["201"] // 0' <<<"$run")
    if [ "$created" -gt 0 ]; then CREATED=$((CREATED + created)); POSTING_RUNS=$((POSTING_RUNS + 1)); fi
  done
  RESULTS+=("$(jq -c --arg name "$label" '. + {label: $name}' <<<"$result")")
  echo "  measured: $label" >&2
}

heap_after_gc_kb() {
  jcmd "$PID" GC.run >/dev/null
  jcmd "$PID" GC.heap_info | awk '/used/ { for (i = 1; i <= NF; i++) if ($i == "used") { sub("K", "", $(i+1)); print $(i+1); exit } }'
}

total_spawns() { curl -fs "$URL/stats" | jq '.total_spawns'; }

# The file backend appends each batch to its journal and checkpoints telemetry.json once it has
# been idle for a second: wait for that, so that the file's figures are the whole state's.
checkpointed() {
  local want
  want=$(total_spawns)
  for _ in $(seq 1 100); do
    if [ -f "$DATA/telemetry.json" ] && [ "$(jq '[.models[].total_spawns] | add // 0' "$DATA/telemetry.json")" = "$want" ]; then
      return
    fi
    sleep 0.2
  done
  echo "telemetry.json was not checkpointed within 20 s" >&2
  exit 1
}

echo "JVM warm-up and baseline…" >&2
scenario "GET /actuator/health (baseline)" get.lua /actuator/health

echo "Recording the first 1000 spawns…" >&2
models=(kimi-k2.5 glm-5 openrouter/anthropic/claude-sonnet-4.5 openrouter/openai/gpt-5 qwen3-coder)
castes=(builder watcher scout oracle architect colonizer chronicler)
for i in $(seq 1 1000); do
  printf '{"task":"implement step %d of the plan and run the tests","caste":"%s","model":"%s","source":"task-based"}\n' \
    "$i" "${castes[i % 7]}" "${models[i % 5]}"
done | xargs -P 8 -d '\n' -I{} curl -fs -o /dev/null -X POST "$URL/spawns" -H 'Content-Type: application/json' \
  -H "Authorization: Bearer ${BENCH_TOKEN:-none}" -d '{}'
heap_1000=$(heap_after_gc_kb)
checkpointed
file_1000=$(stat -c %s "$DATA/telemetry.json")
CREATED=1000
scenario "POST /spawns" post-spawns.lua
scenario "POST /spawns, routed (8 candidates)" post-routed.lua
scenario "PUT outcome (1:1 with its POSTs)" put-outcomes.lua
scenario "GET /stats" get.lua /stats
ETAG=$(curl -fsi "$URL/stats" | awk 'tolower($1) == "etag:" { print $2 }' | tr -d '\r')
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $ETAG" "$URL/stats")" = 304 ]
scenario "GET /stats, If-None-Match" get.lua /stats "$ETAG"

batch=$(curl -fs "$URL/actuator/metrics/spawn.telemetry.writer.batch.size")
persist=$(curl -fs "$URL/actuator/metrics/spawn.telemetry.writer.persist")
mean_batch=$(jq '[.measurements[] | {(.statistic): .value}] | add | .TOTAL / .COUNT' <<<"$batch")
max_batch=$(jq -r '[.measurements[] | select(.statistic == "MAX") | .value][0] // "n/a"' <<<"$batch")
persists=$(jq '.measurements[] | select(.statistic == "COUNT") | .value' <<<"$batch")
mean_persist_ms=$(jq '[.measurements[] | {(.statistic): .value}] | add | .TOTAL_TIME / .COUNT * 1000' <<<"$persist")
# Rotation keeps the log at max-decisions and aggregates grow with models and castes only:
# record on until a million spawns (GROWTH_SPAWNS), then compare heap and file with the first 1000.
while [ "$(total_spawns)" -lt "${GROWTH_SPAWNS:-1000000}" ]; do
  echo "  recording up to ${GROWTH_SPAWNS:-1000000} spawns: $(total_spawns) so far" >&2
  top_up=$(wrk_run 30s post-spawns.lua)
  CREATED=$((CREATED + $(jq '.statuses["201"] // 0' <<<"$top_up"))); POSTING_RUNS=$((POSTING_RUNS + 1))
done
heap_1m=$(heap_after_gc_kb)
checkpointed
file_1m=$(stat -c %s "$DATA/telemetry.json")
rss_peak=$(awk '/VmHWM/ { print $2 }' "/proc/$PID/status")
in_file=$(jq '[.models[].total_spawns] | add' "$DATA/telemetry.json")
decisions=$(jq '.routing_decisions | length' "$DATA/telemetry.json")

baseline=$(jq '.rps' <<<"${RESULTS[0]}")
echo
echo "spawn-telemetry over HTTP: wrk -t$THREADS -c$CONNECTIONS, ${DURATION} per scenario after ${WARMUP} warm-up, fsync on${BENCH_TOKEN:+, write token required}"
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), $(date -u +%Y-%m-%d)"
echo
printf '| %-34s | %9s | %8s | %8s | %11s | %s\n' "scenario" "req/s" "p50 ms" "p99 ms" "vs baseline" "answers"
printf '|%s|%s|%s|%s|%s|%s\n' "------------------------------------" "-----------" "----------" "----------" "-------------" "---------"
for result in "${RESULTS[@]}"; do
  jq -r --argjson base "$baseline" \
    '"| \(.label | . + " " * (34 - length)) | \(.rps | floor | tostring | " " * (9 - length) + .) | \(.p50_ms * 100 | round / 100 | tostring | " " * (8 - length) + .) | \(.p99_ms * 100 | round / 100 | tostring | " " * (8 - length) + .) | \((.rps / $base * 100 | round | tostring) + "%" | " " * (11 - length) + .) | \(.statuses | to_entries | map("\(.key)×\(.value)") | join(" "))\(if .socket_errors > 0 then " socket errors×\(.socket_errors)" else "" end)"' <<<"$result"
done
echo
echo "writer: $persists batches, mean batch $(printf '%.1f' "$mean_batch") writes (max $max_batch), mean persist $(printf '%.2f' "$mean_persist_ms") ms"
echo "memory: peak RSS $((rss_peak / 1024)) MiB"
mib() { awk -v kb="$1" 'BEGIN { printf "%.1f", kb / 1024 }'; }
echo "growth: heap after GC $(mib "$heap_1000") MiB after 1000 spawns, $(mib "$heap_1m") MiB after $in_file;" \
  "file $((file_1000 / 1024)) KiB after 1000, $((file_1m / 1024)) KiB after $in_file ($decisions decisions in the log)"
lower=$CREATED
upper=$((CREATED + POSTING_RUNS * CONNECTIONS))
if [ "$in_file" -ge "$lower" ] && [ "$in_file" -le "$upper" ]; then verdict=OK; else verdict=MISMATCH; fi
echo "check:  total_spawns in the file $in_file; 201s counted $CREATED (+ at most $((upper - lower)) answered after wrk stopped counting): $verdict"
kill $PID; wait $PID 2>/dev/null || true
if [ "${BACKENDS:-1}" != 0 ]; then
  echo
  SKIP_PACKAGE=1 DURATION=$DURATION WARMUP=$WARMUP THREADS=$THREADS CONNECTIONS=$CONNECTIONS REPORT=docs/bench/backends.txt \
    bench/backends.sh >&2
fi
[ "$verdict" = OK ]
