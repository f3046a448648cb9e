#!/usr/bin/env bash
# Starts the built caseboard binary on a fresh temporary database with demo data.
set -euo pipefail
cd "$(dirname "$0")/.."
data=$(mktemp -d "${TMPDIR:-/tmp}/caseboard-e2e.XXXXXX")
trap 'rm -rf "$data"' EXIT
CASEBOARD_ADDR="127.0.0.1:${1:-3100}" CASEBOARD_DATA_DIR="$data" LEPTOS_SITE_ROOT=target/site \
  CASEBOARD_MAILGATE_TOKEN=e2e-mailgate \
  target/debug/caseboard serve --demo &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT INT TERM
wait $server
