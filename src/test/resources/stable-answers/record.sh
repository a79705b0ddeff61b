#!/usr/bin/env bash
# Records answers.txt from a service that has just started on an empty data directory:
#   java -jar <a build>.jar --server.port=18480 --telemetry.storage.dir=$(mktemp -d) &
#   src/test/resources/stable-answers/record.sh http://localhost:18480 > answers.txt
# StableAnswersIT sends the same writes and renders the same reads the same way, so a
# build that changes a name, a key order or a count on the wire fails it.
set -euo pipefail
base=$1
here=$(dirname "$0")
grep -v '^#' "$here/writes.txt" | while read -r method path body; do
  status=$(curl -s -o /dev/null -w '%{http_code}' -X "$method" -H 'Content-Type: application/json' \
    --data "$body" "$base$path")
  case $status in 2??) ;; *) echo "record.sh: $method $path answered $status" >&2; exit 1 ;; esac
done
# A value stands as it is (a fraction as its millionths, "~456700", so that every JSON
# writer renders it alike), but for what differs from run to run: instants, and numbers
# that depend on the clock (durations, a time window's points, versions, and the model
# /routes samples, which the version seeds).
render='
  def volatile($path): ($path | map(tostring) | join(".")) as $p
    | ($p | test("(^|\\.)(version|last_updated|timestamp|completed_at|at|from|to|start|since|generated_at)$"))
      or ($p | test("duration|seconds|millis|p50|p90|p99|points"));
  (if ($read | startswith("/routes/")) then .model = "<sampled>" else . end)
  | paths as $path
  | getpath($path) as $value
  | select((($value | type) != "array" and ($value | type) != "object") or ($value | length) == 0)
  | ($path | map(tostring) | join(".")) + " = " +
    (if ($value | type) == "number" and volatile($path) then "<number>"
     elif ($value | type) == "number" and $value == ($value | floor) then ($value | tostring)
     elif ($value | type) == "number" then "~" + ($value * 1000000 | round | tostring)
     elif ($value | type) == "string" and ($value | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T")) then "<instant>"
     else ($value | tojson) end)'
grep -v '^#' "$here/reads.txt" | while read -r path; do
  echo "GET $path"
  curl -sf "$base$path" | jq -r --arg read "$path" "$render"
done
