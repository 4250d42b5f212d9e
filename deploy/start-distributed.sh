#!/usr/bin/env bash
# Starts the distributed mode on this one machine (Debian, no systemd, no containers): PostgreSQL
# and RabbitMQ through deploy/infra.sh, the solution built once in Release, then every service
# host as a process of its own, each waited for until /health/ready answers 200.
#
#   deploy/start-distributed.sh [--development-sign-in] [--no-infra] [--no-build]
#
#   --development-sign-in  ASPNETCORE_ENVIRONMENT=Development: callers name themselves in the
#                          X-Hotline-User / X-Hotline-Party / X-Hotline-Roles headers, no token.
#                          FOR BENCHMARKS AND LOCAL TRIALS ONLY. Without it the services run in
#                          Production and accept only OpenID Connect bearer tokens from
#                          Identity:Authority.
#   --no-infra             PostgreSQL and RabbitMQ are already running: do not run infra.sh up;
#                          HOTLINE_POSTGRES, HOTLINE_RABBITMQ_USER and HOTLINE_RABBITMQ_PASSWORD
#                          must be in the environment (e.g. sourced from an .local/infra.env).
#   --no-build             use the Release build already there.
#
# Environment (all optional):
#   HOTLINE_RABBITMQ_VHOST       RabbitMQ virtual host (default "/")
#   HOTLINE_IDENTITY_AUTHORITY   OpenID Connect issuer (default http://localhost:5100, the Identity service)
#   HOTLINE_<SERVICE>_REPLICAS   processes of a service on consecutive ports (default 1), e.g. HOTLINE_INCIDENTS_REPLICAS=2
#   HOTLINE_<SERVICE>_PORT       first port of a service (default from the list below)
#   HOTLINE_READY_TIMEOUT        seconds to wait for each /health/ready (default 120)
#   HOTLINE_POSTGRES_POOL_SIZE   PostgreSQL connections per service process at most (default 20)
#
# PIDs go to .local/run/<service>.pid (replicas: <service>-2.pid ...), logs to .local/logs/<service>.log,
# and .local/run/endpoints lists "<service> <url>" per process. Stop with deploy/stop-distributed.sh.
set -euo pipefail

# The service hosts: name, project folder under src/, first port. A new service is one line here.
services=(
  "incidents Services/Incidents/HotlineSystem.Incidents.Host 5101"
)

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
run_dir="$root/.local/run"
log_dir="$root/.local/logs"

log() { printf '[start] %s\n' "$*" >&2; }
fail() { printf '[start] ERROR: %s\n' "$*" >&2; exit 1; }

development_sign_in=0
infra=1
build=1
for argument in "$@"; do
  case "$argument" in
    --development-sign-in) development_sign_in=1 ;;
    --no-infra) infra=0 ;;
    --no-build) build=0 ;;
    -h|--help) sed -n '2,/^set -euo/{/^set -euo/d; s/^# \{0,1\}//; p}' "$0"; exit 0 ;;
    *) fail "unknown argument '$argument' (see --help)" ;;
  esac
done

warn_development_sign_in() {
  cat >&2 <<'WARNING'

  ##########################################################################################
  ##  DEVELOPMENT SIGN-IN IS ON (ASPNETCORE_ENVIRONMENT=Development).                     ##
  ##  ANYONE WHO CAN REACH THESE PORTS CAN ACT AS ANY USER OF ANY PARTY BY SETTING THE    ##
  ##  X-Hotline-User / X-Hotline-Party / X-Hotline-Roles HEADERS. NO TOKEN IS CHECKED.    ##
  ##  FOR BENCHMARKS AND LOCAL TRIALS ONLY: NEVER WITH REAL DATA, NEVER ON A SHARED HOST. ##
  ##########################################################################################

WARNING
}

[ "$development_sign_in" = 1 ] && warn_development_sign_in

mkdir -p "$run_dir" "$log_dir"
chmod 700 "$root/.local"

