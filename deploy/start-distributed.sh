#!/usr/bin/env bash
# Starts the distributed mode on this one machine (Debian, no systemd, no containers): PostgreSQL
# and RabbitMQ through deploy/infra.sh, the solution built once in Release, then every service
# host as a process of its own in the Production environment, the Identity service first; each
# service is waited for until /health/ready answers 200 before the next one starts.
#
#   deploy/start-distributed.sh [--no-infra] [--no-build]
#
#   --no-infra   PostgreSQL and RabbitMQ are already running: do not run infra.sh up;
#                HOTLINE_POSTGRES, HOTLINE_RABBITMQ_USER and HOTLINE_RABBITMQ_PASSWORD must be in
#                the environment (e.g. sourced from an .local/infra.env).
#   --no-build   use the Release build already there.
#
# Every API accepts only OpenID Connect access tokens of the Identity service (http://localhost:5100).
# Its credentials are generated on first start and kept in .local/identity/ (mode 600, never committed):
#   kr-admin.password, cn-admin.password   the first administrator of each party, created once; they
#                                          enrol an authenticator app (TOTP) at their first sign-in
#   hotline-benchmark-kr.secret, hotline-benchmark-cn.secret
#                                          client secrets of the benchmark's tool clients (client
#                                          credentials, scope incidents; a KR / CN LiaisonOfficer)
#   hotline-benchmark-kr-admin.secret      only with HOTLINE_BENCHMARK_ADMIN_CLIENT=1 (deploy/benchmark.sh
#                                          escalation and notifications set it): a tool client acting as a KR
#                                          Administrator, scopes escalation, identity and committee, that defines
#                                          the benchmark's escalation policy, creates its KR people and seats KR's delegation
#   hotline-benchmark-cn-admin.secret      likewise, a CN Administrator, scopes identity and committee: creates the
#                                          CN people and seats CN's delegation
#
# Environment (all optional):
#   HOTLINE_RABBITMQ_VHOST       RabbitMQ virtual host (default "/")
#   HOTLINE_RABBITMQ_PORT        RabbitMQ's AMQP port on localhost (default 5672)
#   HOTLINE_IDENTITY_AUTHORITY   OpenID Connect issuer (default http://localhost:5100/, the Identity service's first port)
#   HOTLINE_<SERVICE>_REPLICAS   processes of a service on consecutive ports (default 1), e.g. HOTLINE_INCIDENTS_REPLICAS=2;
#                                0 leaves a service out (HOTLINE_CONSOLE_REPLICAS=0: the APIs without the web console)
#   HOTLINE_<SERVICE>_PORT       first port of a service (default from the list below); Identity replicas
#                                need room: e.g. HOTLINE_IDENTITY_REPLICAS=2 HOTLINE_INCIDENTS_PORT=5111
#   HOTLINE_READY_TIMEOUT        seconds to wait for each /health/ready (default 120)
#   HOTLINE_POSTGRES_POOL_SIZE   PostgreSQL connections per service process at most (default 20)
#   HOTLINE_BENCHMARK_ADMIN_CLIENT=1   also register the tool clients hotline-benchmark-kr-admin and -cn-admin
#                                (benchmarks only: administrators by client credentials, no second factor; never by default)
#   HOTLINE_BENCHMARK_SIGN_IN=1  also let the web console's client (hotline-web) redirect to
#                                http://127.0.0.1/hotline-benchmark/signed-in, where nothing listens: the benchmark's
#                                people sign in through the real pages and the tool catches the code from the
#                                redirect (benchmarks only; never by default)
#
#   HOTLINE_RUN_DIR, HOTLINE_LOG_DIR   where PIDs and logs go (default .local/run and .local/logs): a second
#                                deployment beside the first (the fault suite's) keeps its own
#
# The web console (http://localhost:5104/, HOTLINE_CONSOLE_REPLICAS for more) starts last: it calls the first
# replica of each service and signs people in at the Identity service, which registers every console replica's
# sign-in and sign-out callback. Its replicas share their Data Protection keys in PostgreSQL (schema console);
# behind one address they need sticky sessions (docs/operations.md, "The web console").
#
# PIDs go to .local/run/<service>.pid (replicas: <service>-2.pid ...), logs to .local/logs/<service>.log,
# and .local/run/endpoints lists "<service> <url>" per process. Stop with deploy/stop-distributed.sh.
# Run it again while the deployment runs and it starts only what is not running (a process that died or
# was killed), on the same port as before; what runs is left alone.
set -euo pipefail

