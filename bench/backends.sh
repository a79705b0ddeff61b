#!/usr/bin/env bash
# The PostgreSQL backend beside the embedded file backend, in one run on one machine:
# POST /spawns, PUT outcome and GET /stats against the file backend, against one replica on
# PostgreSQL, and against two replicas on the same database taking load at the same time.
# Figures are ratios within this run. Needs a PostgreSQL server that trusts local
# connections (PGHOST, PGPORT, PGUSER; default 127.0.0.1:5432, postgres); bench/run.sh calls it.
# Usage: bench/backends.sh   (DURATION=20s WARMUP=10s THREADS=2 CONNECTIONS=64)
set -euo pipefail
cd "$(dirname "$0")/.."
# the report (stdout; progress goes to stderr) also goes to a results file docs/performance.md cites
REPORT=${REPORT:-docs/bench/backends.txt}
mkdir -p "$(dirname "$REPORT")"
exec > >(tee "$REPORT")

DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-10s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-64}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}

missing=()
for tool in wrk jq curl psql; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq && apt-get install -y -qq "${missing[@]/psql/postgresql-client}" >/dev/null
fi
if ! psql -d postgres -qAtc 'SELECT 1' >/dev/null 2>&1; then
  echo "bench/backends.sh: no PostgreSQL at $PGHOST:$PGPORT as $PGUSER; set PGHOST, PGPORT, PGUSER" >&2
  exit 1
fi

[ -n "${SKIP_PACKAGE:-}" ] || ./mvnw -q -B package -DskipTests -Dspring-javaformat.skip=true
WORK=$(mktemp -d)
# a copy: a build during the run must not replace the jar under the running services
cp "$(ls target/spawn-telemetry-*.jar | grep -v original | head -1)" "$WORK/service.jar"
JAR="$WORK/service.jar"
DB="telemetry_bench_$$"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  psql -d postgres -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# start PORT ARGS...: starts the service and waits until it is healthy
start() {
  local port=$1; shift
  java -jar "$JAR" --server.port="$port" --logging.level.root=WARN \
    --management.endpoints.web.exposure.include=health,metrics "$@" >"$WORK/$port.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 240); do curl -fs "http://127.0.0.1:$port/actuator/health" >/dev/null && return; sleep 0.5; done
  cat "$WORK/$port.log" >&2
  exit 1
}

stop_all() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  PIDS=()
}

# wrk_run DURATION PORT SCRIPT ARGS... -> the RESULT json of that run
wrk_run() {
  local duration=$1 port=$2 script=$3; shift 3
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$duration" --timeout 10s -s "bench/lua/$script" "http://127.0.0.1:$port" -- "$@" \
    | sed -n 's/^RESULT //p'
}

# measure SCRIPT PORTS...: warms up, then measures the same script against every port at once;
# prints the summed req/s, the worst p99 and the answers
measure() {
  local script=$1; shift
  local port i
  for port in "$@"; do BENCH_RUN="w$port" wrk_run "$WARMUP" "$port" "$script" "${ARGS[@]}" >/dev/null & done
  wait
  i=0
  for port in "$@"; do BENCH_RUN="m$port" wrk_run "$DURATION" "$port" "$script" "${ARGS[@]}" >"$WORK/result-$i" & i=$((i + 1)); done
  wait
  jq -s -c '{rps: (map(.rps) | add), p99_ms: (map(.p99_ms) | max),
             statuses: (map(.statuses | to_entries) | add | group_by(.key) | map({(.[0].key): (map(.value) | add)}) | add)}' \
    "$WORK"/result-*
  rm -f "$WORK"/result-*
}

# writer PORT: what one replica's writer did
writer() {
  local batch persist
  batch=$(curl -fs "http://127.0.0.1:$1/actuator/metrics/spawn.telemetry.writer.batch.size")
  persist=$(curl -fs "http://127.0.0.1:$1/actuator/metrics/spawn.telemetry.writer.persist")
  printf 'mean batch %.1f, mean commit %.2f ms' \
    "$(jq '[.measurements[] | {(.statistic): .value}] | add | .TOTAL / .COUNT' <<<"$batch")" \
    "$(jq '[.measurements[] | {(.statistic): .value}] | add | .TOTAL_TIME / .COUNT * 1000' <<<"$persist")"
  if conflicts=$(curl -fs "http://127.0.0.1:$1/actuator/metrics/spawn.telemetry.writer.commit.conflicts"); then
    printf ', %d of %d batches lost a race to the other replica, %d then locked' \
      "$(jq '.measurements[0].value' <<<"$conflicts")" "$(jq '.measurements[] | select(.statistic == "COUNT") | .value' <<<"$batch")" \
      "$(curl -fs "http://127.0.0.1:$1/actuator/metrics/spawn.telemetry.writer.commit.locked" | jq '.measurements[0].value')"
  fi
}

