#!/usr/bin/env bash
# Installs (when missing) and starts what HotlineSystem needs on a Debian machine: PostgreSQL and
# RabbitMQ. No systemd and no containers are assumed. Credentials are generated on first use and
# kept in .local/ (never committed); every command writes .local/infra.env for the others to source.
#
#   deploy/infra.sh up                 install if missing, start, create the hotline role/user
#   deploy/infra.sh stop-postgres | start-postgres | stop-rabbitmq | start-rabbitmq   (fault tests)
#   deploy/infra.sh reset-vhost NAME   a fresh, empty RabbitMQ virtual host (test runs)
#   deploy/infra.sh reset-database NAME   a fresh, empty PostgreSQL database owned by hotline (benchmark runs)
#   deploy/infra.sh down               stop both
#   deploy/infra.sh test-tools         install if missing what the tests drive besides the services:
#                                      Node.js and npm, and the npm packages of each tests/js project
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
  if ! rabbitmqctl -q status >/dev/null 2>&1; then
    log "starting RabbitMQ"
    rabbitmq-server -detached
  fi
  await_rabbitmq
}

await_rabbitmq() { # the node needs a moment to register before await_startup can reach it
  for _ in $(seq 1 60); do
    rabbitmqctl -q await_startup --timeout 60 >/dev/null 2>&1 && return 0
    sleep 1
  done
  log "RabbitMQ did not start"; return 1
}

stop_rabbitmq_app() { rabbitmqctl -q stop_app >/dev/null; }
start_rabbitmq_app() { rabbitmqctl -q start_app >/dev/null; await_rabbitmq; }

setup_rabbitmq() {
  local password; password="$(secret rabbitmq)"
  if rabbitmqctl -q list_users | grep -q '^hotline\b'; then
    rabbitmqctl -q change_password hotline "$password" >/dev/null
  else
    rabbitmqctl -q add_user hotline "$password" >/dev/null
  fi
  rabbitmqctl -q set_permissions -p / hotline '.*' '.*' '.*' >/dev/null
}

reset_vhost() {
  local vhost="$1"
  rabbitmqctl -q delete_vhost "$vhost" >/dev/null 2>&1 || true
  rabbitmqctl -q add_vhost "$vhost" >/dev/null
  rabbitmqctl -q set_permissions -p "$vhost" hotline '.*' '.*' '.*' >/dev/null
}

reset_database() {
  local database="$1"
  [[ "$database" =~ ^[a-z_][a-z0-9_]*$ ]] || { log "database names here are lower-case letters, digits and _"; return 2; }
  su postgres -c "dropdb --if-exists --force $database" >/dev/null
  su postgres -c "createdb -O hotline $database"
}

install_test_tools() { # e.g. the official SignalR JavaScript client, run under Node by the integration tests
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

case "${1:-up}" in
  up)
    start_postgres; setup_postgres
    start_rabbitmq; setup_rabbitmq
    write_env
    log "PostgreSQL and RabbitMQ are up; connection settings in .local/infra.env"
    ;;
  stop-postgres) stop_postgres ;;
  start-postgres) start_postgres ;;
  stop-rabbitmq) stop_rabbitmq_app ;;
  start-rabbitmq) start_rabbitmq_app ;;
  reset-vhost) reset_vhost "${2:?vhost name}" ;;
  reset-database) reset_database "${2:?database name}" ;;
  down) stop_postgres; rabbitmqctl -q stop >/dev/null 2>&1 || true ;;
  test-tools) install_test_tools ;;
  *) echo "usage: $0 up|down|stop-postgres|start-postgres|stop-rabbitmq|start-rabbitmq|reset-vhost NAME|reset-database NAME|test-tools" >&2; exit 2 ;;
esac