# The service hosts: name, project folder under src/, first port. A new service is one line here.
services=(
  "identity Services/Identity/HotlineSystem.Identity.Host 5100"
  "incidents Services/Incidents/HotlineSystem.Incidents.Host 5101"
  "escalation Services/Escalation/HotlineSystem.Escalation.Host 5102"
  "notifications Services/Notifications/HotlineSystem.Notifications.Host 5103"
  "committee Services/Committee/HotlineSystem.Committee.Host 5106"
  "console Web/HotlineSystem.Web.Host 5104"
)

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
run_dir="${HOTLINE_RUN_DIR:-$root/.local/run}"
log_dir="${HOTLINE_LOG_DIR:-$root/.local/logs}"

log() { printf '[start] %s\n' "$*" >&2; }
fail() { printf '[start] ERROR: %s\n' "$*" >&2; exit 1; }

infra=1
build=1
for argument in "$@"; do
  case "$argument" in
    --no-infra) infra=0 ;;
    --no-build) build=0 ;;
    -h|--help) sed -n '2,/^set -euo/{/^set -euo/d; s/^# \{0,1\}//; p}' "$0"; exit 0 ;;
    *) fail "unknown argument '$argument' (see --help)" ;;
  esac
done

mkdir -p "$run_dir" "$log_dir"
chmod 700 "$root/.local"

