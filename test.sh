#!/usr/bin/env bash
# The one command that runs every test of spawn-telemetry on a fresh Debian or Ubuntu machine:
# it installs what the tests need that such a machine lacks, runs ./mvnw verify, then the
# Node.js client's tests against the packaged service.
set -euo pipefail
cd "$(dirname "$0")"

# The dashboard's browser test drives Debian's Chromium through its ChromeDriver; the
# client's tests need Node.js 18 or newer; the deploy files are checked by nginx, Prometheus's
# promtool and docker-compose (which parses compose files without an engine); the README's
# walk-through runs with curl and jq; the OpenAPI document is checked by tools from npm.
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
{ command -v nginx || [ -x /usr/sbin/nginx ]; } >/dev/null || missing+=(nginx)
command -v promtool >/dev/null || missing+=(prometheus)
command -v docker-compose >/dev/null || missing+=(docker-compose)
command -v jq >/dev/null || missing+=(jq)
command -v curl >/dev/null || missing+=(curl)
# docs/operations.md's several-replicas recipe makes its role and database with psql
if [ -n "${TELEMETRY_TEST_POSTGRES_URL:-}" ]; then command -v psql >/dev/null || missing+=(postgresql-client); fi
if ((${#missing[@]})); then
  as_root=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
      as_root=(sudo -n)
    else
      echo "test.sh: the tests need ${missing[*]}, and this user cannot install packages." >&2
      echo "Install them once, then run ./test.sh again:  sudo apt-get install ${missing[*]}" >&2
      exit 1
    fi
  fi
  if ! command -v apt-get >/dev/null; then
    echo "test.sh: the tests need the Debian packages ${missing[*]}," >&2
    echo "and this machine has no apt-get: install them, then run ./test.sh again." >&2
    exit 1
  fi
  echo "test.sh: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if ! { "${as_root[@]}" apt-get update -qq && "${as_root[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null; }; then
    echo "test.sh: could not install ${missing[*]}; run: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

if ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 18 ? 0 : 1)'; then
  echo "test.sh: the client's tests need Node.js 18 or newer; this machine has $(node --version)" >&2
  exit 1
fi

# Stoplight's Prism and Redocly's CLI check the OpenAPI document (OpenApiToolsIT), and
# TypeScript compiles the client generated from it (GeneratedClientsIT); from npm, pinned,
# into .tools/openapi
tools=.tools/openapi/node_modules/.bin
if [ ! -x $tools/prism ] || [ ! -x $tools/redocly ] || [ ! -x $tools/tsc ]; then
  echo "test.sh: installing @stoplight/prism-cli, @redocly/cli and typescript into .tools/openapi"
  npm install --no-audit --no-fund --loglevel=error --prefix .tools/openapi \
    @stoplight/prism-cli@5.16.0 @redocly/cli@2.77.0 typescript@5.9.3 >/dev/null
fi

./mvnw -B verify "$@"
src/test/shell/replicas-recipe.sh
echo "test.sh: the Node.js client's lint, type check and tests (the live ones against the packaged service)"
cd clients/node
# its development tools (ESLint, TypeScript), pinned by package-lock.json; it runs with none
npm ci --no-audit --no-fund --loglevel=error
npm test
