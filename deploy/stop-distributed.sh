#!/usr/bin/env bash
# Stops the service processes that deploy/start-distributed.sh started (the PIDs in .local/run/):
# TERM first, so that they finish requests and the outbox relay stops cleanly, KILL after a grace
# period. With --all, PostgreSQL and RabbitMQ are stopped as well (deploy/infra.sh down).
#
#   deploy/stop-distributed.sh [--all]
#
#   HOTLINE_STOP_GRACE   seconds between TERM and KILL (default 20)
#   HOTLINE_RUN_DIR      where start-distributed.sh kept the PIDs (default .local/run)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
run_dir="${HOTLINE_RUN_DIR:-$root/.local/run}"
grace="${HOTLINE_STOP_GRACE:-20}"

log() { printf '[stop] %s\n' "$*" >&2; }

all=0
for argument in "$@"; do
  case "$argument" in
    --all) all=1 ;;
    -h|--help) sed -n '2,/^set -euo/{/^set -euo/d; s/^# \{0,1\}//; p}' "$0"; exit 0 ;;
    *) log "unknown argument '$argument' (see --help)"; exit 2 ;;
  esac
done

# A PID file may outlive its process and the number be reused: only signal our own service hosts.
is_service_host() { tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -q 'dotnet .*HotlineSystem\..*\.dll'; }

declare -A stopping=()
for pid_file in "$run_dir"/*.pid; do
  [ -e "$pid_file" ] || continue
  instance="$(basename "$pid_file" .pid)"
  pid="$(cat "$pid_file")"
  if is_service_host "$pid"; then
    log "stopping $instance (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    stopping[$instance]="$pid"
  else
    log "$instance was not running"
    rm -f "$pid_file"
  fi
done

deadline=$((SECONDS + grace))
while [ "${#stopping[@]}" -gt 0 ]; do
  for instance in "${!stopping[@]}"; do
    pid="${stopping[$instance]}"
    if ! kill -0 "$pid" 2>/dev/null; then
      log "$instance stopped"
      rm -f "$run_dir/$instance.pid"
      unset "stopping[$instance]"
    elif [ "$SECONDS" -ge "$deadline" ]; then
      log "$instance did not stop within ${grace}s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
      rm -f "$run_dir/$instance.pid"
      unset "stopping[$instance]"
    fi
  done
  [ "${#stopping[@]}" -gt 0 ] && sleep 0.2
done
rm -f "$run_dir/endpoints"

if [ "$all" = 1 ]; then
  log "stopping PostgreSQL and RabbitMQ"
  "$root/deploy/infra.sh" down
fi
