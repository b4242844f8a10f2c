#!/usr/bin/env bash
# The whole test suite: unit specs, then the integration suites against real PostgreSQL and
# a real Kafka broker.
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

# Kafka: the local single-node broker of scripts/kafka.sh, unless KAFKA_TEST_BROKERS names one.
# The Kafka suites fail (never skip) without a broker; under CI we stop here, with the reason.
if [[ -z "${KAFKA_TEST_BROKERS:-}" ]]; then
  broker="127.0.0.1:${KAFKA_PORT:-19092}"
  if KAFKA_TEST_BROKERS=$(bash scripts/kafka.sh start); then
    export KAFKA_TEST_BROKERS
  elif node scripts/kafka-ready.js --broker "$broker" --timeout-ms 10000 >/dev/null; then
    # The port is taken by a broker this checkout did not start (another checkout's): use it.
    echo "test.sh: using the Kafka broker already answering on $broker" >&2
    export KAFKA_TEST_BROKERS="$broker"
  elif [[ "${CI:-}" == "true" ]]; then
    echo "test.sh: the Kafka broker could not be started (scripts/kafka.sh start, above)" >&2
    exit 1
  else
    echo "test.sh: no Kafka broker could be started: the test/kafka suites will fail" >&2
    unset KAFKA_TEST_BROKERS
  fi
fi

# The browser suites drive the console as built for /ui, in Debian's Chromium (.ci/run installs
# it); build it from the sources of this checkout first.
npm run --silent build:ui >/dev/null

exec npx jest --ci "$@"
