#!/usr/bin/env bash
# Window reads and trends on PostgreSQL at PG_SPAWNS spawns (default 5 million, 20 models x 10 castes x 4
# sources over the 30 days of retention, counted into the time buckets by the migration), two
# builds in one sitting against the same database, alternating: p50/p99 of each read over READS
# sequential requests, and the ratio of the second build's p99 to the first's. Writes
# docs/bench/windows.md. Usage: bench/windows.sh BEFORE.jar AFTER.jar
#   (PG_SPAWNS=5000000 READS=200 ROUNDS=2; PGHOST, PGPORT, PGUSER as bench/backends.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/history/pg-spawns.sh
BEFORE=$1
AFTER=$2
PG_SPAWNS=${PG_SPAWNS:-5000000}
READS=${READS:-200}
ROUNDS=${ROUNDS:-2}
REPORT=${REPORT:-docs/bench/windows.md}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
for tool in jq curl psql; do command -v "$tool" >/dev/null || { echo "windows.sh needs $tool" >&2; exit 1; }; done
WORK=$(mktemp -d)
cp "$BEFORE" "$WORK/before.jar"
cp "$AFTER" "$WORK/after.jar"
DB="telemetry_windows_$$"
PID=
cleanup() {
  [ -z "$PID" ] || { kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; }
  psql -d postgres -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
PG=(--telemetry.storage.type=postgres --spring.datasource.url="jdbc:postgresql://$PGHOST:$PGPORT/$DB"
  --spring.datasource.username="$PGUSER" --telemetry.storage.read-timeout=120s)
start() {
  local jar=$1; shift
  java -jar "$jar" --server.port=18292 --logging.level.root=WARN "${PG[@]}" "$@" >"$WORK/service.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 2400); do curl -fs http://127.0.0.1:18292/actuator/health >/dev/null && return; sleep 0.5; done
  cat "$WORK/service.log" >&2
  exit 1
}
stop() { kill "$PID"; wait "$PID" 2>/dev/null || true; PID=; }
latency() {
  local url="http://127.0.0.1:18292$1" i
  for i in $(seq 1 10); do curl -fs -o /dev/null "$url"; done
  for i in $(seq 1 "$READS"); do curl -fs -o /dev/null -w '%{time_total}\n' "$url"; done \
    | sort -n | awk '{ a[NR] = $1 * 1000 } END { printf "%.1f %.1f", a[int(NR * 0.5)], a[int(NR * 0.99)] }'
}

echo "PostgreSQL, $PG_SPAWNS spawns…" >&2
psql -d postgres -qc "CREATE DATABASE $DB" >/dev/null
pg_spawns "$WORK/after.jar" "$DB" "$PG_SPAWNS"
echo "counting them into the time buckets (the migration)…" >&2
start "$WORK/after.jar"
stop
psql -d "$DB" -qc "ANALYZE" >/dev/null

PATHS=("/actuator/health" "/stats/routing?days=1" "/stats/routing?days=3" "/stats/routing?days=7"
  "/stats/routing?days=14" "/stats/routing?days=30" "/stats/routing?days=90" "/stats/routing?days=400"
  "/recommendations?caste=caste-01&days=7" "/recommendations?caste=caste-01&days=400"
  "/stats/trends?bucket=day" "/stats/trends?bucket=day&from=$(date -u -d '399 days ago' +%Y-%m-%dT00:00:00Z)"
  "/stats/trends?bucket=hour&from=$(date -u -d '13 days ago' +%Y-%m-%dT%H:00:00Z)"
  "/stats/trends?bucket=hour&caste=caste-01&from=$(date -u -d '13 days ago' +%Y-%m-%dT%H:00:00Z)"
  "/stats/trends?bucket=hour&model=model-01&from=$(date -u -d '13 days ago' +%Y-%m-%dT%H:00:00Z)")
declare -A P50 P99 SAME
for round in $(seq 1 "$ROUNDS"); do
  for build in before after; do
    echo "round $round, $build…" >&2
    start "$WORK/$build.jar"
    for path in "${PATHS[@]}"; do
      read -r p50 p99 <<<"$(latency "$path")"
      P50[$build,$round,$path]=$p50
      P99[$build,$round,$path]=$p99
    done
    for path in "${PATHS[@]:1}"; do
      curl -fs "http://127.0.0.1:18292$path" | jq -S 'del(.window)' >"$WORK/$build.$round.$(echo "$path" | md5sum | cut -c1-8).json"
    done
    stop
  done
done
for path in "${PATHS[@]:1}"; do
  key=$(echo "$path" | md5sum | cut -c1-8)
  SAME[$path]=$(cmp -s "$WORK/before.1.$key.json" "$WORK/after.1.$key.json" && echo yes || echo NO)
done

{
  echo "# Window reads on PostgreSQL"
  echo
  echo "Written by \`bench/windows.sh\` on $(date -u +%Y-%m-%dT%H:%MZ): $(nproc) cores, $PG_SPAWNS spawns of 20 models ×"
  echo "10 castes × 4 sources over 30 days, counted into the time buckets by the migration. Two builds"
  echo "against the same database, alternating $ROUNDS rounds; $READS sequential requests per read (curl, ms)."
  echo "before: $(basename "$BEFORE"); after: $(basename "$AFTER")."
  echo
  echo "| read | round | before p50 | before p99 | after p50 | after p99 | after / before (p99) | same answer |"
  echo "|---|---:|---:|---:|---:|---:|---:|---|"
  for path in "${PATHS[@]}"; do
    for round in $(seq 1 "$ROUNDS"); do
      ratio=$(awk -v a="${P99[after,$round,$path]}" -v b="${P99[before,$round,$path]}" 'BEGIN { printf "%.2f", a / b }')
      echo "| GET $path | $round | ${P50[before,$round,$path]} | ${P99[before,$round,$path]} | ${P50[after,$round,$path]} | ${P99[after,$round,$path]} | $ratio | ${SAME[$path]:-} |"
    done
  done
} | tee "$REPORT"
