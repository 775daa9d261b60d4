#!/usr/bin/env bash
# Load test: gunicorn (several workers) on PostgreSQL with generated data, locust headless.
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/xs_load benchmarks/loadtest/run.sh
#
# The database must hold the demo county (`xieshang demo`, XS_SCALE=county, the default) or the
# province (`xieshang demo --scale province`, XS_SCALE=province). Settings (environment):
#   USERS=50 SPAWN=10 DURATION=120s WORKERS=4 THREADS=1 PORT=8765 XS_PEAK=0 OUT=tests/artifacts/loadtest
#   CLASSES="PlenaryMember" (run only these locust user classes; default: all)
#   XS_WAIT="1,3" (think time between pages, seconds; "5,15" reads like a person)
# Prints throughput, p50/p95/p99 per page, the error count, and the server's CPU and memory
# (with the machine's load, since a shared machine skews every figure).
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${DATABASE_URL:?set DATABASE_URL to the PostgreSQL database holding the generated data}"
USERS=${USERS:-50}; SPAWN=${SPAWN:-10}; DURATION=${DURATION:-120s}; WORKERS=${WORKERS:-4}
THREADS=${THREADS:-1}; PORT=${PORT:-8765}; OUT=${OUT:-tests/artifacts/loadtest}
export XS_SCALE=${XS_SCALE:-county} XS_PEAK=${XS_PEAK:-0}
PY=.venv/bin/python
[ -x .venv/bin/locust ] || { echo "locust is not installed: .venv/bin/pip install -e '.[load]'"; exit 2; }
mkdir -p "$OUT"
TAG="$OUT/${XS_SCALE}-u${USERS}"
if [ "$XS_PEAK" = 1 ]; then TAG="$TAG-peak"; fi

# Production-like settings: no debug, static files served by WhiteNoise or the app, real
# password hashing; ALLOWED_HOSTS for the local address.
export XIESHANG_DEBUG=0 XIESHANG_ALLOWED_HOSTS=${XIESHANG_ALLOWED_HOSTS:-127.0.0.1,localhost}
export XIESHANG_SECURE_COOKIES=0
"$PY" manage.py collectstatic --noinput -v0 >/dev/null 2>&1 || true

.venv/bin/gunicorn xieshang.wsgi:application --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
    --threads "$THREADS" --access-logfile /dev/null --error-logfile "$TAG-gunicorn.log" \
    --timeout 60 --preload &
GPID=$!
# The task worker, as in production: search indexing, notifications, similarity model fits.
.venv/bin/xieshang db_worker --interval 1 >"$TAG-worker.log" 2>&1 &
WPID=$!
trap 'kill "$SPID" "$WPID" 2>/dev/null || true; kill "$GPID" 2>/dev/null || true; wait "$GPID" 2>/dev/null || true' EXIT
for _ in $(seq 60); do
    curl -fs -o /dev/null "http://127.0.0.1:$PORT/login/" && break
    sleep 1
done
count_proposals() {
    "$PY" manage.py shell -v0 -c \
        "from xieshang.proposals.models import Proposal; print(Proposal.objects.exclude(status='draft').count())" 2>/dev/null
}
BEFORE=$(count_proposals)
"$PY" benchmarks/loadtest/sample.py "$GPID" "$TAG-server.json" &
SPID=$!
echo "== $(date -u +%FT%TZ) load before the run: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
echo "== locust: $USERS users ($XS_SCALE scale, peak=$XS_PEAK), $DURATION, gunicorn $WORKERS workers x $THREADS threads"
.venv/bin/locust -f benchmarks/loadtest/locustfile.py --headless -u "$USERS" -r "$SPAWN" \
    -t "$DURATION" --host "http://127.0.0.1:$PORT" --csv "$TAG" --only-summary \
    ${CLASSES:-} >"$TAG-locust.log" 2>&1 || true
kill -TERM "$SPID"; wait "$SPID" 2>/dev/null || true
echo "== load after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
AFTER=$(count_proposals)
SUBMITTED=$(awk -F, '$2 ~ /submit/ {print $3 - $4}' "${TAG}_stats.csv" | head -1)
echo "== proposals submitted in the database: $BEFORE -> $AFTER (+$((AFTER - BEFORE))); locust saw ${SUBMITTED:-0} successful submissions"
"$PY" benchmarks/loadtest/report.py "$TAG" "$TAG-server.json" | tee "$TAG-summary.txt"
