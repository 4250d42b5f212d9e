#!/usr/bin/env bash
# Installs (when missing) and starts what HotlineSystem needs on a Debian machine: PostgreSQL and
# RabbitMQ. No systemd and no containers are assumed. Credentials are generated on first use and
# kept in .local/ (never committed); every command writes .local/infra.env for the others to source.
#
#   deploy/infra.sh up                 install if missing, start, create the hotline role/user
#   deploy/infra.sh up --recover-broker   the same; a RabbitMQ node that cannot start is stopped and
#                                      its database moved aside, then started empty (test machines)
#   deploy/infra.sh stop-postgres | start-postgres | stop-rabbitmq | start-rabbitmq   (fault tests)
#   deploy/infra.sh reset-vhost NAME   a fresh, empty RabbitMQ virtual host (test runs)
#   deploy/infra.sh drop-vhosts PREFIX   delete the virtual hosts whose names start with PREFIX
#   deploy/infra.sh reset-database NAME   a fresh, empty PostgreSQL database owned by hotline (benchmark runs)
#   deploy/infra.sh down               stop both
#   deploy/infra.sh test-tools         install if missing what the tests drive besides the services:
#                                      Node.js and npm, the npm packages of each tests/js project, and
#                                      Debian's Chromium with the Noto CJK fonts (the console's browser tests)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
local_dir="$root/.local"
mkdir -p "$local_dir"
chmod 700 "$local_dir"

log() { printf '[infra] %s\n' "$*" >&2; }

apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

secret() { # secret NAME: a random password, generated once per machine checkout
  local file="$local_dir/$1.secret"
  [ -s "$file" ] || { head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$file"; chmod 600 "$file"; }
  cat "$file"
}

pg_version() { ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1; }

start_postgres() {
  if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ -z "$(pg_version)" ]; then
    log "installing PostgreSQL"
    apt_install postgresql
  fi
  local version; version="$(pg_version)"
  if ! pg_ctlcluster "$version" main status >/dev/null 2>&1; then
    log "starting PostgreSQL $version"
    pg_ctlcluster "$version" main start
  fi
  for _ in $(seq 1 60); do pg_isready -q -h localhost && return 0; sleep 0.5; done
  log "PostgreSQL did not become ready"; return 1
}

stop_postgres() {
  local version; version="$(pg_version)"
  pg_ctlcluster "$version" main stop -m fast || true
}

setup_postgres() {
  local password; password="$(secret postgres)"
  su postgres -c "psql -q -v ON_ERROR_STOP=1 -d postgres" >/dev/null <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'hotline') THEN
    CREATE ROLE hotline LOGIN CREATEDB PASSWORD '$password';
  ELSE
    ALTER ROLE hotline LOGIN CREATEDB PASSWORD '$password';
  END IF;
END \$\$;
SQL
  if ! su postgres -c "psql -tAc \"SELECT 1 FROM pg_database WHERE datname = 'hotline'\"" | grep -q 1; then
    su postgres -c "createdb -O hotline hotline"
  fi
}

start_rabbitmq() {
  if ! command -v rabbitmq-server >/dev/null 2>&1; then
    log "installing RabbitMQ"
    apt_install rabbitmq-server
  fi
  # A node that runs: it may answer, or hang so that even rabbitmqctl status times out.
  local node
  node="$(pgrep -o -u rabbitmq -f 'beam.smp.*-s rabbit boot' || true)"
  if [ -n "$node" ]; then
    if await_rabbitmq 60; then
      # Started before infra.sh raised the open-file limit (see launch_rabbitmq): it would hang later.
      local open_files; open_files="$(awk '/^Max open files/ { print $4 }' "/proc/$node/limits" 2>/dev/null || true)"
      [ -n "$open_files" ] && [ "$open_files" -lt 4096 ] 2>/dev/null || return 0
      log "RabbitMQ runs with an open-file limit of $open_files; restarting it with more"
    else
      log "RabbitMQ runs but does not answer AMQP; stopping it"
    fi
    stop_rabbitmq_hard
  fi
  log "starting RabbitMQ"
  launch_rabbitmq
  await_rabbitmq 180 && return 0
  log "RabbitMQ did not start; the end of its log:"
  tail -n 30 /var/log/rabbitmq/rabbit@*.log 2>/dev/null | sed 's/^/[rabbitmq] /' >&2 || true
  [ "$recover_broker" = 1 ] || { log "RabbitMQ did not start"; return 1; }
  # A test machine only (tests/run-tests.sh asks for this): a node whose database cannot recover,
  # e.g. after a hard kill in the middle of deleting a virtual host, is stopped and its database is
  # moved aside (kept for inspection, the older ones removed); the node then starts empty.
  start_rabbitmq_empty
}

