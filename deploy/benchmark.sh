#!/usr/bin/env bash
# The benchmark in one command (docs/benchmarks.md): starts the distributed mode (the Identity service
# and the others) on a PostgreSQL database and a RabbitMQ virtual host of its own (both emptied first,
# so every run starts alike), runs src/Tools/HotlineSystem.Benchmark, stops the services and prints
# the Markdown results table (also kept in .local/benchmark/). The tool files incidents as the tool
# client hotline-benchmark-kr (a KR LiaisonOfficer): bearer tokens by client credentials from the
# Identity service, with the secret start-distributed.sh keeps in .local/identity/.
#
#   deploy/benchmark.sh [escalation|notifications|console] [--no-infra] [--no-build] [tool options]
#
#   escalation     the escalation benchmark of issue 4 instead of filing: 10,000 escalations whose
#                  first tiers fall due in one minute, the lag from due time to EscalationTierReached
#                  consumed, each tier exactly once. The tool defines the policy as the administrator
#                  tool client hotline-benchmark-kr-admin, which start-distributed.sh registers only
#                  for this (HOTLINE_BENCHMARK_ADMIN_CLIENT=1). HOTLINE_ESCALATION_REPLICAS=2 runs two
#                  Escalation processes. Takes about four minutes.
#   notifications  the notifications benchmark of issue 5 instead: (a) the bus alone at 100 messages/s for
#                  30 s; (e2e) 100 incidents/s for 60 s filed by KR, each timed from its 201 to a CN liaison
#                  officer's SignalR client (the typed client) handing it over, every incident exactly once;
#                  (fanout) 2,000 connections of 20 CN officers on the Notifications replica, 50 incidents one
#                  at a time, 201 → the last connection, and the replica's memory per connection. The people
#                  are created by the administrator tool clients hotline-benchmark-{kr,cn}-admin
#                  (HOTLINE_BENCHMARK_ADMIN_CLIENT=1) and sign in through the sign-in pages with the console
#                  redirect URI registered only for this (HOTLINE_BENCHMARK_SIGN_IN=1); (committee) committee
#                  events beside incidents: a KR delegate proposes 10 agenda items/s while KR files 10 incidents/s,
#                  60 s, each timed from its 201 to a CN delegate's typed client (the administrator clients seat
#                  both delegations, scope committee). About seven minutes; --phases committee alone about two.
#   console        the console benchmark of issue 15 instead, measured in the browser: 20 CN liaison officers
#                  (people created and signed in as for notifications) each open the web console in Debian's
#                  Chromium (Playwright, a browser context and so a Blazor circuit each) and sign in through
#                  the sign-in page: submit click → the board's rows (first render, target p95 ≤ 1 s). Then KR
#                  files 10 incidents/s for 30 s with unique titles; each page's MutationObserver notes when
#                  each title first shows in the board: 201 → shown, per incident and board (target p95 ≤
#                  500 ms), every incident on every board exactly once. The same officers' typed SignalR
#                  clients receive the same incidents: the baseline. --boards N, --rate N, --duration 60s
#                  change the load: 20 pages of Chromium on 2 cores are heavy. About three minutes.
#   --no-infra     PostgreSQL and RabbitMQ are already running: do not run infra.sh up; their
#                  settings (HOTLINE_POSTGRES, HOTLINE_RABBITMQ_USER, HOTLINE_RABBITMQ_PASSWORD)
#                  must be in the environment.
#   --no-build     use the Release build already there.
#   tool options   passed on, e.g. --fixed-duration 60s --concurrency 64 (see: dotnet
#                  src/Tools/HotlineSystem.Benchmark/bin/Release/net10.0/HotlineSystem.Benchmark.dll --help).
#                  Defaults: 20,000 messages through the bus alone; 30 s at 100 incidents/s;
#                  30 s as fast as 32 concurrent requests go.
#                  A smoke run that only proves filing works (seconds, little load):
#                  deploy/benchmark.sh --phases fixed --warmup 0 --rate 10 --fixed-duration 5s
#
# Environment: HOTLINE_BENCHMARK_DATABASE (default hotline_bench; escalation: hotline_bench_escalation;
# notifications: hotline_bench_notifications; console: hotline_bench_console), HOTLINE_BENCHMARK_VHOST (default
# hotline-bench; escalation: hotline-bench-escalation; notifications: hotline-bench-notifications; console:
# hotline-bench-console), HOTLINE_<SERVICE>_PORT (first ports, as start-distributed.sh takes them),
# HOTLINE_RABBITMQ_PORT (default 5672; with RABBITMQ_NODENAME, a RabbitMQ node of its own on this machine),
# HOTLINE_INCIDENTS_REPLICAS, HOTLINE_ESCALATION_REPLICAS (default 1), HOTLINE_IDENTITY_AUTHORITY
# (default http://localhost:5100/).
# Exit code: the tool's (0 targets met, 1 something lost or failed, 2 a target missed).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

