#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# md2man.sh IN.md OUT.1 [SOURCE]: the man page from doc/vos2kam.1.md with go-md2man, so the
# page says what the markdown says. The markdown is written for reading on its own:
#  - its title "# VOS2KAM(1)" becomes go-md2man's title block "% VOS2KAM 1", with
#    SOURCE (e.g. "vostimer 0.1.0") as the .TH footer;
#  - links to the other docs become "name (/usr/share/doc/...)";
# and two things go-md2man 2.0.2 gets wrong in roff are put right:
#  - a code line starting with "." or "'" (e.g. "...") would be read as a request:
#    escaped with \&;
#  - a long table cell (T{ ... T}) is followed by a newline before the tab, which
#    splits the row in two: joined; a cell that is one word (a parameter name) is
#    written plain, since a text block cannot break it anyway ("cannot adjust line").
set -eu
in=$1 out=$2 src=${3:-vostimer}
doc=/usr/share/doc/kamailio-vostimer-modules/doc
sed -e "1s/^# *\([A-Za-z0-9_.-]*\)(\([0-9][a-z]*\)) *\$/% \1 \2 \"\" \"$src\" \"User Commands\"/" \
	-e "s#\[\([^]]*\)\](\([A-Za-z0-9_.-]*\.md\))#\1 ($doc/\2)#g" "$in" |
	go-md2man |
	awk '
		/^\.nf$/ { code = 1; print; next }
		/^\.fi$/ { code = 0; print; next }
		code && /^[.'"'"']/ { print "\\&" $0; next }
		/^T\{$/ { tb = 1; n = 0; buf = ""; next }
		tb && /^T\}/ {
			tb = 0; rest = substr($0, 3)
			cell = (n == 1 && buf !~ / /) ? buf : "T{\n" buf "\nT}"
			if (rest != "") print cell rest; else join = 1
			next }
		tb { buf = n++ ? buf "\n" $0 : $0; next }
		join { join = 0; if (sub(/^\t/, "")) print cell "\t" $0; else { print cell; print }; next }
		{ print }
		END { if (join) print cell }' >"$out.tmp"
mv "$out.tmp" "$out"
