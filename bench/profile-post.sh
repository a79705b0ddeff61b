#!/usr/bin/env bash
# Durable POST /spawns against GET /actuator/health in one run (wrk -t2 -c64, 8 s warm-ups, 10 s
# measured, the baseline before and after), optionally with a JFR recording of the POST run.
# Usage: [JFR=1] [POSTD=30s] bench/profile-post.sh JAR LABEL  -> prints the rates and their ratio;
# with JFR=1 the recording is /tmp/LABEL.jfr (jfr print --stack-depth 80 --events jdk.ExecutionSample).
set -euo pipefail
JAR=$1; LABEL=$2; PORT=${PORT:-18090}; URL=http://127.0.0.1:$PORT
for tool in wrk jq curl; do command -v "$tool" >/dev/null || { apt-get update -qq && apt-get install -y -qq "$tool" >/dev/null; }; done
DATA=$(mktemp -d)
cd "$(dirname "$0")/.."
java -jar "$JAR" --server.port=$PORT --telemetry.storage.dir="$DATA" --telemetry.storage.fsync=true --logging.level.root=WARN > "$DATA.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$DATA" "$DATA.log"' EXIT
for _ in $(seq 1 120); do curl -fs "$URL/actuator/health" >/dev/null && break; sleep 0.5; done
wrk -t2 -c64 -d8s -s bench/lua/get.lua "$URL" -- /actuator/health > /dev/null
wrk -t2 -c64 -d8s -s bench/lua/post-spawns.lua "$URL" > /dev/null
h=$(wrk -t2 -c64 -d10s -s bench/lua/get.lua "$URL" -- /actuator/health | sed -n 's/^RESULT //p' | jq .rps)
[ -n "${JFR:-}" ] && jcmd $PID JFR.start name=p settings=profile filename=/tmp/$LABEL.jfr > /dev/null
p=$(wrk -t2 -c64 -d${POSTD:-10s} -s bench/lua/post-spawns.lua "$URL" | sed -n 's/^RESULT //p')
[ -n "${JFR:-}" ] && jcmd $PID JFR.stop name=p > /dev/null
h2=$(wrk -t2 -c64 -d10s -s bench/lua/get.lua "$URL" -- /actuator/health | sed -n 's/^RESULT //p' | jq .rps)
echo "$LABEL health $h / $h2 post $(jq .rps <<<"$p") p99 $(jq .p99_ms <<<"$p") ratio $(jq -n "$(jq .rps <<<"$p") / (($h + $h2) / 2)")"
