#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# make deb: build kamailio-vostimer-modules_<version>_<arch>.deb for the installed
# kamailio with Debian's tools, into build/.
#   debian/build-deb.sh           build it, print its path last
#   debian/build-deb.sh --path    only print the path it would have
# Version: vostimer's (VOSTIMER_VERSION in modules/vostimer/utils/vos2kam/vos2kam.c,
# the one place it is defined) + "+kamailio<kamailio upstream version>-1", e.g.
# 0.1.0+kamailio5.6.3-1; Depends pins the exact installed kamailio (e.g. 5.6.3-2).
# The tree is copied to build/deb/ (no git needed, nothing written into the tree but
# build/), debian/changelog is written there, dpkg-buildpackage -b builds the module
# and vos2kam from source against KAMAILIO_SRC (default: the source `make deps`
# configured for the installed kamailio, see modules/deps.sh --print). Only for
# KAMAILIO=installed: the package is for the Debian kamailio on this machine.
# LINTIAN=1 also runs lintian on the deb.
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD="$TOP/build"
PKG=kamailio-vostimer-modules

if [ "${KAMAILIO:-installed}" != installed ]; then
	echo "deb: KAMAILIO=$KAMAILIO: the package is built for the installed kamailio only (KAMAILIO=installed)" >&2
	exit 2
fi
KVER=$(dpkg-query -W -f='${Version}' kamailio 2>/dev/null) || KVER=
[ -n "$KVER" ] || { echo "deb: kamailio is not installed (run 'make deps')" >&2; exit 1; }
KUP=${KVER%-*}
VERSION=$(sed -n 's/^#define VOSTIMER_VERSION "\(.*\)"$/\1/p' "$TOP/modules/vostimer/utils/vos2kam/vos2kam.c")
[ -n "$VERSION" ] || { echo "deb: no VOSTIMER_VERSION in vos2kam.c" >&2; exit 1; }
DEBVER="$VERSION+kamailio$KUP-1"
ARCH=$(dpkg-architecture -qDEB_HOST_ARCH)
DEB="$BUILD/${PKG}_${DEBVER}_${ARCH}.deb"
if [ "${1:-}" = --path ]; then
	echo "$DEB"
	exit 0
fi

t0=$(date +%s.%N)
# the packaging tools, installed when missing
need="debhelper fakeroot go-md2man dpkg-dev"
[ "${LINTIAN:-0}" = 1 ] && need="$need lintian"
"$TOP/modules/deps.sh" --need $need

KAMAILIO_SRC=$("$TOP/modules/deps.sh" --print installed | sed -n 's/^KAMAILIO_SRC=//p')
[ -f "$KAMAILIO_SRC/Makefile.defs" ] \
	|| { echo "deb: no Kamailio source at $KAMAILIO_SRC: run 'make deps' or set KAMAILIO_SRC" >&2; exit 1; }
export KAMAILIO_SRC
export KAMAILIO=installed

mkdir -p "$BUILD"
# one build at a time (make deb and the package test may run together)
exec 9>"$BUILD/.deb.lock"
flock 9

W="$BUILD/deb"
SRC="$W/$PKG-$VERSION"
rm -rf "$W"
mkdir -p "$SRC"
# the sources only: no build products, no build/, test/ or VCS data
tar -C "$TOP" -cf - --exclude=./build --exclude=./test --exclude=./.git \
	--exclude='*.o' --exclude='*.d' --exclude='*.so' --exclude='*.lst' \
	--exclude=__pycache__ --exclude=./modules/vostimer/utils/vos2kam/vos2kam . |
	tar -C "$SRC" -xf -

cat >"$SRC/debian/changelog" <<CL
$PKG ($DEBVER) unstable; urgency=medium

  * vostimer $VERSION built for kamailio $KVER.

 -- $(sed -n 's/^Maintainer: //p' "$SRC/debian/control")  $(date -R)
CL

echo "deb: building $PKG $DEBVER for kamailio $KVER in ${W#$TOP/}/ (log: ${W#$TOP/}/build.log)"
if ! (cd "$SRC" && dpkg-buildpackage -b --no-sign -jauto) >"$W/build.log" 2>&1; then
	tail -n 40 "$W/build.log" >&2
	echo "deb: dpkg-buildpackage failed; whole log in $W/build.log" >&2
	exit 1
fi
rm -f "$BUILD/${PKG}"_*.deb
cp "$W/$(basename "$DEB")" "$DEB"

if [ "${LINTIAN:-0}" = 1 ]; then
	echo "deb: lintian"
	lintian --info --display-info --pedantic "$DEB" || true
fi
echo "deb: built in $(awk -v a="$(date +%s.%N)" -v b="$t0" 'BEGIN{printf "%.1f", a-b}')s"
echo "$DEB"
