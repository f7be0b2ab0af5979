#!/usr/bin/env bash
# The store, analysis and API suites a second time, on the ClickHouse server backend
# (@clickhouse/client over HTTP): against CLICKHOUSE_URL when set, else against the
# ClickHouse HTTP harness (packages/store/test/clickhouse-http/), one per test process.
# Every test file that opens its store through the test helpers takes part; the few that
# test the embedded engine itself (restart, data-directory upgrades) ran in the first pass.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(grep -l -E "openTestStore|startTestApi" packages/store/test/*.test.ts packages/analysis/test/*.test.ts apps/api/test/*.test.ts)
DRUMBEAT_TEST_BACKEND=server exec node --import tsx --test --test-concurrency=2 --test-timeout=600000 "${files[@]}"
