#!/usr/bin/env bash
# Durable POST /spawns against GET /actuator/health, alternated in one run (wrk -t2 -c64; WARMUP,
# 60 s, of each first, which the JIT compiler needs on a slow 2-core machine; then ROUNDS rounds of 10 s of
# health and 10 s of POSTs: the ratio of each round and their median), optionally with a JFR
# recording of one POST run.
# Usage: [ROUNDS=3] [WARMUP=60s] [JFR=1] [POSTD=30s] bench/profile-post.sh JAR LABEL  -> prints
# each round and the median ratio; with JFR=1 (one round) the recording is /tmp/LABEL.jfr, read by
# jfr print --stack-depth 80 --events jdk.ExecutionSample /tmp/LABEL.jfr | bench/jfr-breakdown.py
set -euo pipefail
JAR=$1; LABEL=$2; PORT=${PORT:-18090}; URL=http://127.0.0.1:$PORT
ROUNDS=${ROUNDS:-3}; [ -n "${JFR:-}" ] && ROUNDS=1
for tool in wrk jq curl; do command -v "$tool" >/dev/null || { apt-get update -qq && apt-get install -y -qq "$tool" >/dev/null; }; done
DATA=$(mktemp -d)
cd "$(dirname "$0")/.."
java -jar "$JAR" --server.port=$PORT --telemetry.storage.dir="$DATA" --telemetry.storage.fsync=true --logging.level.root=WARN > "$DATA.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$DATA" "$DATA.log"' EXIT
for _ in $(seq 1 120); do curl -fs "$URL/actuator/health" >/dev/null && break; sleep 0.5; done
wrk -t2 -c64 -d"${WARMUP:-60s}" -s bench/lua/get.lua "$URL" -- /actuator/health > /dev/null
wrk -t2 -c64 -d"${WARMUP:-60s}" -s bench/lua/post-spawns.lua "$URL" > /dev/null
ratios=()
for round in $(seq 1 "$ROUNDS"); do
  h=$(wrk -t2 -c64 -d10s -s bench/lua/get.lua "$URL" -- /actuator/health | sed -n 's/^RESULT //p' | jq .rps)
  [ -n "${JFR:-}" ] && jcmd $PID JFR.start name=p settings=profile filename=/tmp/$LABEL.jfr > /dev/null
  p=$(wrk -t2 -c64 -d${POSTD:-10s} -s bench/lua/post-spawns.lua "$URL" | sed -n 's/^RESULT //p')
  [ -n "${JFR:-}" ] && jcmd $PID JFR.stop name=p > /dev/null
  ratio=$(jq -n "$(jq .rps <<<"$p") / $h")
  ratios+=("$ratio")
  printf '%s round %d: health %.0f post %.0f p99 %s ratio %.2f\n' "$LABEL" "$round" "$h" "$(jq .rps <<<"$p")" "$(jq .p99_ms <<<"$p")" "$ratio"
done
printf '%s median ratio %.2f of %d rounds\n' "$LABEL" "$(printf '%s\n' "${ratios[@]}" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}')" "$ROUNDS"
