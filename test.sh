#!/usr/bin/env bash
# The one command that runs every test of spawn-telemetry on a fresh Debian or Ubuntu machine:
# it installs what the tests need that such a machine lacks, then runs ./mvnw verify.
set -euo pipefail
cd "$(dirname "$0")"

# The dashboard's browser test drives Debian's Chromium through its ChromeDriver.
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
if ((${#missing[@]})); then
  as_root=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
      as_root=(sudo -n)
    else
      echo "test.sh: the browser test needs ${missing[*]}, and this user cannot install packages." >&2
      echo "Install them once, then run ./test.sh again:  sudo apt-get install ${missing[*]}" >&2
      exit 1
    fi
  fi
  if ! command -v apt-get >/dev/null; then
    echo "test.sh: the browser test needs Chromium and ChromeDriver (Debian packages ${missing[*]})," >&2
    echo "and this machine has no apt-get: install them, then run ./test.sh again." >&2
    exit 1
  fi
  echo "test.sh: installing ${missing[*]} for the browser test"
  export DEBIAN_FRONTEND=noninteractive
  if ! { "${as_root[@]}" apt-get update -qq && "${as_root[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null; }; then
    echo "test.sh: could not install ${missing[*]}; run: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

exec ./mvnw -B verify "$@"
