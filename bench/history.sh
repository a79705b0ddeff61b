#!/usr/bin/env bash
# The cost of the time dimension (telemetry.history), in one run on one machine, as ratios:
# 1. the file backend with an empty history and with a full one (every one of 20 models x 10
#    castes x 4 sources in every hourly bucket of 14 days and every daily bucket of 400 days):
#    POST /spawns against GET /actuator/health, the writer's mean persist, the file and the heap;
#    and how long windows and trends take to read over that history;
# 2. PostgreSQL with PG_SPAWNS spawns (default 5 million) of 20 models x 10 castes x 4 sources
#    over the 30 days of retention, inserted into a database of the version before time buckets
#    and counted into them by the migration: p50/p99 of days=30 and trends, and the heap.
# Writes its report to docs/bench/history.md. Usage: bench/history.sh
#   (DURATION=20s WARMUP=10s PG_SPAWNS=5000000 READS=200; PGHOST, PGPORT, PGUSER as bench/backends.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/history/pg-spawns.sh

DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-10s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-64}
PG_SPAWNS=${PG_SPAWNS:-5000000}
READS=${READS:-200}
REPORT=${REPORT:-docs/bench/history.md}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}

missing=()
for tool in wrk jq curl psql python3; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq && apt-get install -y -qq "${missing[@]/psql/postgresql-client}" >/dev/null
fi

[ -n "${SKIP_PACKAGE:-}" ] || ./mvnw -q -B package -DskipTests -Dspring-javaformat.skip=true
WORK=$(mktemp -d)
# a copy: a build during the run must not replace the jar under the running services
cp "$(ls target/spawn-telemetry-*.jar | grep -v original | head -1)" "$WORK/service.jar"
JAR="$WORK/service.jar"
DB="telemetry_history_$$"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  psql -d postgres -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# start PORT ARGS...: starts the service, waits until it is healthy; PID is its process
start() {
  local port=$1; shift
  java -jar "$JAR" --server.port="$port" --logging.level.root=WARN \
    --management.endpoints.web.exposure.include=health,metrics "$@" >"$WORK/$port.log" 2>&1 &
  PID=$!
  PIDS+=($PID)
  for _ in $(seq 1 1200); do curl -fs "http://127.0.0.1:$port/actuator/health" >/dev/null && return; sleep 0.5; done
  cat "$WORK/$port.log" >&2
  exit 1
}

stop() {
  kill "$PID"; wait "$PID" 2>/dev/null || true
  PIDS=()
}

wrk_rps() {
  local duration=$1 port=$2 script=$3; shift 3
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$duration" --timeout 10s -s "bench/lua/$script" "http://127.0.0.1:$port" -- "$@" \
    | sed -n 's/^RESULT //p' | jq '.rps'
}

heap_mb() {
  jcmd "$PID" GC.run >/dev/null
  jcmd "$PID" GC.heap_info | awk '/used/ { for (i = 1; i <= NF; i++) if ($i == "used") { sub("K", "", $(i+1)); printf "%.0f", $(i+1) / 1024; exit } }'
}

mean_persist_ms() {
  curl -fs "http://127.0.0.1:$1/actuator/metrics/spawn.telemetry.writer.persist" \
    | jq '[.measurements[] | {(.statistic): .value}] | add | .TOTAL_TIME / .COUNT * 1000'
}

# latency PORT PATH -> "p50 p99" in ms over READS sequential requests, after 10 unmeasured
latency() {
  local url="http://127.0.0.1:$1$2" i
  for i in $(seq 1 10); do curl -fs -o /dev/null "$url"; done
  for i in $(seq 1 "$READS"); do curl -fs -o /dev/null -w '%{time_total}\n' "$url"; done \
    | sort -n | awk '{ a[NR] = $1 * 1000 } END { printf "%.1f %.1f", a[int(NR * 0.5)], a[int(NR * 0.99)] }'
}

# file_backend LABEL DIR: POST /spawns against the baseline, persist, heap and file
declare -A FILE
file_backend() {
  local label=$1 dir=$2 started
  started=$(date +%s%N)
  start 18290 --telemetry.storage.dir="$dir" --telemetry.storage.fsync=true
  FILE[$label,start]=$(( ($(date +%s%N) - started) / 1000000 ))
  FILE[$label,heap_loaded]=$(heap_mb)
  wrk_rps "$WARMUP" 18290 get.lua /actuator/health >/dev/null
  FILE[$label,baseline]=$(wrk_rps "$DURATION" 18290 get.lua /actuator/health)
  wrk_rps "$WARMUP" 18290 post-spawns.lua >/dev/null
  FILE[$label,post]=$(wrk_rps "$DURATION" 18290 post-spawns.lua)
  FILE[$label,persist]=$(mean_persist_ms 18290)
  FILE[$label,heap]=$(heap_mb)
  if [ "$label" = full ]; then
    local hours_from days_from
    hours_from=$(date -u -d '13 days ago' +%Y-%m-%dT%H:00:00Z)
    days_from=$(date -u -d '399 days ago' +%Y-%m-%dT00:00:00Z)
    READ_PATHS=("/stats/routing?days=7" "/stats/routing?days=400" "/recommendations?caste=caste-01&days=30"
      "/stats/trends?bucket=hour&from=$hours_from" "/stats/trends?bucket=day&from=$days_from"
      "/stats/trends?bucket=day&caste=caste-01&model=model-01/provider-1&from=$days_from")
    for path in "${READ_PATHS[@]}"; do FILE[read,$path]=$(latency 18290 "$path"); done
    FILE[read,health]=$(latency 18290 /actuator/health)
  fi
  stop
  FILE[$label,file]=$(du -m "$dir/telemetry.json" | cut -f1)
}

