#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A throwaway MariaDB server holding the VOS3000 gateway fixture, for the tests of
# vos2kam --db: its own data directory, socket and TCP port under DIR, run as the
# current user, stopped by its PID.
#   test/lib/vosdb.sh start DIR [PORT]  initialise DIR, start mariadbd, load
#                                       test/fixtures/vos3000/{schema,rows}.sql and a
#                                       read-only user vosread (password in
#                                       DIR/vosread.cnf); prints SOCKET=, PORT=, PID=
#   test/lib/vosdb.sh sql DIR 'SQL'     run SQL as root over the socket
#   test/lib/vosdb.sh stop DIR          stop the server by its PID, wait for it
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
FIX=$HERE/../fixtures/vos3000
cmd=${1:-}
D=${2:-}
[ -n "$cmd" ] && [ -n "$D" ] || { echo "usage: $0 start|sql|stop DIR ..." >&2; exit 2; }

sql() {
	mariadb --no-defaults -S "$D/sock" -u root "$@"
}

case "$cmd" in
start)
	port=${3:-}
	if [ -z "$port" ]; then # a free port, from the kernel
		port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	fi
	for b in mariadb-install-db mariadbd mariadb; do
		command -v "$b" >/dev/null || [ -x "/usr/sbin/$b" ] ||
			{ echo "vosdb: no $b: install mariadb-server (make deps)" >&2; exit 1; }
	done
	mkdir -p "$D"
	mariadb-install-db --no-defaults --datadir="$D/data" --user="$(id -un)" \
		--auth-root-authentication-method=socket --skip-test-db >"$D/install.log" 2>&1 ||
		{ echo "vosdb: mariadb-install-db failed:" >&2; tail -5 "$D/install.log" >&2; exit 1; }
	mariadbd=$(command -v mariadbd || echo /usr/sbin/mariadbd)
	"$mariadbd" --no-defaults --datadir="$D/data" --socket="$D/sock" --port="$port" \
		--bind-address=127.0.0.1 --user="$(id -un)" --pid-file="$D/mariadbd.pid" \
		--skip-name-resolve --skip-log-bin --innodb-buffer-pool-size=16M \
		--log-error="$D/error.log" </dev/null >/dev/null 2>&1 &
	echo $! >"$D/pid"
	for _ in $(seq 100); do
		sql -e 'SELECT 1' >/dev/null 2>&1 && break
		kill -0 "$(cat "$D/pid")" 2>/dev/null ||
			{ echo "vosdb: mariadbd exited:" >&2; tail -5 "$D/error.log" >&2; exit 1; }
		sleep 0.1
	done
	sql -e 'SELECT 1' >/dev/null 2>&1 || { echo "vosdb: mariadbd did not answer in 10 s" >&2; exit 1; }
	pw=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
	sql <"$FIX/schema.sql" && sql <"$FIX/rows.sql" &&
		sql -e "CREATE USER vosread@localhost IDENTIFIED BY '$pw';
		        CREATE USER vosread@'127.0.0.1' IDENTIFIED BY '$pw';
		        GRANT SELECT ON vos3000.* TO vosread@localhost;
		        GRANT SELECT ON vos3000.* TO vosread@'127.0.0.1';" ||
		{ echo "vosdb: loading the fixture failed" >&2; exit 1; }
	printf '[client]\nuser=vosread\npassword=%s\n' "$pw" >"$D/vosread.cnf"
	printf '%s\n' "$pw" >"$D/vosread.pw"
	echo "SOCKET=$D/sock"
	echo "PORT=$port"
	echo "PID=$(cat "$D/pid")"
	;;
sql)
	sql -e "$3"
	;;
stop)
	pid=$(cat "$D/pid" 2>/dev/null) || exit 0
	kill "$pid" 2>/dev/null
	for _ in $(seq 100); do
		kill -0 "$pid" 2>/dev/null || exit 0
		sleep 0.1
	done
	kill -9 "$pid" 2>/dev/null
	;;
*)
	echo "vosdb: unknown command $cmd" >&2
	exit 2
	;;
esac
