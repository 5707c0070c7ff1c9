#!/usr/bin/env bash
# Runs every Kazan test: unit and HTTP integration tests on SQLite and on PostgreSQL, then the browser tests in
# headless Chromium. Installs what is missing (Chromium, fonts, poppler, PostgreSQL) with apt-get, starts a
# throwaway PostgreSQL cluster on 127.0.0.1, stops it afterwards, and ends with "N passed, N failed, N skipped".
# Artifacts (screenshots, PDFs, trx files) go to ./test-artifacts (ignored by git).
set -uo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
ARTIFACTS="$ROOT/test-artifacts"
rm -rf "$ARTIFACTS" && mkdir -p "$ARTIFACTS"

log() { printf '\n== %s\n' "$*"; }

# --- 1. What the tests need from the machine -------------------------------------------------------
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
for pkg in fonts-dejavu-core fonts-liberation2 fonts-noto-core; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)  # TwoInstancesTests' reverse proxy, run by the test itself
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$PG_BIN" ] || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  log "Installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null \
    || { echo "apt-get install ${missing[*]} failed"; exit 1; }
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
fi

# --- 2. A throwaway PostgreSQL cluster ------------------------------------------------------------
PG_PORT=${KAZAN_TEST_PG_PORT:-55432}
PG_DIR=$(mktemp -d /tmp/kazan-pg.XXXXXX)
as_pg() { if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }
[ "$(id -u)" -eq 0 ] && chown postgres "$PG_DIR"
stop_pg() { as_pg "$PG_BIN/pg_ctl -D $PG_DIR -m fast stop" >/dev/null 2>&1; rm -rf "$PG_DIR"; }
trap stop_pg EXIT
log "Starting PostgreSQL on 127.0.0.1:$PG_PORT"
as_pg "$PG_BIN/initdb -D $PG_DIR -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" >/dev/null || { echo "initdb failed"; exit 1; }
as_pg "$PG_BIN/pg_ctl -D $PG_DIR -l $PG_DIR/server.log -w start -o '-p $PG_PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300'" >/dev/null \
  || { cat "$PG_DIR/server.log"; echo "PostgreSQL did not start"; exit 1; }
export KAZAN_TEST_PG="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Include Error Detail=true"

# --- 3. Build once, warnings as errors ------------------------------------------------------------
log "Building"
dotnet build Kazan.slnx -c Debug -nologo -v quiet || { echo "0 passed, 1 failed, 0 skipped"; exit 1; }

# --- 4. Run ---------------------------------------------------------------------------------------
status=0
run() { # name, project, env...
  local name=$1 project=$2; shift 2
  log "Tests: $name"
  env "$@" dotnet test "$project" --no-build -nologo --logger "trx;LogFileName=$name.trx" --results-directory "$ARTIFACTS" \
    || status=1
  [ -f "$ARTIFACTS/$name.trx" ] || { echo "$name produced no results"; status=1; echo "$name" >> "$ARTIFACTS/crashed"; }
}
run sqlite tests/Kazan.Tests KAZAN_TEST_DB=sqlite KAZAN_ARTIFACTS="$ARTIFACTS"
run postgres tests/Kazan.Tests KAZAN_TEST_DB=postgres KAZAN_ARTIFACTS="$ARTIFACTS"
run browser tests/Kazan.BrowserTests KAZAN_TEST_DB=sqlite KAZAN_ARTIFACTS="$ARTIFACTS"

# Benchmark smoke, tier S: fails only on gross regressions (a scenario > 5x its baseline, SQL commands per request
# growing with data size, generated data the app cannot read); each check counts as a test (bench-*.trx).
bench() { # database
  log "Bench smoke: $1"
  dotnet run --no-build --project bench/Kazan.Bench -- --tier S --db "$1" --smoke --pg "$KAZAN_TEST_PG" \
    --trx "$ARTIFACTS/bench-$1.trx" > "$ARTIFACTS/bench-$1.log" 2>&1 || status=1
  grep -E '^(- ✘|Bench checks)' "$ARTIFACTS/bench-$1.log"
  [ -f "$ARTIFACTS/bench-$1.trx" ] || { echo "bench-$1 produced no results"; status=1; echo "bench-$1" >> "$ARTIFACTS/crashed"; }
}
bench sqlite
bench postgres

# --- 5. One closing line for CI -------------------------------------------------------------------
passed=0; failed=0; skipped=0
for trx in "$ARTIFACTS"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  t=$(get total); p=$(get passed); f=$(get failed); e=$(get error)
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0} + ${e:-0})); skipped=$((skipped + ${t:-0} - ${p:-0} - ${f:-0} - ${e:-0}))
done
[ -f "$ARTIFACTS/crashed" ] && failed=$((failed + $(wc -l < "$ARTIFACTS/crashed")))
[ "$failed" -gt 0 ] && status=1
if [ "$status" -ne 0 ] && compgen -G "$ARTIFACTS/failed-*.txt" >/dev/null; then
  log "What the browser showed when a test failed (pictures beside these in test-artifacts)"
  for f in "$ARTIFACTS"/failed-*.txt; do head -c 3000 "$f"; echo; done
fi
if [ "$status" -ne 0 ] && [ -f "$ARTIFACTS/server-errors.log" ]; then
  log "Last server errors (all in test-artifacts/server-errors.log)"
  tail -n 80 "$ARTIFACTS/server-errors.log"
fi
echo
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
