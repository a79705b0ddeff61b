#!/usr/bin/env bash
# Runs docs/operations.md's several-replicas recipe exactly as written, on this machine's
# PostgreSQL, and checks that a spawn written to one replica is read from the other.
# Skipped without TELEMETRY_TEST_POSTGRES_URL (no database to run it on); refuses to touch
# a role or database named 'telemetry' that it did not make.
set -euo pipefail
cd "$(dirname "$0")/../../.."

if [ -z "${TELEMETRY_TEST_POSTGRES_URL:-}" ]; then
  echo "replicas-recipe: skipped (TELEMETRY_TEST_POSTGRES_URL is not set)"
  exit 0
fi
admin=(psql -h localhost -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA)
if [ -n "$("${admin[@]}" -c "SELECT 1 FROM pg_database WHERE datname = 'telemetry' UNION ALL SELECT 1 FROM pg_roles WHERE rolname = 'telemetry'")" ]; then
  echo "replicas-recipe: a database or role 'telemetry' exists here already; not mine to drop, so not run" >&2
  exit 1
fi

# the first bash block under "## Several replicas"
recipe=$(awk '/^## Several replicas/ { section = 1 } section && /^```bash$/ { inside = 1; next }
  inside && /^```$/ { exit } inside { print }' docs/operations.md)
[ -n "$recipe" ] || { echo "replicas-recipe: no bash block under '## Several replicas'" >&2; exit 1; }

log=$(mktemp)
cleanup() {
  pkill -f -- '--spring.datasource.url=jdbc:postgresql://localhost:5432/telemetry' || true
  for _ in $(seq 60); do
    pgrep -f -- '--spring.datasource.url=jdbc:postgresql://localhost:5432/telemetry' >/dev/null || break
    sleep 0.5
  done
  "${admin[@]}" -c "DROP DATABASE IF EXISTS telemetry" -c "DROP ROLE IF EXISTS telemetry" || true
}
trap cleanup EXIT

echo "replicas-recipe: running docs/operations.md's recipe"
bash -e -c "$recipe" >"$log" 2>&1

healthy() { curl -fsS "http://localhost:$1/actuator/health" >/dev/null 2>&1; }
for port in 8081 8082; do
  for _ in $(seq 240); do healthy "$port" && break; sleep 0.5; done
  healthy "$port" || { echo "replicas-recipe: the replica on $port never answered" >&2; tail -40 "$log" >&2; exit 1; }
done

id="recipe-$(date +%s%N)"
status=$(curl -sS -o /dev/null -w '%{http_code}' -X POST http://localhost:8081/spawns -H 'Content-Type: application/json' \
  -d "{\"spawn_id\":\"$id\",\"caste\":\"builder\",\"model\":\"kimi-k2.5\",\"task\":\"recipe\"}")
[ "$status" = 201 ] || { echo "replicas-recipe: POST to 8081 answered $status" >&2; exit 1; }
for _ in $(seq 120); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://localhost:8082/spawns/$id")" = 200 ] && break
  sleep 0.25
done
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://localhost:8082/spawns/$id")" = 200 ] \
  || { echo "replicas-recipe: the spawn written to 8081 is not served by 8082" >&2; exit 1; }
echo "replicas-recipe: passed (a spawn written to :8081 is served by :8082)"