log() { printf '[benchmark.sh] %s\n' "$*" >&2; }

infra=1
scenario=filing
start_args=(--no-infra)
tool_args=()
for argument in "$@"; do
  case "$argument" in
    escalation) scenario=escalation ;;
    notifications) scenario=notifications ;;
    console) scenario=console ;;
    --no-infra) infra=0 ;;
    --no-build) start_args+=(--no-build) ;;
    -h|--help) sed -n '2,/^set -euo/{/^set -euo/d; s/^# \{0,1\}//; p}' "$0"; exit 0 ;;
    *) tool_args+=("$argument") ;;
  esac
done

if [ "$infra" = 1 ]; then
  deploy/infra.sh up
  # shellcheck disable=SC1091
  source .local/infra.env
fi
: "${HOTLINE_POSTGRES:?not set: run without --no-infra, or export the settings of the running PostgreSQL}"

if [ "$scenario" = escalation ]; then
  database="${HOTLINE_BENCHMARK_DATABASE:-hotline_bench_escalation}"
  vhost="${HOTLINE_BENCHMARK_VHOST:-hotline-bench-escalation}"
  export HOTLINE_BENCHMARK_ADMIN_CLIENT=1 # the administrator tool client that defines the policy
elif [ "$scenario" = notifications ] || [ "$scenario" = console ]; then
  database="${HOTLINE_BENCHMARK_DATABASE:-hotline_bench_$scenario}"
  vhost="${HOTLINE_BENCHMARK_VHOST:-hotline-bench-$scenario}"
  export HOTLINE_BENCHMARK_ADMIN_CLIENT=1 # the administrator tool clients that create the people
  export HOTLINE_BENCHMARK_SIGN_IN=1      # the redirect URI at which the typed clients' sign-ins end
else
  database="${HOTLINE_BENCHMARK_DATABASE:-hotline_bench}"
  vhost="${HOTLINE_BENCHMARK_VHOST:-hotline-bench}"
fi
log "fresh database $database and virtual host $vhost"
deploy/infra.sh reset-database "$database"
deploy/infra.sh reset-vhost "$vhost"
HOTLINE_POSTGRES="$(printf '%s' "$HOTLINE_POSTGRES" | sed "s/Database=[^;]*/Database=$database/")"
export HOTLINE_POSTGRES HOTLINE_RABBITMQ_VHOST="$vhost"

trap 'deploy/stop-distributed.sh' EXIT
deploy/start-distributed.sh "${start_args[@]}"

# The tool's client secret goes by environment, not argument: the command line shows in process lists.
client_id=hotline-benchmark-kr
HOTLINE_BENCHMARK_CLIENT_SECRET="$(head -n 1 ".local/identity/$client_id.secret")"
export HOTLINE_BENCHMARK_CLIENT_SECRET
admin_client_id=hotline-benchmark-kr-admin
if [ "$scenario" != filing ]; then
  HOTLINE_BENCHMARK_ADMIN_CLIENT_SECRET="$(head -n 1 ".local/identity/$admin_client_id.secret")"
  export HOTLINE_BENCHMARK_ADMIN_CLIENT_SECRET
