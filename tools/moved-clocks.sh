#!/usr/bin/env bash
# The date-sensitive tests with the whole clock moved (pytest --clock, tests/conftest.py) to days
# that break date arithmetic: the last day of a month, 31 December, 1 January, a Sunday that is a
# working day (调休), 29 February, and a day three years ahead, past the holiday data (the
# working-day calendar must warn, not fail). Run by .ci/run; `make test-clocks` by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
DATES=${CLOCK_DATES:-"2026-11-30 2026-12-31 2027-01-01 2026-09-20 2028-02-29 2029-12-05"}
MODULES=(
  tests/core/test_clock.py tests/core/test_calendar.py tests/core/test_admin_calendar.py
  "tests/devdata/test_demo.py::test_demo_looks_current_whatever_the_date"
  tests/api/test_core_api.py tests/proposals tests/duties tests/opinions/test_flow.py
  tests/activities/test_invitations.py tests/activities/test_qr.py tests/activities/test_plan.py
  tests/portal/test_portal.py
)
# Files of those directories that read no date (text search, greetings, attachments, query
# counts, file names, rendering): the SQLite pass runs them once; six clocks would not change them.
DATE_FREE=(
  tests/proposals/test_text_filter.py tests/proposals/test_reply_greeting.py
  tests/proposals/test_attachments.py tests/proposals/test_query_counts.py
  tests/proposals/test_document_names.py tests/proposals/test_render.py
)
IGNORED=()
for path in "${DATE_FREE[@]}"; do IGNORED+=("--ignore=$path"); done
for day in $DATES; do
  echo "== clock moved to $day"
  .venv/bin/pytest -q -n "${PYTEST_WORKERS:-2}" -p no:warnings -m "not browser" --clock="$day" \
    "${IGNORED[@]}" "${MODULES[@]}"
done
