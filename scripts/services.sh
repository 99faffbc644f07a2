#!/usr/bin/env bash
# Make sure PostgreSQL and Redis answer at DATABASE_URL and REDIS_URL.
# When one does not answer on this machine, start a project-local instance from the
# installed server binaries, with its data under .var/ (nothing system-wide changes).
#   scripts/services.sh ensure   start what is missing, wait until both answer
#   scripts/services.sh stop     stop the project-local instances this script started
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
VAR="$ROOT/.var"
mkdir -p "$VAR"

DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/borderless}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/0}

# host and port from a URL like scheme://user@host:port/db
url_host() { local rest=${1#*://}; rest=${rest#*@}; rest=${rest%%/*}; echo "${rest%%:*}"; }
url_port() { local rest=${1#*://}; rest=${rest#*@}; rest=${rest%%/*}; [[ $rest == *:* ]] && echo "${rest##*:}" || echo "$2"; }

PG_HOST=$(url_host "$DATABASE_URL"); PG_PORT=$(url_port "$DATABASE_URL" 5432)
REDIS_HOST=$(url_host "$REDIS_URL"); REDIS_PORT=$(url_port "$REDIS_URL" 6379)

is_local() { [[ $1 == 127.0.0.1 || $1 == localhost || $1 == ::1 ]]; }

pg_answers() {
  if command -v pg_isready >/dev/null; then pg_isready -q -h "$PG_HOST" -p "$PG_PORT"
  else (exec 3<>"/dev/tcp/$PG_HOST/$PG_PORT") 2>/dev/null; fi
}
redis_answers() {
  if command -v redis-cli >/dev/null; then [[ $(redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null) == PONG ]]
  else (exec 3<>"/dev/tcp/$REDIS_HOST/$REDIS_PORT") 2>/dev/null; fi
}

wait_for() {  # wait_for NAME CHECK
  for _ in $(seq 1 60); do "$2" && return 0; sleep 0.5; done
  echo "services: $1 did not start; see the log under $VAR" >&2; return 1
}

pg_bindir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [[ -n $dir ]] && { echo "$dir"; return; }
  command -v pg_ctl >/dev/null && { dirname "$(command -v pg_ctl)"; return; }
  echo "services: PostgreSQL server binaries not found (install postgresql)" >&2; return 1
}

start_postgres() {
  local bin data="$VAR/postgres" as=()
  bin=$(pg_bindir)
  # PostgreSQL refuses to run as root; run the local instance as the postgres user.
  if [[ $(id -u) == 0 ]]; then as=(runuser -u postgres --); fi
  mkdir -p "$data" "$VAR/pg-socket"
  [[ $(id -u) == 0 ]] && chown postgres "$data" "$VAR/pg-socket" && chmod 700 "$data"
  if [[ ! -f $data/PG_VERSION ]]; then
    "${as[@]}" "$bin/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$VAR/postgres-initdb.log"
  fi
  "${as[@]}" "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w start \
    -o "-p $PG_PORT -k $VAR/pg-socket -c listen_addresses=$PG_HOST -c fsync=off" >/dev/null
  echo "services: started a project-local PostgreSQL on $PG_HOST:$PG_PORT ($data)"
}

start_redis() {
  command -v redis-server >/dev/null || { echo "services: redis-server not found (install redis-server)" >&2; return 1; }
  mkdir -p "$VAR/redis"
  redis-server --daemonize yes --bind "$REDIS_HOST" --port "$REDIS_PORT" --save "" --appendonly no \
    --dir "$VAR/redis" --pidfile "$VAR/redis/redis.pid" --logfile "$VAR/redis/redis.log"
  echo "services: started a project-local Redis on $REDIS_HOST:$REDIS_PORT"
}

ensure() {
  if ! pg_answers; then
    is_local "$PG_HOST" || { echo "services: PostgreSQL at $PG_HOST:$PG_PORT does not answer" >&2; exit 1; }
    start_postgres; wait_for PostgreSQL pg_answers
  fi
  if ! redis_answers; then
    is_local "$REDIS_HOST" || { echo "services: Redis at $REDIS_HOST:$REDIS_PORT does not answer" >&2; exit 1; }
    start_redis; wait_for Redis redis_answers
  fi
  echo "services: PostgreSQL $PG_HOST:$PG_PORT and Redis $REDIS_HOST:$REDIS_PORT answer"
}

stop() {
  local as=()
  [[ $(id -u) == 0 ]] && as=(runuser -u postgres --)
  if [[ -f $VAR/postgres/postmaster.pid ]]; then "${as[@]}" "$(pg_bindir)/pg_ctl" -D "$VAR/postgres" -m fast stop || true; fi
  if [[ -f $VAR/redis/redis.pid ]]; then kill "$(cat "$VAR/redis/redis.pid")" 2>/dev/null || true; fi
}

case "${1:-ensure}" in
  ensure) ensure ;;
  stop) stop ;;
  *) echo "usage: $0 ensure|stop" >&2; exit 2 ;;
esac
