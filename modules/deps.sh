#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# make deps: install what vostimer builds and tests with, and prepare the Kamailio it
# is built for under build/<target>/kamailio, configured as Debian's package
# configures it, so that module_version and module_flags match that kamailio.
#
#   modules/deps.sh [TARGET]           install, fetch, configure (and build, see below)
#   modules/deps.sh --print [TARGET]   print the target's paths as VAR=value lines
#   modules/deps.sh --need PKG...      install the packages of PKG... that are missing
#
# TARGET (make's KAMAILIO=):
#   installed   the kamailio Debian package on this machine (default): its source
#               package via apt-get source; the installed binary and modules are used
#   trixie      Debian trixie's kamailio source package (a deb-src entry for trixie
#               in its own sources file; the machine's binary sources are untouched)
#   <path>      an upstream Kamailio release tarball (kamailio-X.Y.Z.tar.{gz,xz,bz2})
# For trixie and a tarball the kamailio binary, kamcmd and the modules the tests and
# the demo load are built in that tree, and the tests run them from there.
# Idempotent: each step checks first and does nothing when already done.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD="$TOP/build"

SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
APT="$SUDO env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600"

need() { # install the packages of $* that are missing
	missing=""
	for p in "$@"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' \
			|| missing="$missing $p"
	done
	[ -n "$missing" ] || return 0
	echo "deps: installing$missing"
	$APT update -qq
	$APT install -y -qq $missing >/dev/null
}

# modules/deps.sh --need PKG...: only install those of PKG that are missing (for
# other scripts, e.g. debian/build-deb.sh)
if [ "${1:-}" = "--need" ]; then
	shift
	need "$@"
	exit 0
fi

PRINT=""
if [ "${1:-}" = "--print" ]; then
	PRINT=1
	shift
fi
TARGET=${1:-installed}

# modules loaded by test/e2e, test/bench and etc/kamailio.cfg, built for source targets
BUILD_MODULES="tm tmx sl pv kex corex ctl maxfwd rr siputils textops xlog \
 dispatcher htable jsonrpcs xhttp xhttp_prom sanity siptrace app_lua app_python3 app_jsdt"
# Debian's `make cfg` options (debian/rules of 5.6, 6.0 and 6.1 agree on what reaches
# module_flags); LIBSSL_SET_MUTEX_SHARED: Debian builds with libssl present
DEB_CFG="FLAVOUR=kamailio PREFIX=/usr cfg_prefix=/ cfg_target=/etc/kamailio/ BASEDIR= \
 LIBDIR=lib/x86_64-linux-gnu run_prefix= run_target=/run/kamailio/ \
 doc_dir=share/doc/kamailio/ TLS_HOOKS=1 SCTP=1"

case "$TARGET" in
installed | trixie) TAG=$TARGET ;;
*.tar.gz | *.tar.xz | *.tar.bz2 | *.tgz)
	[ -f "$TARGET" ] || { echo "deps: no Kamailio tarball at $TARGET" >&2; exit 2; }
	TARBALL=$(cd "$(dirname "$TARGET")" && pwd)/$(basename "$TARGET")
	TAG=$(basename "$TARGET" | sed -E 's/\.(tar\.(gz|xz|bz2)|tgz)$//')
	;;
*)
	echo "deps: KAMAILIO=$TARGET: expected installed, trixie or a kamailio-X.Y.Z.tar.{gz,xz,bz2} path" >&2
	exit 2
	;;
esac
ROOT="$BUILD/$TAG"
KSRC="$ROOT/kamailio"

print_env() {
	if [ "$TAG" = installed ]; then
		mpath=$(dpkg -L kamailio 2>/dev/null | sed -n 's|/tm\.so$|/|p' | head -1)
		echo "KAMAILIO_SRC=${KAMAILIO_SRC:-$KSRC/src}"
		echo "KAMAILIO_BIN=$(command -v kamailio || echo /usr/sbin/kamailio)"
		echo "KAMAILIO_MPATH=${mpath:-/usr/lib/$(gcc -dumpmachine 2>/dev/null || echo x86_64-linux-gnu)/kamailio/modules/}"
		echo "KAMCMD=$(command -v kamcmd || echo /usr/sbin/kamcmd)"
		vdir="$TOP/modules/vostimer" # built in the tree, as before
	else
		echo "KAMAILIO_SRC=$KSRC/src"
		echo "KAMAILIO_BIN=$KSRC/src/kamailio"
		echo "KAMAILIO_MPATH=$KSRC/src/modules/"
		echo "KAMCMD=$KSRC/utils/kamcmd/kamcmd"
		vdir="$ROOT/vostimer" # built out of the tree, one directory per target
	fi
	echo "VOSTIMER_DIR=$vdir"
	echo "VOSTIMER_SO=$vdir/vostimer.so"
	echo "VOS2KAM=$TOP/modules/vostimer/utils/vos2kam/vos2kam"
}
if [ -n "$PRINT" ]; then
	print_env
	exit 0
fi

# kamailio itself stays installed for every target: the installed target runs it,
# and sipp, libconfig, check, python3 and valgrind (the cli tests) serve every target;
# vos2kam links Debian's MariaDB client library (libmariadb-dev), and its tests start
# their own throwaway MariaDB server (mariadb-server) in a temporary directory
need kamailio kamailio-lua-modules kamailio-python3-modules \
	sip-tester libconfig-dev check pkg-config dpkg-dev gcc make python3 valgrind \
	mariadb-server mariadb-client libmariadb-dev
[ "$TAG" = installed ] || need bison flex liblua5.1-0-dev python3-dev