echo "file backend, empty history…" >&2
mkdir -p "$WORK/empty" "$WORK/full"
file_backend empty "$WORK/empty"
echo "file backend, 400 days of history…" >&2
python3 bench/history/generate.py "$WORK/full/telemetry.json" 20 10 4 400
FILE[full,generated]=$(du -m "$WORK/full/telemetry.json" | cut -f1)
file_backend full "$WORK/full"

PG_LINES=()
if psql -d postgres -qAtc 'SELECT 1' >/dev/null 2>&1; then
  echo "PostgreSQL, $PG_SPAWNS spawns…" >&2
  psql -d postgres -qc "CREATE DATABASE $DB" >/dev/null
  PG=(--telemetry.storage.type=postgres --spring.datasource.url="jdbc:postgresql://$PGHOST:$PGPORT/$DB"
    --spring.datasource.username="$PGUSER")
  pg_spawns "$JAR" "$DB" "$PG_SPAWNS"
  started=$(date +%s%N)
  start 18291 "${PG[@]}" --telemetry.storage.read-timeout=120s
  migrated_ms=$(( ($(date +%s%N) - started) / 1000000 ))
  heap_before=$(heap_mb)
  buckets=$(psql -d "$DB" -qAtc "SELECT count(*) FROM bucket_stats")
  sources=$(psql -d "$DB" -qAtc "SELECT count(*) FROM bucket_sources")
  counted=$(curl -fs "http://127.0.0.1:18291/stats/routing?days=30" | jq .total_decisions)
  hours_from=$(date -u -d '13 days ago' +%Y-%m-%dT%H:00:00Z)
  PG_LINES+=("| GET /actuator/health (baseline) | $(latency 18291 /actuator/health | sed 's/ / | /') |")
  for path in "/stats/routing?days=30" "/recommendations?caste=caste-01&days=30" "/stats/routing?days=7" \
      "/stats/trends?bucket=day" "/stats/trends?bucket=day&caste=caste-01&model=model-01" \
      "/stats/trends?bucket=hour&from=$hours_from"; do
    PG_LINES+=("| GET $path | $(latency 18291 "$path" | sed 's/ / | /') |")
  done
  heap_after=$(heap_mb)
  stop
fi

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
{
  echo "# The time dimension's cost"
  echo
  echo "Written by \`bench/history.sh\` on $(date -u +%Y-%m-%d): $(nproc) cores, $(java -version 2>&1 | head -1)."
  echo "wrk -t$THREADS -c$CONNECTIONS, $DURATION per scenario after $WARMUP of warm-up, fsync on."
  echo
  echo "## File backend: an empty history against 400 days of it"
  echo
  echo "The full history holds every one of 20 models × 10 castes × 4 sources in every hourly bucket of"
  echo "14 days and every daily bucket of 400 days: 736,000 cells, ${FILE[full,generated]} MB of JSON."
  echo
  echo "| | empty history | 400 days of history | full / empty |"
  echo "|---|---:|---:|---:|"
  echo "| POST /spawns, req/s | ${FILE[empty,post]} | ${FILE[full,post]} | $(ratio "${FILE[full,post]}" "${FILE[empty,post]}") |"
  echo "| GET /actuator/health (baseline), req/s | ${FILE[empty,baseline]} | ${FILE[full,baseline]} | |"
  echo "| POST /spawns / baseline | $(ratio "${FILE[empty,post]}" "${FILE[empty,baseline]}") | $(ratio "${FILE[full,post]}" "${FILE[full,baseline]}") | |"
  echo "| mean persist of a batch, ms | $(printf %.3f "${FILE[empty,persist]}") | $(printf %.3f "${FILE[full,persist]}") | $(ratio "${FILE[full,persist]}" "${FILE[empty,persist]}") |"
  echo "| start, ms | ${FILE[empty,start]} | ${FILE[full,start]} | |"
  echo "| heap after GC at start, MB | ${FILE[empty,heap_loaded]} | ${FILE[full,heap_loaded]} | |"
  echo "| heap after GC after the POSTs, MB | ${FILE[empty,heap]} | ${FILE[full,heap]} | |"
  echo "| telemetry.json at the clean stop, MB | ${FILE[empty,file]} | ${FILE[full,file]} | |"
  echo
  echo "Reads over the full history, $READS sequential requests each (curl, ms):"
  echo
  echo "| read | p50 | p99 |"
  echo "|---|---:|---:|"
  echo "| GET /actuator/health (baseline) | $(sed 's/ / | /' <<<"${FILE[read,health]}") |"
  for path in "${READ_PATHS[@]}"; do echo "| GET $path | $(sed 's/ / | /' <<<"${FILE[read,$path]}") |"; done
  if [ ${#PG_LINES[@]} -gt 0 ]; then
    echo
    echo "## PostgreSQL: $PG_SPAWNS spawns over the 30 days of retention"
    echo
    echo "20 models × 10 castes × 4 sources, inserted into a database of the version before time"
    echo "buckets; the migration counted them into $buckets model × caste and $sources source rows in"
    echo "${migrated_ms} ms (the start of the first replica of the new version); days=30 then counted"
    echo "$counted spawns. Heap after GC: $heap_before MB before the reads, $heap_after MB after them."
    echo "$READS sequential requests each (curl, ms):"
    echo
    echo "| read | p50 | p99 |"
    echo "|---|---:|---:|"
    printf '%s\n' "${PG_LINES[@]}"
  fi
} | tee "$REPORT"