# What runs already is left alone (two processes would fight over a port); what died is started again.
is_running() { # is_running INSTANCE: its PID file names a live service host of ours
  local pid_file="$run_dir/$1.pid" pid
  [ -e "$pid_file" ] || return 1
  pid="$(cat "$pid_file")"
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'dotnet .*HotlineSystem\..*\.dll'
}
for pid_file in "$run_dir"/*.pid; do
  [ -e "$pid_file" ] || continue
  is_running "$(basename "$pid_file" .pid)" || rm -f "$pid_file"
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
#   halves the statements per filed incident; and prepared statements for the repeated commands;
# - no TLS to a PostgreSQL on this machine (Host=localhost): on the loopback it protects nothing and
#   costs every service CPU on every round trip. A PostgreSQL elsewhere keeps what HOTLINE_POSTGRES
#   says (give it SSL Mode=VerifyFull: docs/security.md).
postgres_connection="$HOTLINE_POSTGRES"
postgres_default() { # postgres_default KEY-REGEX "Key=Value"
  grep -Eqi "(^|;) *($1) *=" <<<"$postgres_connection" || postgres_connection="${postgres_connection%;};$2"
}
postgres_default 'Max(imum)? ?Pool ?Size' "Maximum Pool Size=${HOTLINE_POSTGRES_POOL_SIZE:-20}"
postgres_default 'No ?Reset ?On ?Close' "No Reset On Close=true"
postgres_default 'Max ?Auto ?Prepare' "Max Auto Prepare=32"
if grep -Eqi '(^|;) *(Host|Server) *= *(localhost|127\.0\.0\.1|::1) *(;|$)' <<<"$postgres_connection"; then
  postgres_default 'SSL ?Mode' "SSL Mode=Disable"
fi

vhost="${HOTLINE_RABBITMQ_VHOST:-/}"
if [ "$vhost" = "/" ]; then
  vhost_path=""
else
  vhost_path="$(uri_escape "$vhost")"
fi
rabbitmq_uri="amqp://$(uri_escape "$HOTLINE_RABBITMQ_USER"):$(uri_escape "$HOTLINE_RABBITMQ_PASSWORD")@localhost:${HOTLINE_RABBITMQ_PORT:-5672}/$vhost_path"
# The issuer as the tokens name it; every other service must be given exactly this (trailing slash included).
authority="${HOTLINE_IDENTITY_AUTHORITY:-http://localhost:${HOTLINE_IDENTITY_PORT:-5100}/}"
authority="${authority%/}/"
ready_timeout="${HOTLINE_READY_TIMEOUT:-120}"

# The Committee service's key folder: each party's private minutes-signing keys, made on first use (ADR 0013).
party_keys_dir="${HOTLINE_PARTY_KEYS_DIR:-$root/.local/party-keys}"
mkdir -p "$party_keys_dir"
chmod 700 "$party_keys_dir"

# The Identity service's credentials: generated once, kept in .local/identity/ (mode 600), never logged.
identity_dir="$root/.local/identity"
mkdir -p "$identity_dir"
chmod 700 "$identity_dir"
credential() { # credential FILE: a random 48-character password or secret, generated once per checkout
  local file="$identity_dir/$1"
  if [ ! -s "$file" ]; then
    local value=""
    # Hex: lower-case letters and digits. The password rules want both, which 48 random hex digits
    # all but always have; draw again in the rare case they do not.
    until [[ "$value" =~ [a-f] && "$value" =~ [0-9] ]]; do
      value="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    done
    (umask 077; printf '%s\n' "$value" >"$file")
  fi
  chmod 600 "$file"
  head -n 1 "$file"
}
administrators=("kr-admin KR" "cn-admin CN")                   # user name, party
tool_clients=("hotline-benchmark-kr KR LiaisonOfficer incidents" "hotline-benchmark-cn CN LiaisonOfficer incidents") # client id, party, role, scopes (comma-separated)
# An administrator without a second factor is for benchmarks only: registered when asked for, never by default.
if [ "${HOTLINE_BENCHMARK_ADMIN_CLIENT:-0}" = 1 ]; then
  tool_clients+=("hotline-benchmark-kr-admin KR Administrator escalation,identity,committee" "hotline-benchmark-cn-admin CN Administrator identity,committee")
fi
# The sign-in of the benchmark's people ends at a loopback address where nothing listens (benchmarks only).
benchmark_redirect_uri="http://127.0.0.1/hotline-benchmark/signed-in"

# The registry's first parties and channel, as data (Registry:Seed): later parties (VN, LA ...) are
# registered by the deployment's operator through the API, without a change here or a restart.
parties=("KR|Republic of Korea|대한민국|Asia/Seoul|ko" "CN|People's Republic of China|中华人民共和国|Asia/Shanghai|zh-Hans")
channels=("KR-CN|Korea–China rare-earth supply hotline")                          # code, name

# identity_settings: exports the Identity service's own settings (inside the subshell that starts it).
identity_settings() {
  export Identity__Issuer="$authority"
  local i=0 entry code english native zone language name
  for entry in "${parties[@]}"; do
    IFS='|' read -r code english native zone language <<<"$entry"
    export "Registry__Seed__Parties__${i}__Code=$code" "Registry__Seed__Parties__${i}__EnglishName=$english" \
      "Registry__Seed__Parties__${i}__NativeName=$native" "Registry__Seed__Parties__${i}__TimeZone=$zone" \
      "Registry__Seed__Parties__${i}__WorkingLanguage=$language"
    i=$((i + 1))
  done
  i=0
  for entry in "${channels[@]}"; do
    IFS='|' read -r code name <<<"$entry"
    export "Registry__Seed__Channels__${i}__Code=$code" "Registry__Seed__Channels__${i}__Name=$name"
    i=$((i + 1))
  done
  # Plain HTTP is allowed only for an issuer on loopback: every process here listens on localhost, so
  # no token or password crosses a network. Any other issuer means a TLS proxy in front: keep HTTPS required.
  if [[ "$authority" =~ ^http://(localhost|127\.0\.0\.1|\[::1\])(:[0-9]+)?/$ ]]; then
    export Identity__RequireHttps=false
  fi
  local user party client role scope
  i=0
  for entry in "${administrators[@]}"; do
    read -r user party <<<"$entry"
    export "Identity__BootstrapAdministrators__${i}__UserName=$user"
    export "Identity__BootstrapAdministrators__${i}__Party=$party"
    export "Identity__BootstrapAdministrators__${i}__Password=$(credential "$user.password")"
    i=$((i + 1))
  done
  i=0
  local scopes s
  for entry in "${tool_clients[@]}"; do
    read -r client party role scopes <<<"$entry"
    export "Identity__ServiceClients__${i}__ClientId=$client"
    export "Identity__ServiceClients__${i}__ClientSecret=$(credential "$client.secret")"
    export "Identity__ServiceClients__${i}__DisplayName=HotlineSystem benchmark ($party $role)"
    export "Identity__ServiceClients__${i}__Party=$party"
    export "Identity__ServiceClients__${i}__Roles__0=$role"
    s=0
    for scope in ${scopes//,/ }; do
      export "Identity__ServiceClients__${i}__Scopes__${s}=$scope"
      s=$((s + 1))
    done
    i=$((i + 1))
  done
  # Every console replica's callbacks; a person signs in and out at the replica they use.
  i=0
  for port in "${console_ports[@]}"; do
    export "Identity__Console__RedirectUris__${i}=http://localhost:$port/console/signin-callback"
    export "Identity__Console__PostLogoutRedirectUris__${i}=http://localhost:$port/console/signout-callback"
    i=$((i + 1))
  done
  if [ "${HOTLINE_BENCHMARK_SIGN_IN:-0}" = 1 ]; then
    export "Identity__Console__RedirectUris__${i}=$benchmark_redirect_uri"
  fi
}

# console_settings: exports the web console's settings: the issuer, and the first replica of each service it calls.
console_settings() {
  export Console__Authority="$authority"
  export Console__Identity="$authority"
  export Console__Incidents="http://localhost:${first_port_of[incidents]}/"
  export Console__Escalation="http://localhost:${first_port_of[escalation]}/"
  export Console__Committee="http://localhost:${first_port_of[committee]}/"
  export Console__Notifications="http://localhost:${first_port_of[notifications]}/"
  if [[ "$authority" =~ ^http://(localhost|127\.0\.0\.1|\[::1\])(:[0-9]+)?/$ ]]; then
    export Console__RequireHttps=false
  fi
}

# Generate what is missing now, so that the files exist (and are named below) even if a start fails.
for entry in "${administrators[@]}"; do read -r user _ <<<"$entry"; credential "$user.password" >/dev/null; done
for entry in "${tool_clients[@]}"; do read -r client _ <<<"$entry"; credential "$client.secret" >/dev/null; done

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

stop_started() {
  for instance in "${started[@]}"; do
    local pid_file="$run_dir/$instance.pid"
    [ -e "$pid_file" ] || continue
    kill -TERM "$(cat "$pid_file")" 2>/dev/null || true
    rm -f "$pid_file"
  done
  rm -f "$run_dir/endpoints"
}

# Each service's ports, checked against the others' before anything starts (replicas take consecutive ports).
declare -A port_owner=()
declare -A first_port_of=()
console_ports=()
plan=()   # "name project first_port replicas"
for entry in "${services[@]}"; do
  read -r name project first_port <<<"$entry"
  upper="$(printf '%s' "$name" | tr '[:lower:]-' '[:upper:]_')"
  replicas_var="HOTLINE_${upper}_REPLICAS"; replicas="${!replicas_var:-1}"
  port_var="HOTLINE_${upper}_PORT"; first_port="${!port_var:-$first_port}"
  [[ "$replicas" =~ ^[0-9]+$ ]] || fail "$replicas_var must be a number (0: the service does not run here)"
  [[ "$first_port" =~ ^[1-9][0-9]*$ ]] || fail "$port_var must be a port number"
  for port in $(seq "$first_port" $((first_port + replicas - 1))); do
    [ -z "${port_owner[$port]:-}" ] \
      || fail "$name and ${port_owner[$port]} would both use port $port: move one with HOTLINE_<SERVICE>_PORT"
    port_owner[$port]="$name"
    [ "$name" = console ] && console_ports+=("$port")
  done
  first_port_of[$name]="$first_port"
  plan+=("$name $project $first_port $replicas")
done

: >"$run_dir/endpoints"
for entry in "${plan[@]}"; do
  read -r name project first_port replicas <<<"$entry"
  assembly="$(basename "$project")"
  dll="$(ls -t "$root/src/$project"/bin/Release/net*/"$assembly.dll" 2>/dev/null | head -n 1 || true)"
  [ -n "$dll" ] || { stop_started; fail "$assembly.dll not found under src/$project/bin/Release (build first, or drop --no-build)"; }
  bin_dir="$(dirname "$dll")"

  instances=()   # "instance port" of this service, to wait for
  for replica in $(seq 1 "$replicas"); do
    instance="$name"; [ "$replica" -gt 1 ] && instance="$name-$replica"
    port=$((first_port + replica - 1))
    echo "$name http://localhost:$port" >>"$run_dir/endpoints"
    if is_running "$instance"; then
      log "$instance runs already (pid $(cat "$run_dir/$instance.pid")); left alone"
      continue
    fi
    if port_in_use "$port"; then stop_started; fail "port $port is already in use"; fi
    log "starting $instance on http://localhost:$port"
    # The content root is the working directory: run from the build output, where appsettings.json is.
    # Settings go in as exported variables, not arguments, so that no secret shows in a process list.
    (
      cd "$bin_dir"
      export ASPNETCORE_ENVIRONMENT=Production
      export ASPNETCORE_URLS="http://localhost:$port"
      export ConnectionStrings__Hotline="$postgres_connection"
      export ConnectionStrings__RabbitMQ="$rabbitmq_uri"
      if [ "$name" = identity ]; then
        identity_settings
      elif [ "$name" = console ]; then
        console_settings
      elif [ "$name" = committee ]; then
        # The parties' private signing keys (ADR 0013): one folder on this machine, this user's only.
        export Identity__Authority="$authority"
        export Committee__Signing__KeyFolder="$party_keys_dir"
      else
        export Identity__Authority="$authority"
      fi
      exec nohup dotnet "$dll"
    ) </dev/null >"$log_dir/$instance.log" 2>&1 &
    echo $! >"$run_dir/$instance.pid"
    started+=("$instance")
    instances+=("$instance $port")
  done

  # Wait for this service before starting the next: the Identity service is up before anyone needs its keys.
  for waiting in ${instances[@]+"${instances[@]}"}; do
    read -r instance port <<<"$waiting"
    pid="$(cat "$run_dir/$instance.pid")"
    deadline=$((SECONDS + ready_timeout))
    until [ "$(http_status "$port" /health/ready)" = 200 ]; do
      if ! kill -0 "$pid" 2>/dev/null; then
        tail -n 40 "$log_dir/$instance.log" >&2
        stop_started
        fail "$instance exited before it was ready (log: $log_dir/$instance.log)"
      fi
      if [ "$SECONDS" -ge "$deadline" ]; then
        tail -n 40 "$log_dir/$instance.log" >&2
        stop_started
        fail "$instance was not ready within ${ready_timeout}s (log: $log_dir/$instance.log)"
      fi
      sleep 0.5
    done
    log "$instance is ready (pid $pid, http://localhost:$port)"
  done