# Refuse to start twice: two sets of processes would fight over the ports.
for pid_file in "$run_dir"/*.pid; do
  [ -e "$pid_file" ] || continue
  pid="$(cat "$pid_file")"
  if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'dotnet .*HotlineSystem\..*\.dll'; then
    fail "$(basename "$pid_file" .pid) is already running (pid $pid); run deploy/stop-distributed.sh first"
  fi
  rm -f "$pid_file"
done

if [ "$infra" = 1 ]; then
  "$root/deploy/infra.sh" up
  # shellcheck disable=SC1091
  source "$root/.local/infra.env"
fi
: "${HOTLINE_POSTGRES:?not set: run without --no-infra, or export the settings of the running PostgreSQL}"
: "${HOTLINE_RABBITMQ_USER:?not set: run without --no-infra, or export the settings of the running RabbitMQ}"
: "${HOTLINE_RABBITMQ_PASSWORD:?not set: run without --no-infra, or export the settings of the running RabbitMQ}"

uri_escape() { # percent-encodes everything but unreserved characters
  local text="$1" out="" c i
  for ((i = 0; i < ${#text}; i++)); do
    c="${text:i:1}"
    case "$c" in
      [a-zA-Z0-9._~-]) out+="$c" ;;
      *) out+="$(printf '%%%02X' "'$c")" ;;
    esac
  done
  printf '%s' "$out"
}

# Connection settings for the services, unless HOTLINE_POSTGRES sets them already (docs/benchmarks.md):
# - a pool of at most HOTLINE_POSTGRES_POOL_SIZE (default 20) per process: PostgreSQL takes 100
#   connections in all, for every service and replica; Npgsql's default of 100 per process lets one
#   busy process take them all, and the others then fail with "remaining connection slots are reserved";
# - no DISCARD ALL each time a pooled connection is reused (the services keep no session state), which
#   halves the statements per filed incident; and prepared statements for the repeated commands.
postgres_connection="$HOTLINE_POSTGRES"
postgres_default() { # postgres_default KEY-REGEX "Key=Value"
  grep -Eqi "(^|;) *($1) *=" <<<"$postgres_connection" || postgres_connection="${postgres_connection%;};$2"
}
postgres_default 'Max(imum)? ?Pool ?Size' "Maximum Pool Size=${HOTLINE_POSTGRES_POOL_SIZE:-20}"
postgres_default 'No ?Reset ?On ?Close' "No Reset On Close=true"
postgres_default 'Max ?Auto ?Prepare' "Max Auto Prepare=32"

vhost="${HOTLINE_RABBITMQ_VHOST:-/}"
if [ "$vhost" = "/" ]; then
  vhost_path=""
else
  vhost_path="$(uri_escape "$vhost")"
fi
rabbitmq_uri="amqp://$(uri_escape "$HOTLINE_RABBITMQ_USER"):$(uri_escape "$HOTLINE_RABBITMQ_PASSWORD")@localhost:5672/$vhost_path"
authority="${HOTLINE_IDENTITY_AUTHORITY:-http://localhost:5100}"
environment=Production
[ "$development_sign_in" = 1 ] && environment=Development
ready_timeout="${HOTLINE_READY_TIMEOUT:-120}"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
if [ "$build" = 1 ]; then
  log "building HotlineSystem.sln (Release)"
  dotnet build "$root/HotlineSystem.sln" -c Release -nologo -v quiet >"$log_dir/build.log" 2>&1 \
    || { tail -n 40 "$log_dir/build.log" >&2; fail "build failed (whole log: .local/logs/build.log)"; }
fi

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# http_status PORT PATH: the status code of a GET on localhost, or 000 (bash only: no curl needed).
http_status() {
  (
    exec 3<>"/dev/tcp/127.0.0.1/$1" || { printf 000; exit 0; }
    printf 'GET %s HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$2" >&3
    status=000
    read -r -t 5 _ status _ <&3 || true
    printf '%s' "${status:-000}"
  ) 2>/dev/null
}

started=()     # instance names started by this run
instances=()   # "instance port" of this run, to wait for

stop_started() {
  for instance in "${started[@]}"; do
    local pid_file="$run_dir/$instance.pid"
    [ -e "$pid_file" ] || continue
    kill -TERM "$(cat "$pid_file")" 2>/dev/null || true
    rm -f "$pid_file"
  done
  rm -f "$run_dir/endpoints"
}

: >"$run_dir/endpoints"
for entry in "${services[@]}"; do
  read -r name project first_port <<<"$entry"
  upper="$(printf '%s' "$name" | tr '[:lower:]-' '[:upper:]_')"
  replicas_var="HOTLINE_${upper}_REPLICAS"; replicas="${!replicas_var:-1}"
  port_var="HOTLINE_${upper}_PORT"; first_port="${!port_var:-$first_port}"
  [[ "$replicas" =~ ^[1-9][0-9]*$ ]] || fail "$replicas_var must be a positive number"

  assembly="$(basename "$project")"
  dll="$(ls -t "$root/src/$project"/bin/Release/net*/"$assembly.dll" 2>/dev/null | head -n 1 || true)"
  [ -n "$dll" ] || fail "$assembly.dll not found under src/$project/bin/Release (build first, or drop --no-build)"
  bin_dir="$(dirname "$dll")"

  for replica in $(seq 1 "$replicas"); do
    instance="$name"; [ "$replica" -gt 1 ] && instance="$name-$replica"
    port=$((first_port + replica - 1))
    if port_in_use "$port"; then stop_started; fail "port $port is already in use"; fi
    log "starting $instance on http://localhost:$port ($environment)"
    # The content root is the working directory: run from the build output, where appsettings.json is.
    (
      cd "$bin_dir"
      exec env \
        ASPNETCORE_ENVIRONMENT="$environment" \
        ASPNETCORE_URLS="http://localhost:$port" \
        ConnectionStrings__Hotline="$postgres_connection" \
        ConnectionStrings__RabbitMQ="$rabbitmq_uri" \
        Identity__Authority="$authority" \
        nohup dotnet "$dll"
    ) </dev/null >"$log_dir/$instance.log" 2>&1 &
    echo $! >"$run_dir/$instance.pid"
    started+=("$instance")
    instances+=("$instance $port")
    echo "$name http://localhost:$port" >>"$run_dir/endpoints"
  done
done

for entry in "${instances[@]}"; do
  read -r instance port <<<"$entry"
  pid="$(cat "$run_dir/$instance.pid")"
  deadline=$((SECONDS + ready_timeout))
  until [ "$(http_status "$port" /health/ready)" = 200 ]; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 40 "$log_dir/$instance.log" >&2
      stop_started
      fail "$instance exited before it was ready (log: .local/logs/$instance.log)"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      tail -n 40 "$log_dir/$instance.log" >&2
      stop_started
      fail "$instance was not ready within ${ready_timeout}s (log: .local/logs/$instance.log)"
    fi
    sleep 0.5
  done
  log "$instance is ready (pid $pid, http://localhost:$port)"
done

if [ "$development_sign_in" = 1 ]; then
  warn_development_sign_in
else
  log "Production mode: requests need a bearer token from $authority (401 until the Identity service runs there)"
fi
log "running; logs in .local/logs/, stop with deploy/stop-distributed.sh"
