#!/usr/bin/env bash
# Start a local Prefect server (API, UI and scheduler) for strikewatch, bound to 127.0.0.1.
#
#   scripts/start_prefect_server.sh            # foreground; Ctrl-C stops it
#   PORT=4300 scripts/start_prefect_server.sh  # another port
#
# Then, in the shell that runs strikewatch:
#   export PREFECT_API_URL=http://127.0.0.1:4200/api
#   .venv/bin/strikewatch serve        # registers the daily deployment and runs it when due
#
# Only a real server runs the scheduler: the ephemeral API that `strikewatch run` starts on
# its own exists for the length of one run and never fires schedules. The server keeps its
# SQLite database under PREFECT_HOME (default: <repo>/.prefect). For production point it at
# PostgreSQL before starting, e.g.
#   export PREFECT_API_DATABASE_CONNECTION_URL=postgresql+asyncpg://prefect:SECRET@db:5432/prefect
# (see docs/orchestration.md).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
prefect="${repo}/.venv/bin/prefect"
if [[ ! -x "${prefect}" ]]; then
    echo "no ${prefect}: run 'make setup' first" >&2
    exit 1
fi

export PREFECT_HOME="${PREFECT_HOME:-${repo}/.prefect}"
export PREFECT_SERVER_ANALYTICS_ENABLED=false
# A new database is migrated on first start; give a slow machine time for that.
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="${PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS:-120}"
mkdir -p "${PREFECT_HOME}"

port="${PORT:-4200}"
echo "Prefect server on http://127.0.0.1:${port} (database under ${PREFECT_HOME})" >&2
echo "Use it with: export PREFECT_API_URL=http://127.0.0.1:${port}/api" >&2
exec "${prefect}" server start --host 127.0.0.1 --port "${port}" --analytics-off "$@"