done

if [ "${#console_ports[@]}" -gt 0 ]; then
  log "the web console: http://localhost:${console_ports[0]}/ (sign in as a person of either party)"
fi
log "every API takes only bearer tokens issued by $authority"
log "bootstrap administrators (created once; they enrol an authenticator app at first sign-in, ${authority}account/sign-in):"
log "  passwords in .local/identity/{kr-admin,cn-admin}.password"
log "benchmark clients hotline-benchmark-kr, hotline-benchmark-cn (client credentials, scope incidents):"
log "  secrets in .local/identity/hotline-benchmark-{kr,cn}.secret"
if [ "${HOTLINE_BENCHMARK_ADMIN_CLIENT:-0}" = 1 ]; then
  log "benchmark administrator clients (HOTLINE_BENCHMARK_ADMIN_CLIENT=1): hotline-benchmark-kr-admin (KR Administrator,"
  log "  scopes escalation, identity), hotline-benchmark-cn-admin (CN Administrator, scope identity);"
  log "  secrets in .local/identity/hotline-benchmark-{kr,cn}-admin.secret"
fi
if [ "${HOTLINE_BENCHMARK_SIGN_IN:-0}" = 1 ]; then
  log "benchmark sign-ins (HOTLINE_BENCHMARK_SIGN_IN=1): hotline-web may redirect to $benchmark_redirect_uri"
fi
log "running; logs in .local/logs/, stop with deploy/stop-distributed.sh"
