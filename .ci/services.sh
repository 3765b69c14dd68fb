# Starts private PostgreSQL and Redis servers on loopback for the tests and exports DATABASE_URL and REDIS_URL.
#
#   source .ci/services.sh    # in your shell: starts both (needs Debian's postgresql and redis-server)
#   gh_services_stop          # stops them, removes their files, unsets the two variables
#
# .ci/run sources it too. Nothing here touches the system's own PostgreSQL or Redis services: the servers run
# from a temporary directory, PostgreSQL as the `postgres` user when we are root (initdb refuses root), else as you.
# Every step checks its own result (`|| return 1`), because a developer's shell has no `set -e`.
# shellcheck shell=bash

# The first port from $1 on that nothing on 127.0.0.1 listens on.
gh_free_port() {
  local port=$1
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  echo "$port"
}

# Runs a PostgreSQL program (initdb, pg_ctl) from inside the services directory, as the cluster's owner.
gh_pg() {
  (cd "$GH_SERVICES_DIR" && "${GH_PG_AS[@]}" "$GH_PG_BIN/$1" "${@:2}")
}

gh_services_start() {
  local port i
  GH_PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1) || true
  if [[ -z $GH_PG_BIN ]] || ! command -v redis-server >/dev/null; then
    echo "services: Debian's postgresql and redis-server are needed: apt-get install postgresql redis-server" >&2
    return 1
  fi
  GH_SERVICES_DIR=$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-services.XXXXXX") || return 1
  GH_PG_AS=()
  if ((EUID == 0)); then
    GH_PG_AS=(runuser -u postgres --)
    chown postgres: "$GH_SERVICES_DIR" || return 1
  fi

  port=$(gh_free_port 55432)
  echo "== starting PostgreSQL on 127.0.0.1:$port"
  gh_pg initdb -D data -A trust -U postgres -E UTF8 --locale=C.UTF-8 --no-sync >"$GH_SERVICES_DIR/initdb.log" 2>&1 \
    || { cat "$GH_SERVICES_DIR/initdb.log" >&2; return 1; }
  # fsync=off: a throwaway cluster need not survive a crash, and the tests run faster without it.
  gh_pg pg_ctl -D data -l postgres.log -w start \
    -o "-p $port -k '$GH_SERVICES_DIR' -c listen_addresses=127.0.0.1 -c fsync=off" \
    || { cat "$GH_SERVICES_DIR/postgres.log" >&2; return 1; }
  export DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"

  port=$(gh_free_port 56379)
  echo "== starting Redis on 127.0.0.1:$port"
  # Started from a subshell so that it is not a job of an interactive shell; $! is redis-server's own pid.
  GH_REDIS_PID=$(redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
    --dir "$GH_SERVICES_DIR" >"$GH_SERVICES_DIR/redis.log" 2>&1 & echo $!)
  for ((i = 0; i < 100; i++)); do
    [[ $(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null) == PONG ]] && break
    kill -0 "$GH_REDIS_PID" 2>/dev/null || break
    sleep 0.1
  done
  if [[ $(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null) != PONG ]]; then
    cat "$GH_SERVICES_DIR/redis.log" >&2
    return 1
  fi
  export REDIS_URL="redis://127.0.0.1:$port"
  echo "DATABASE_URL=$DATABASE_URL REDIS_URL=$REDIS_URL"
}

# Stops whatever gh_services_start started, even halfway; safe to call twice, and under `set -e` (an EXIT trap).
gh_services_stop() {
  local i
  if [[ -n ${GH_REDIS_PID:-} ]]; then
    kill "$GH_REDIS_PID" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do kill -0 "$GH_REDIS_PID" 2>/dev/null || break; sleep 0.1; done
    GH_REDIS_PID=
  fi
  if [[ -n ${GH_SERVICES_DIR:-} ]]; then
    if [[ -f $GH_SERVICES_DIR/data/postmaster.pid ]]; then
      gh_pg pg_ctl -D data -m fast -w stop || echo "services: pg_ctl stop failed" >&2
    fi
    rm -rf "$GH_SERVICES_DIR"
    GH_SERVICES_DIR=
  fi
  unset DATABASE_URL REDIS_URL
  return 0
}

if [[ ${1:-} != --functions-only ]]; then
  gh_services_start || { gh_services_stop; return 1; }
  echo "services: running; run gh_services_stop to stop them"
fi
