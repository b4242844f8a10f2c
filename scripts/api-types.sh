#!/usr/bin/env bash
# The console's API module (web/src/api/schema.ts) from an OpenAPI document: its types and
# enum values, formatted as the repository formats it. Usage: api-types.sh <openapi.json> <out>
set -euo pipefail
cd "$(dirname "$0")/.."
generated=$(mktemp --suffix=.ts)
trap 'rm -f "$generated"' EXIT
npx openapi-typescript "$1" --enum-values -o "$generated" >/dev/null 2>&1
npx prettier --stdin-filepath web/src/api/schema.ts <"$generated" >"$2"