# run_backend LABEL PORTS...: the three scenarios against services already started
declare -A RESULT
run_backend() {
  local label=$1; shift
  ARGS=()
  echo "  $label: POST /spawns" >&2
  RESULT[$label,post]=$(measure post-spawns.lua "$@")
  echo "  $label: PUT outcome" >&2
  RESULT[$label,put]=$(measure put-outcomes.lua "$@")
  echo "  $label: GET /stats" >&2
  ARGS=(/stats)
  RESULT[$label,stats]=$(measure get.lua "$@")
  RESULT[$label,writer]=$(for port in "$@"; do echo -n "$port: $(writer "$port"); "; done)
}

echo "file backend…" >&2
start 18090 --telemetry.storage.dir="$WORK/data" --telemetry.storage.fsync=true
run_backend file 18090
stop_all

psql -d postgres -qc "CREATE DATABASE $DB" >/dev/null
PG=(--telemetry.storage.type=postgres --spring.datasource.url="jdbc:postgresql://$PGHOST:$PGPORT/$DB"
  --spring.datasource.username="$PGUSER")
echo "PostgreSQL, one replica…" >&2
start 18091 "${PG[@]}"
run_backend pg1 18091
echo "PostgreSQL, two replicas at once…" >&2
start 18092 "${PG[@]}"
run_backend pg2 18091 18092
echo "  how soon a spawn written to one replica is read on the other…" >&2
lags=()
for i in $(seq 1 40); do
  id="lag-$$-$i"
  curl -fs -o /dev/null -X POST http://127.0.0.1:18091/spawns -H 'Content-Type: application/json' \
    -d "{\"spawn_id\":\"$id\",\"caste\":\"builder\",\"model\":\"glm-5\"}"
  start_ns=$(date +%s%N)
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:18092/spawns/$id")" = 200 ]; do :; done
  lags+=($(( ($(date +%s%N) - start_ns) / 1000000 )))
  sleep 0.$((RANDOM % 10))
done
LAG=$(printf '%s\n' "${lags[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "p50 %d ms, p90 %d ms, max %d ms over %d spawns", a[int(NR * 0.5)], a[int(NR * 0.9)], a[NR], NR }')
stops=$(curl -fs http://127.0.0.1:18091/stats | jq .total_spawns)
in_db=$(psql -d "$DB" -qAtc 'SELECT sum(total_spawns) FROM model_stats')
rows=$(psql -d "$DB" -qAtc 'SELECT count(*) FROM spawns')
stop_all

rps() { jq '.rps' <<<"${RESULT[$1,$2]}"; }
pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f%%", a / b * 100 }'; }
echo
echo "backends side by side: wrk -t$THREADS -c$CONNECTIONS per replica, ${DURATION} per scenario after ${WARMUP} warm-up"
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), PostgreSQL $(psql -d postgres -qAtc 'SHOW server_version'), $(date -u +%Y-%m-%d)"
echo
printf '| %-12s | %10s | %18s | %s | %s\n' "scenario" "file req/s" "PG 1 replica req/s" "PG 1 vs file" "PG 2 replicas req/s (vs 1)"
printf '|%s|%s|%s|%s|%s\n' "--------------" "------------" "--------------------" "--------------" "----------------------------"
for s in post put stats; do
  name=$(case $s in post) echo "POST /spawns";; put) echo "PUT outcome";; stats) echo "GET /stats";; esac)
  printf '| %-12s | %10.0f | %18.0f | %12s | %.0f (%s)\n' "$name" "$(rps file $s)" "$(rps pg1 $s)" \
    "$(pct "$(rps pg1 $s)" "$(rps file $s)")" "$(rps pg2 $s)" "$(pct "$(rps pg2 $s)" "$(rps pg1 $s)")"
done
echo
for backend in file pg1 pg2; do
  for s in post put stats; do
    echo "answers $backend $s: $(jq -c '.statuses' <<<"${RESULT[$backend,$s]}"), p99 $(jq '.p99_ms' <<<"${RESULT[$backend,$s]}") ms"
  done
  echo "writer $backend (cumulative per replica): ${RESULT[$backend,writer]}"
done
echo "replica lag: written on one replica, read on the other after $LAG (telemetry.storage.refresh-interval 250ms)"
echo "check: /stats total_spawns $stops, aggregates in the database $in_db, spawn rows $rows"
[ "$stops" = "$in_db" ] && [ "$in_db" = "$rows" ]
