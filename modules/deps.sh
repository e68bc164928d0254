#!/bin/sh
# make deps: install what vostimer builds and tests with, and unpack the Kamailio
# source that matches the installed kamailio package under build/ (configured as
# Debian configures it, so module_version and module_flags match `kamailio -v`).
# Idempotent: each step checks first and does nothing when already done.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD="$TOP/build"
PKGS="kamailio kamailio-lua-modules kamailio-python3-modules \
 sip-tester libconfig-dev check pkg-config dpkg-dev gcc make python3"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' \
		|| missing="$missing $p"
done
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
if [ -n "$missing" ]; then
	echo "deps: installing$missing"
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing
fi

if [ -n "${KAMAILIO_SRC:-}" ]; then
	echo "deps: KAMAILIO_SRC=$KAMAILIO_SRC (not fetching a source package)"
	exit 0
fi

VER=$(dpkg-query -W -f='${Version}' kamailio)
UPVER=${VER%-*}
SRC="$BUILD/kamailio-$UPVER"
# the installed binary was built with pthread mutexes shared (libssl present at build
# time): module_flags must then say TLS_PTHREAD_MUTEX_SHARED too
PMUTEX=""
kamailio -v 2>/dev/null | grep -q TLS_PTHREAD_MUTEX_SHARED && PMUTEX="LIBSSL_SET_MUTEX_SHARED=1"
if [ -f "$SRC/src/config.mak" ] && [ "$(cat "$BUILD/.kamailio-version" 2>/dev/null)" = "$VER" ] \
	&& { [ -z "$PMUTEX" ] || grep -q KSR_PTHREAD_MUTEX_SHARED "$SRC/src/config.mak"; }; then
	exit 0
fi

# a deb-src entry for the same archive as the installed binary
if ! apt-get source --print-uris "kamailio=$VER" >/dev/null 2>&1; then
	f=/etc/apt/sources.list.d/vostimer-deb-src.sources
	if [ -f /etc/apt/sources.list.d/debian.sources ]; then
		sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources | $SUDO tee "$f" >/dev/null
	else
		f=${f%.sources}.list
		grep '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' | $SUDO tee "$f" >/dev/null
	fi
	echo "deps: added deb-src entry $f"
	$SUDO apt-get update -qq
fi

mkdir -p "$BUILD"
cd "$BUILD"
rm -rf "kamailio-$UPVER"
echo "deps: apt-get source kamailio=$VER"
apt-get source -qq "kamailio=$VER" >/dev/null
# Debian's package configures with these options (debian/rules); `make cfg` writes
# src/config.mak, which fixes the compile flags baked into module_flags.
cd "$SRC"
make -s cfg FLAVOUR=kamailio PREFIX=/usr cfg_prefix=/ cfg_target=/etc/kamailio/ \
	BASEDIR= LIBDIR=lib/x86_64-linux-gnu run_prefix= run_target=/run/kamailio/ \
	doc_dir=share/doc/kamailio/ TLS_HOOKS=1 SCTP=1 $PMUTEX >/dev/null
echo "$VER" > "$BUILD/.kamailio-version"
echo "deps: kamailio source ready in $SRC"
