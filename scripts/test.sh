#!/usr/bin/env bash
# The whole test suite: unit specs, then the integration suites against real PostgreSQL.
# Starts what it needs; fails (never skips) when a required server cannot be had.
set -euo pipefail
cd "$(dirname "$0")/.."

export TEST_DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"

if ! node scripts/wait-for-postgres.js "$TEST_DATABASE_URL" 2>/dev/null; then
  # The machine's own cluster may simply be stopped: start it when we can.
  if command -v pg_ctlcluster >/dev/null 2>&1; then
    version=$(ls /etc/postgresql | head -n 1)
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  fi
  node scripts/wait-for-postgres.js "$TEST_DATABASE_URL"
fi

exec npx jest --ci "$@"