if [ "$TAG" = installed ] && [ -n "${KAMAILIO_SRC:-}" ]; then
	echo "deps: KAMAILIO_SRC=$KAMAILIO_SRC (not fetching a source package)"
	exit 0
fi

# a deb-src entry for Debian's trixie, in its own sources file
deb_src_trixie() {
	f=/etc/apt/sources.list.d/vostimer-trixie-src.sources
	[ -f "$f" ] && return 0
	uri=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
	[ -n "$uri" ] || uri=$(sed -n 's/^deb \[*[^ ]*\]* *\(http[^ ]*\) .*/\1/p;s/^deb \(http[^ ]*\) .*/\1/p' /etc/apt/sources.list 2>/dev/null | head -1)
	printf 'Types: deb-src\nURIs: %s\nSuites: %s\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
		"${uri:-http://deb.debian.org/debian}" trixie | $SUDO tee "$f" >/dev/null
	echo "deps: added deb-src entry $f"
	$APT update -qq
}

# configure $KSRC as Debian does; $* = extra cfg variables
configure() {
	(cd "$KSRC/src" && make -s cfg $DEB_CFG "$@" >/dev/null)
}

stamp="$ROOT/.ready"
case "$TAG" in
installed)
	VER=$(dpkg-query -W -f='${Version}' kamailio)
	# the installed binary was built with pthread mutexes shared (libssl present at
	# build time): module_flags must then say TLS_PTHREAD_MUTEX_SHARED too
	PMUTEX=""
	kamailio -v 2>/dev/null | grep -q TLS_PTHREAD_MUTEX_SHARED && PMUTEX="LIBSSL_SET_MUTEX_SHARED=1"
	[ "$(cat "$stamp" 2>/dev/null)" = "$VER $PMUTEX" ] && [ -f "$KSRC/src/config.mak" ] && exit 0
	# a deb-src entry for the same archive and suites as the installed binary
	if ! apt-get source --print-uris "kamailio=$VER" >/dev/null 2>&1; then
		f=/etc/apt/sources.list.d/vostimer-deb-src.sources
		if [ -f /etc/apt/sources.list.d/debian.sources ]; then
			sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources | $SUDO tee "$f" >/dev/null
		else
			f=${f%.sources}.list
			grep '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' | $SUDO tee "$f" >/dev/null
		fi
		echo "deps: added deb-src entry $f"
		$APT update -qq
	fi
	rm -rf "$ROOT" && mkdir -p "$ROOT/dl"
	echo "deps: apt-get source kamailio=$VER"
	(cd "$ROOT/dl" && apt-get source -qq --download-only "kamailio=$VER" >/dev/null 2>&1)
	dpkg-source -x --no-check "$(ls "$ROOT"/dl/kamailio_*.dsc)" "$KSRC" >/dev/null
	configure $PMUTEX
	echo "$VER $PMUTEX" >"$stamp"
	echo "deps: kamailio $VER source ready in $KSRC"
	exit 0
	;;
trixie)
	deb_src_trixie
	VER=$(apt-cache showsrc kamailio 2>/dev/null | sed -n 's/^Version: //p' | grep -E '^6\.0\.' | sort -V | tail -1)
	[ -n "$VER" ] || { echo "deps: no trixie kamailio source package listed" >&2; exit 1; }
	ID="trixie $VER"
	;;
*)
	ID="$TARBALL $(stat -c %s.%Y "$TARBALL")"
	;;
esac

[ "$(cat "$stamp" 2>/dev/null)" = "$ID" ] && [ -x "$KSRC/src/kamailio" ] && exit 0
rm -rf "$ROOT" && mkdir -p "$ROOT/dl"
if [ "$TAG" = trixie ]; then
	# the archive serves the .dsc, the orig and debian tarballs but not the upstream
	# signature (.asc, 404): download what is there, extract without checking it
	echo "deps: apt-get source kamailio=$VER (trixie)"
	(cd "$ROOT/dl" && apt-get source -qq --download-only "kamailio=$VER" >/dev/null 2>&1) || true
	dsc=$(ls "$ROOT"/dl/kamailio_*.dsc 2>/dev/null | head -1)
	[ -n "$dsc" ] || { echo "deps: apt-get source kamailio=$VER downloaded no .dsc" >&2; exit 1; }
	dpkg-source -x --no-check "$dsc" "$KSRC" >/dev/null
else
	echo "deps: unpacking $TARBALL"
	mkdir -p "$KSRC"
	tar -xf "$TARBALL" -C "$KSRC" --strip-components=1
	[ -f "$KSRC/src/Makefile.defs" ] || { echo "deps: $TARBALL is not a Kamailio source tree (no src/Makefile.defs)" >&2; exit 1; }
fi
configure LIBSSL_SET_MUTEX_SHARED=1 group_include=vostimer-tests include_modules="$BUILD_MODULES"
JOBS=$(nproc 2>/dev/null || echo 2)
echo "deps: building kamailio and $(echo $BUILD_MODULES | wc -w) modules in $KSRC (make -j$JOBS)"
t0=$(date +%s)
(cd "$KSRC/src" && make -j"$JOBS" all >"$ROOT/build.log" 2>&1) \
	|| { tail -n 30 "$ROOT/build.log"; echo "deps: the kamailio build failed (log: $ROOT/build.log)" >&2; exit 1; }
(cd "$KSRC/utils/kamcmd" && make -j"$JOBS" >>"$ROOT/build.log" 2>&1) \
	|| { tail -n 30 "$ROOT/build.log"; echo "deps: the kamcmd build failed" >&2; exit 1; }
echo "$ID" >"$stamp"
echo "deps: $("$KSRC/src/kamailio" -v | head -1) built in $(($(date +%s) - t0)) s"
