#!/usr/bin/env bash
# Starts the built caseboard binary on a fresh database with demo data. The data directory
# is end2end/.data/server-<port>, so tests can read the emails it writes (the file outbox).
# Every test signs in from 127.0.0.1: the per-address sign-in limit is raised for them.
# Mail goes at once (gathering a case's news into one mail is tested in server/tests/mail.rs).
#   serve.sh PORT            demo data (what most specs use)
#   serve.sh PORT --empty    no demo data, only the admin of the environment variables below
#                            (a new team's first start: new-team.spec.ts)
set -euo pipefail
cd "$(dirname "$0")/.."
port="${1:-3100}"
data="$(pwd)/end2end/.data/server-${port}"
rm -rf "$data"
mkdir -p "$data"
trap 'rm -rf "$data"' EXIT
if [ "${2:-}" = "--empty" ]; then
  export CASEBOARD_DEMO=0
  export CASEBOARD_ADMIN_EMAIL=lead@newteam.example CASEBOARD_ADMIN_PASSWORD='a long first password'
  demo=()
else
  demo=(--demo)
fi
CASEBOARD_ADDR="127.0.0.1:${port}" CASEBOARD_DATA_DIR="$data" LEPTOS_SITE_ROOT=target/site \
  CASEBOARD_MAILGATE_TOKEN=e2e-mailgate \
  CASEBOARD_SIGN_IN_PER_ADDRESS_PER_MINUTE=600 \
  CASEBOARD_MAIL_COALESCE_SECS=0 \
  target/debug/caseboard serve "${demo[@]}" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT INT TERM
wait $server