start_rabbitmq_empty() { # only with --recover-broker: see start_rabbitmq
  local aside; aside="/var/lib/rabbitmq/mnesia.broken-$(date +%Y%m%d%H%M%S)"
  log "stopping RabbitMQ and moving its database aside to $aside"
  stop_rabbitmq_hard
  rm -rf /var/lib/rabbitmq/mnesia.broken-* /var/lib/rabbitmq/MnesiaCore.*
  mv /var/lib/rabbitmq/mnesia "$aside"
  launch_rabbitmq
  await_rabbitmq 180 && return 0
  log "RabbitMQ did not start on an empty database either"
  tail -n 30 /var/log/rabbitmq/rabbit@*.log 2>/dev/null | sed 's/^/[rabbitmq] /' >&2 || true
  return 1
}

# A consumer waits out a database outage with the message unacknowledged (docs/adr/0008); RabbitMQ
# 3.10 closes a channel whose delivery waits longer than consumer_timeout (30 minutes by default).
# 24 hours: an outage of an hour or two does not churn channels (a closed one only means redelivery).
consumer_timeout_ms=86400000
configure_rabbitmq() {
  local conf=/etc/rabbitmq/rabbitmq.conf
  [ -d /etc/rabbitmq ] || return 0
  if ! grep -q '^consumer_timeout' "$conf" 2>/dev/null; then
    printf 'consumer_timeout = %s\n' "$consumer_timeout_ms" >>"$conf"
  fi
}

apply_consumer_timeout() { # a node started before the setting was written takes it at run time
  timeout 20 rabbitmqctl -q eval "application:set_env(rabbit, consumer_timeout, $consumer_timeout_ms)." >/dev/null 2>&1 || true
}