fi
counterpart_admin_client_id=hotline-benchmark-cn-admin
if [ "$scenario" = notifications ] || [ "$scenario" = console ]; then
  HOTLINE_BENCHMARK_COUNTERPART_ADMIN_CLIENT_SECRET="$(head -n 1 ".local/identity/$counterpart_admin_client_id.secret")"
  export HOTLINE_BENCHMARK_COUNTERPART_ADMIN_CLIENT_SECRET
fi
authority="${HOTLINE_IDENTITY_AUTHORITY:-http://localhost:${HOTLINE_IDENTITY_PORT:-5100}/}"

# Where the services listen and which processes to watch, from what start-distributed.sh wrote.
urls="$(awk '$1 == "incidents" { print $2 }' .local/run/endpoints | paste -sd, -)"
escalation_urls="$(awk '$1 == "escalation" { print $2 }' .local/run/endpoints | paste -sd, -)"
notifications_url="$(awk '$1 == "notifications" { print $2; exit }' .local/run/endpoints)"
committee_url="$(awk '$1 == "committee" { print $2; exit }' .local/run/endpoints)"
console_urls="$(awk '$1 == "console" { print $2 }' .local/run/endpoints | paste -sd, -)"
scenario_args=()
if [ "$scenario" = console ]; then
  [ -n "$console_urls" ] || { log "the console scenario needs the web console (HOTLINE_CONSOLE_REPLICAS is 0)"; exit 1; }
  scenario_args+=(--console "$console_urls")
fi
watch=()
for pid_file in .local/run/*.pid; do
  instance="$(basename "$pid_file" .pid)"
  watch+=("${instance%-[0-9]*}=$(cat "$pid_file")") # replicas of a service count together
done
# The broker's process: the node rabbitmqctl talks to (RABBITMQ_NODENAME picks another node on this machine).
broker_pid="$(timeout 20 rabbitmqctl -q eval 'os:getpid().' 2>/dev/null | tr -dc '0-9' || true)"
[ -n "$broker_pid" ] || broker_pid="$(pgrep -o -u rabbitmq beam.smp || true)"
[ -n "$broker_pid" ] && watch+=("RabbitMQ=$broker_pid")

postgres_version="$(su postgres -c "psql -tAc 'show server_version'" 2>/dev/null | cut -d' ' -f1 || true)"
rabbitmq_version="$(timeout 20 rabbitmqctl -q version 2>/dev/null || true)"

mkdir -p .local/benchmark
output=".local/benchmark/$(date -u +%Y%m%dT%H%M%SZ).md"
status=0
dotnet src/Tools/HotlineSystem.Benchmark/bin/Release/net10.0/HotlineSystem.Benchmark.dll \
  --scenario "$scenario" \
  --incidents "$urls" \
  --escalation "$escalation_urls" \
  --admin-client-id "$admin_client_id" \
  --counterpart-admin-client-id "$counterpart_admin_client_id" \
  --notifications "${notifications_url:-http://localhost:${HOTLINE_NOTIFICATIONS_PORT:-5103}}" \
  --committee "${committee_url:-http://localhost:${HOTLINE_COMMITTEE_PORT:-5106}}" \
  --identity "$authority" \
  --client-id "$client_id" \
  --watch "$(IFS=,; printf '%s' "${watch[*]}")" \
  --watch-postgres "$database" \
  --infrastructure "PostgreSQL ${postgres_version:-?}, RabbitMQ ${rabbitmq_version:-?}, on the same machine" \
  --command "deploy/benchmark.sh${*:+ $*}" \
  --output "$output" \
  ${scenario_args[@]+"${scenario_args[@]}"} \
  ${tool_args[@]+"${tool_args[@]}"} || status=$?

log "table kept in $output"
exit "$status"
