# Sourced by bench/history.sh and bench/windows.sh: pg_spawns JAR DB COUNT fills an empty database
# with COUNT spawns in the schema before time buckets (version 2); the service's next start
# counts them into the time buckets. Needs PGHOST, PGPORT, PGUSER; leaves no process behind.
pg_spawns() {
  local jar=$1 db=$2 count=$3 pid
  # Flyway migrates to version 2 at the start, before the service, which needs the current
  # schema, fails
  java -jar "$jar" --server.port=0 --telemetry.storage.type=postgres \
    --spring.datasource.url="jdbc:postgresql://$PGHOST:$PGPORT/$db" --spring.datasource.username="$PGUSER" \
    --spring.flyway.target=2 >/dev/null 2>&1 &
  pid=$!
  until [ "$(psql -d "$db" -qAtc "SELECT max(version) FROM flyway_schema_history" 2>/dev/null)" = 2 ]; do
    kill -0 "$pid" 2>/dev/null || { echo "pg_spawns: the service exited before migrating $db" >&2; return 1; }
    sleep 0.5
  done
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  psql -d "$db" -q -v spawns="$count" -f "$(dirname "${BASH_SOURCE[0]}")/pg-spawns.sql"
}
