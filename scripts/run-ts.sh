#!/usr/bin/env bash
# Runs a TypeScript tool from scripts/ with the monorepo's path aliases, without a build.
set -euo pipefail
export TS_NODE_TRANSPILE_ONLY=true TS_NODE_PROJECT="$(dirname "$0")/../tsconfig.json"
exec node -r ts-node/register -r tsconfig-paths/register "$@"