launch_rabbitmq() {
  configure_rabbitmq
  # RabbitMQ's file handle cache allows 90 % of the open-file limit, and a connection waits for a
  # handle before it answers the AMQP handshake. With the usual 1,024 a test run's few hundred
  # queues used it up here: the node ran, open connections kept working, and every new one hung
  # (file_handle_cache: total_used 937 of total_limit 927). So the node gets the hard limit (at most
  # 65,536, RabbitMQ's own recommendation). Debian's rabbitmq-server wrapper switches user with su,
  # whose PAM session resets the soft limit to 1,024: raise it after su, as the broker's user.
  local server=/usr/lib/rabbitmq/bin/rabbitmq-server
  if [ "$(id -u)" = 0 ] && [ -x "$server" ] && id rabbitmq >/dev/null 2>&1; then
    (cd /var/lib/rabbitmq && su rabbitmq -s /bin/sh -c \
      'limit="$(ulimit -Hn)"; if [ "$limit" = unlimited ] || [ "$limit" -gt 65536 ]; then limit=65536; fi
       ulimit -n "$limit"; exec '"$server"' -detached') || true
  else
    rabbitmq-server -detached || true
  fi
}

stop_rabbitmq_hard() {
  timeout 30 rabbitmqctl -q stop >/dev/null 2>&1 || true
  # Everything of the broker's user: the node, epmd, and any rabbitmqctl still running (timeout ends
  # only the wrapper; a left-over "stop" would otherwise stop the node started next).
  pkill -9 -u rabbitmq 2>/dev/null || true
  for _ in $(seq 1 20); do pgrep -u rabbitmq -f beam.smp >/dev/null || return 0; sleep 0.5; done
}

await_rabbitmq() { # await_rabbitmq SECONDS: the node needs a moment to register before await_startup can reach it
  local deadline=$((SECONDS + $1))
  local gone=0
  while [ "$SECONDS" -lt "$deadline" ]; do
    timeout 20 rabbitmqctl -q await_startup --timeout 15 >/dev/null 2>&1 && amqp_answers && return 0
    # the node's own process ("-s rabbit boot") has exited: it crashed, waiting longer will not help
    if pgrep -u rabbitmq -f 'beam.smp.*-s rabbit boot' >/dev/null; then gone=0; else gone=$((gone + 1)); fi
    [ "$gone" -lt 5 ] || return 1
    sleep 1
  done
  return 1
}

amqp_answers() { # the node may run and still not accept AMQP connections (seen after stop_app/start_app here)
  timeout 10 bash -c 'exec 3<>/dev/tcp/127.0.0.1/5672 && printf "AMQP\x00\x00\x09\x01" >&3 && head -c 1 <&3' 2>/dev/null \
    | od -An -tx1 | grep -q 01
}

# A fault test stops the broker on purpose; the marker keeps watch_rabbitmq from "repairing" that.
stopped_on_purpose="$local_dir/rabbitmq-stopped-on-purpose"
stop_rabbitmq_app() { touch "$stopped_on_purpose"; rabbitmqctl -q stop_app >/dev/null; }
start_rabbitmq_app() {
  timeout 120 rabbitmqctl -q start_app >/dev/null 2>&1 || true
  if ! await_rabbitmq 120; then
    log "RabbitMQ did not come back after start_app; restarting the node"
    stop_rabbitmq_hard
    launch_rabbitmq
    await_rabbitmq 180 || { rm -f "$stopped_on_purpose"; log "RabbitMQ did not start"; return 1; }
  fi
  rm -f "$stopped_on_purpose"
}

watch_rabbitmq() { # watch_rabbitmq PID: while PID lives, restart a node that stops answering AMQP handshakes
  # Seen here with RabbitMQ 3.10 in the middle of a test run: connections already open keep working,
  # new ones never get an answer, and every test that starts a host after that fails. The node is
  # restarted (durable queues and their messages survive; clients reconnect) unless a fault test
  # stopped it on purpose.
  local watched="$1" misses=0
  rm -f "$stopped_on_purpose"
  while kill -0 "$watched" 2>/dev/null; do
    sleep 5
    if [ -e "$stopped_on_purpose" ] || amqp_answers; then misses=0; continue; fi
    misses=$((misses + 1))
    [ "$misses" -ge 2 ] || continue
    [ -e "$stopped_on_purpose" ] && { misses=0; continue; }
    log "RabbitMQ stopped answering AMQP handshakes; restarting it"
    stop_rabbitmq_hard
    launch_rabbitmq
    await_rabbitmq 180 && log "RabbitMQ answers again" || log "RabbitMQ did not come back"
    misses=0
  done
}

setup_rabbitmq() {
  local password; password="$(secret rabbitmq)"
  if rabbitmqctl -q list_users | grep -q '^hotline\b'; then
    rabbitmqctl -q change_password hotline "$password" >/dev/null
  else
    rabbitmqctl -q add_user hotline "$password" >/dev/null
  fi
  rabbitmqctl -q set_permissions -p / hotline '.*' '.*' '.*' >/dev/null
}

try_reset_vhost() {
  local vhost="$1"
  timeout 120 rabbitmqctl -q delete_vhost "$vhost" >/dev/null 2>&1 || true
  timeout 60 rabbitmqctl -q add_vhost "$vhost" >/dev/null &&
    timeout 30 rabbitmqctl -q set_permissions -p "$vhost" hotline '.*' '.*' '.*' >/dev/null
}

reset_vhost() {
  local vhost="$1"
  try_reset_vhost "$vhost" && return 0
  log "RabbitMQ did not create the virtual host $vhost in time"
  [ "$recover_broker" = 1 ] || return 1
  # Seen here with RabbitMQ 3.10: add_vhost hangs starting the new host's message store, and the
  # node answers nothing more until it is restarted. A test machine restarts it, then starts it empty.
  log "restarting RabbitMQ"
  stop_rabbitmq_hard
  if start_rabbitmq && setup_rabbitmq && try_reset_vhost "$vhost"; then return 0; fi
  start_rabbitmq_empty && setup_rabbitmq && try_reset_vhost "$vhost"
}

drop_vhosts() { # drop_vhosts PREFIX: every virtual host whose name starts with PREFIX (earlier test runs)
  local vhost
  for vhost in $(timeout 60 rabbitmqctl -q list_vhosts name | grep "^$1" || true); do
    timeout 300 rabbitmqctl -q delete_vhost "$vhost" >/dev/null || log "could not delete the virtual host $vhost"
  done
}

reset_database() {
  local database="$1"
  [[ "$database" =~ ^[a-z_][a-z0-9_]*$ ]] || { log "database names here are lower-case letters, digits and _"; return 2; }
  su postgres -c "dropdb --if-exists --force $database" >/dev/null
  su postgres -c "createdb -O hotline $database"
}

install_test_tools() { # e.g. the official SignalR JavaScript client, run under Node by the integration tests
  # The console's browser tests drive Debian's Chromium (Playwright never downloads a browser here);
  # Korean and Chinese need the Noto CJK fonts to show in screenshots and PDFs.
  if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -q "Noto Sans CJK"; then
    log "installing Chromium and the Noto CJK fonts"
    apt_install chromium fonts-noto-cjk fontconfig
  fi
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    log "installing Node.js and npm"
    apt_install nodejs npm
  fi
  node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 18 ? 0 : 1)' \
    || { log "Node.js 18 or newer is needed, found $(node --version)"; return 1; }
  local project
  for project in "$root"/tests/js/*/; do
    [ -f "$project/package-lock.json" ] || continue
    # npm ci starts from an empty node_modules each time: skip it when that lock file is already installed.
    if ! cmp -s "$project/package-lock.json" "$project/node_modules/.installed-package-lock.json"; then
      log "installing the npm packages of $(basename "$project")"
      (cd "$project" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
      cp "$project/package-lock.json" "$project/node_modules/.installed-package-lock.json"
    fi
  done
}

write_env() {
  cat > "$local_dir/infra.env" <<ENV
export HOTLINE_POSTGRES='Host=localhost;Port=5432;Database=hotline;Username=hotline;Password=$(secret postgres)'
export HOTLINE_RABBITMQ_USER='hotline'
export HOTLINE_RABBITMQ_PASSWORD='$(secret rabbitmq)'
ENV
  chmod 600 "$local_dir/infra.env"
}

recover_broker=0
for argument in "$@"; do [ "$argument" = "--recover-broker" ] && recover_broker=1; done

case "${1:-up}" in
  up)
    start_postgres; setup_postgres
    start_rabbitmq; setup_rabbitmq; apply_consumer_timeout
    write_env
    log "PostgreSQL and RabbitMQ are up; connection settings in .local/infra.env"
    ;;
  stop-postgres) stop_postgres ;;
  start-postgres) start_postgres ;;
  stop-rabbitmq) stop_rabbitmq_app ;;
  start-rabbitmq) start_rabbitmq_app ;;
  reset-vhost) reset_vhost "${2:?vhost name}" ;;
  drop-vhosts) drop_vhosts "${2:?vhost name prefix}" ;;
  reset-database) reset_database "${2:?database name}" ;;
  down) stop_postgres; rabbitmqctl -q stop >/dev/null 2>&1 || true ;;
  test-tools) install_test_tools ;;
  watch-rabbitmq) watch_rabbitmq "${2:?process id to watch}" ;;
  *) echo "usage: $0 up|down|stop-postgres|start-postgres|stop-rabbitmq|start-rabbitmq|reset-vhost NAME [--recover-broker]|drop-vhosts PREFIX|reset-database NAME|test-tools|watch-rabbitmq PID" >&2; exit 2 ;;
esac
