#!/usr/bin/env bash
# The one test command (README.md, .ci/run): installs and starts what the tests need — PostgreSQL
# and RabbitMQ, Node.js and the npm packages of tests/js — on this Debian machine, builds, runs
# every test project, and ends by printing the totals as "N passed, N failed".
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

deploy/infra.sh up --recover-broker || { echo "could not start PostgreSQL and RabbitMQ"; echo "0 passed, 1 failed"; exit 1; }
deploy/infra.sh test-tools || { echo "could not install Node.js and the npm packages of tests/js"; echo "0 passed, 1 failed"; exit 1; }
# shellcheck disable=SC1091
source .local/infra.env
# A new virtual host per run: RabbitMQ 3.10 can hang when a just-deleted virtual host's name is
# created again, so the earlier runs' hosts are dropped and this run gets a name of its own.
deploy/infra.sh drop-vhosts "hotline-tests-"
export HOTLINE_RABBITMQ_VHOST="hotline-tests-$(date +%Y%m%d%H%M%S)"
deploy/infra.sh reset-vhost "$HOTLINE_RABBITMQ_VHOST" --recover-broker ||
  { echo "could not create the RabbitMQ virtual host $HOTLINE_RABBITMQ_VHOST"; echo "0 passed, 1 failed"; exit 1; }

deploy/infra.sh watch-rabbitmq $$ &
watchdog=$!
trap 'kill "$watchdog" 2>/dev/null' EXIT

if ! dotnet build HotlineSystem.sln -c Release -nologo -v quiet; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

results="$root/.local/test-results"
rm -rf "$results"
mkdir -p "$results"

status=0
dotnet test HotlineSystem.sln -c Release --no-build -nologo \
  --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" "$@" || status=$?

# Totals from the TRX reports: one per test assembly.
passed=0; failed=0; skipped=0; reports=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  reports=$((reports + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); passed=$((passed + ${p:-0}))
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters"); failed=$((failed + ${f:-0}))
  e=$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$counters"); failed=$((failed + ${e:-0}))
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters")
  x=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters"); skipped=$((skipped + ${t:-0} - ${x:-0}))
done

# A test host that crashed writes no report, or a report that does not add up: count it as a failure.
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
if [ "$reports" -eq 0 ]; then failed=$((failed + 1)); fi
if [ "$skipped" -gt 0 ]; then echo "$skipped tests were skipped: a skipped test is a defect"; failed=$((failed + skipped)); fi

# The failed tests by name, with the start of their messages, so the end of the log says what broke.
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  awk 'BEGIN { RS = "<UnitTestResult " }
       NR > 1 {
         tag = substr($0, 1, index($0, ">"))
         if (tag !~ /outcome="Failed"/) next
         name = tag; sub(/.*testName="/, "", name); sub(/".*/, "", name)
         message = ""
         if (match($0, /<Message>[^<]*/)) message = substr($0, RSTART + 9, RLENGTH - 9 > 600 ? 600 : RLENGTH - 9)
         gsub(/[\r\n]+/, " ", message)
         print "FAILED " name ": " message
       }' "$trx"
done

# What the generated barrage of bad input sent (issue 14): its summary line, from the reports.
grep -ho 'barrage: [^<&]*' "$results"/*.trx 2>/dev/null | head -n 1

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
