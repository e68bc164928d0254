#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Shell tests of the vos2kam binary: each exit status, stdin, the report, --strict,
# merging that keeps other profiles, and malformed input (bad number, 11 intervals,
# missing value, binary garbage, a 10 MB line) refused with exit 2, never a crash;
# then the malformed inputs again under valgrind (memcheck, full leak check): the same
# exit status and not one error or lost byte.
# A written profile file counts as valid when vos2kam --merge accepts it: merge
# refuses any file the module's own loader (vs_prof_load) refuses.
# Usage: test/cli/test_vos2kam.sh   (VOS2KAM=/path/to/vos2kam to test another build)
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
TOOL_DIR=$TOP/modules/vostimer/utils/vos2kam
VOS2KAM=${VOS2KAM:-$TOOL_DIR/vos2kam}
SAMPLE=$TOP/etc/vos3000-export.txt
if [ -z "${VOS2KAM_NO_BUILD:-}" ] && [ "$VOS2KAM" = "$TOOL_DIR/vos2kam" ]; then
	make -s -C "$TOOL_DIR" >/dev/null || { echo "cli: cannot build vos2kam"; exit 1; }
fi
W=$(mktemp -d "${TMPDIR:-/tmp}/vos2kam-test.XXXXXX")
trap 'rm -rf "$W"' EXIT
pass=0
fail=0

ok() { echo "ok - $1"; pass=$((pass + 1)); }
not_ok() {
	echo "not ok - $1"
	if [ -n "${2:-}" ]; then printf '%s\n' "$2" | head -c 1500 | sed 's/^/#   /'; fi
	fail=$((fail + 1))
}

# verdict NAME [FILE]: ok when the command just before succeeded, else not ok
# (showing FILE).
verdict() {
	local st=$?
	if [ "$st" -eq 0 ]; then
		ok "$1"
	elif [ -n "${2:-}" ] && [ -e "$2" ]; then
		not_ok "$1" "$(cat "$2")"
	else
		not_ok "$1"
	fi
}

# run ARGS...: runs vos2kam, stdout to $W/out, stderr to $W/err, status in $rc.
run() {
	"$VOS2KAM" "$@" >"$W/out" 2>"$W/err"
	rc=$?
}

# check NAME WANT_RC [GREP_IN_STDERR]: status (and message) as expected.
check() {
	local name=$1 want=$2 piece=${3:-}
	if [ "$rc" -ne "$want" ]; then
		not_ok "$name" "exit status $rc, expected $want; stderr: $(head -c 600 "$W/err")"
	elif [ -n "$piece" ] && ! grep -qF -- "$piece" "$W/err"; then
		not_ok "$name" "stderr lacks \"$piece\": $(head -c 600 "$W/err")"
	else
		ok "$name"
	fi
}

# valid FILE: the module's loader accepts FILE (through vos2kam --merge).
valid() {
	cp "$1" "$W/probe.profiles" &&
		printf 'SS_SIP_SEND_RETRY=3\n' |
		"$VOS2KAM" -n probe_only --merge "$W/probe.profiles" - 2>/dev/null
}

# ---- help, version, usage ----
run --help
[ "$rc" -eq 0 ] &&
	grep -q '^usage: vos2kam' "$W/out" &&
	grep -q -- '--merge' "$W/out"
verdict "--help prints usage on stdout, exit 0"
run --version
[ "$rc" -eq 0 ] &&
	grep -q '^vos2kam (vostimer) [0-9]' "$W/out"
verdict "--version, exit 0" "$W/out"
run --no-such-option "$SAMPLE"
check "unknown option: exit 2" 2 "usage:"
run "$SAMPLE" "$SAMPLE"
check "two exports: exit 2" 2 "one export at a time"
run -n defaults "$SAMPLE"
check "--name defaults refused: exit 2" 2 "defaults"
run -n 'bad name' "$SAMPLE"
check "--name with a space refused: exit 2" 2 "not allowed"

# ---- the sample export ----
run -o "$W/sample.profiles" "$SAMPLE"
check "sample export: exit 0" 0 'profile "vos3000" written'
grep -qF 'SS_SIP_RESEND_INTERVAL = 0.5,1,2,4,4,4 (line 5) -> resend_interval "0.5,1,2,4,4,4"' "$W/err"
verdict "report: one line per mapped parameter with value, line, result" "$W/err"
grep -qF 'SS_SIP_TIMEOUT_SESSION_PROGRESS = 10 (line 10) -> timeout_session_progress 10 (session_progress_timeout after 10 s)' "$W/err" &&
	grep -qF 'SS_SIP_TIMEOUT_SESSION_PROGRESS_SDP = 60 (line 11) -> timeout_session_progress_sdp 60 (session_progress_sdp_timeout after 60 s)' "$W/err"
verdict "report: the two session-progress stage timeouts mapped and explained" "$W/err"
! grep -q 'SESSION_PROGRESS.*session timers' "$W/err"
verdict "report: session progress is not called a session timer" "$W/err"
grep -q '^SS_SIP_USER_AGENT_EXPIRE = Auto (line [0-9]*) -> not mapped: ' "$W/err"
verdict "report: unmapped SS_SIP_* listed with a reason" "$W/err"
grep -q '^warning: SS_SIP_TIMEOUT_INVITE 8 s ends the INVITE stage before the schedule: sends after 7.5 s (1 of 6) are never made' "$W/err"
verdict "report: invite timeout cutting the schedule is a warning" "$W/err"
[ ! -s "$W/out" ]
verdict "with -o nothing goes to stdout"
grep -q 'name = "vos3000";' "$W/sample.profiles" &&
	grep -q 'resend_interval = "0.5,1,2,4,4,4";' "$W/sample.profiles" &&
	grep -q 'send_retry = 6;' "$W/sample.profiles" &&
	grep -q 'timeout_invite = 8;' "$W/sample.profiles" &&
	grep -q 'timeout_trying = 15;' "$W/sample.profiles" &&
	grep -q 'timeout_ringing = 90;' "$W/sample.profiles" &&
	grep -q 'timeout_session_progress = 10;' "$W/sample.profiles" &&
	grep -q 'timeout_session_progress_sdp = 60;' "$W/sample.profiles" &&
	grep -q 'gateway_switch_limit = 3;' "$W/sample.profiles"
verdict "profile file holds the imported values" "$W/sample.profiles"
valid "$W/sample.profiles"
verdict "generated file validates (module loader)"

# ---- the four gateway-switch rules, as VOS3000 writes them ----
printf 'SS_GATEWAY_SWITCH_LIMIT\tNone\tNone\tMaximum gateways per call\nSS_GATEWAY_SWITCH_STOP_AFTER_USER_BUSY\tOff\tOn\tx\nSS_GATEWAY_SWITCH_UNTIL_CONNECT\tOn\tOff\tx\nSS_SIP_STOP_SWITCH_AFTER_SDP\tOff\tOn\tx\n' >"$W/rules.txt"
run -o "$W/rules.profiles" "$W/rules.txt"
check "switch rules export: exit 0" 0 'profile "vos3000" written'
grep -qF 'SS_GATEWAY_SWITCH_LIMIT = None (line 1) -> gateway_switch_limit 0 (no cap on gateways per call)' "$W/err" &&
	grep -qF 'SS_GATEWAY_SWITCH_STOP_AFTER_USER_BUSY = Off (line 2) -> switch_stop_after_busy false' "$W/err" &&
	grep -qF 'SS_GATEWAY_SWITCH_UNTIL_CONNECT = On (line 3) -> switch_until_connect true' "$W/err" &&
	grep -qF 'SS_SIP_STOP_SWITCH_AFTER_SDP = Off (line 4) -> stop_switch_after_sdp false' "$W/err"
verdict "report: the four switch rules mapped, None as no cap" "$W/err"
grep -q 'gateway_switch_limit = 0;' "$W/rules.profiles" &&
	grep -q 'switch_stop_after_busy = false;' "$W/rules.profiles" &&
	grep -q 'switch_until_connect = true;' "$W/rules.profiles" &&
	grep -q 'stop_switch_after_sdp = false;' "$W/rules.profiles"
verdict "profile file holds the four switch rules" "$W/rules.profiles"
printf 'SS_GATEWAY_SWITCH_LIMIT=Some\n' >"$W/badlimit.txt"
run "$W/badlimit.txt"
check "switch limit 'Some' refused: exit 2, names line and value" 2 'badlimit.txt:1: SS_GATEWAY_SWITCH_LIMIT "Some": not a whole number 0..100 or None'

# ---- stdin ----
run - <"$SAMPLE"
check "stdin via '-': exit 0" 0 'written to stdout'
grep -q 'name = "vos3000";' "$W/out"
verdict "stdin: profile file on stdout" "$W/out"
printf 'SS_SIP_TIMEOUT_INVITE=12\r\n' | "$VOS2KAM" -n from_pipe >"$W/out" 2>"$W/err"
rc=$?
check "stdin without an argument, CRLF: exit 0" 0 'timeout_invite 12'
grep -q 'name = "from_pipe";' "$W/out"
verdict "-n names the profile" "$W/out"

printf 'SS_SIP_TIMEOUT_INVITE=12\n' | "$VOS2KAM" -n no_sp >"$W/out" 2>"$W/err"
rc=$?
check "export without the session-progress timeouts: exit 0" 0 'SS_SIP_TIMEOUT_SESSION_PROGRESS not in the export -> timeout_session_progress 20 (VOS3000 default)'
grep -qF 'SS_SIP_TIMEOUT_SESSION_PROGRESS_SDP not in the export -> timeout_session_progress_sdp 120 (VOS3000 default)' "$W/err" &&
	grep -q 'timeout_session_progress_sdp = 120;' "$W/out"
verdict "session_progress_sdp: VOS3000 default 120 s" "$W/err"
printf 'SS_SIP_TIMEOUT_SESSION_PROGRESS_SDP=200\nSS_SIP_TIMEOUT_SESSION_PROGRESS=0\n' | "$VOS2KAM" >"$W/out" 2>"$W/err"
rc=$?
check "session progress 0 and 200 s: exit 0 with warnings" 0 "warning: SS_SIP_TIMEOUT_SESSION_PROGRESS_SDP 200 s is beyond tm's default max_inv_lifetime 180 s"
grep -q '^warning: SS_SIP_TIMEOUT_SESSION_PROGRESS 0: ' "$W/err"
verdict "session progress 0: warned" "$W/err"

# ---- exit 1: warnings with --strict ----
run --strict -o "$W/strict.profiles" "$SAMPLE"
check "--strict with warnings: exit 1" 1 "--strict: nothing written"
[ ! -e "$W/strict.profiles" ]
verdict "--strict with warnings writes nothing"
printf 'SS_SIP_RESEND_INTERVAL=0.5,1,2,4\nSS_SIP_TIMEOUT_INVITE=10\n' >"$W/clean.txt"
run --strict -o "$W/clean.profiles" "$W/clean.txt"
check "--strict without warnings: exit 0" 0
! grep -q '^warning:' "$W/err"
verdict "a sane export has no warning" "$W/err"

# ---- exit 2: unreadable or invalid input ----
run "$W/does-not-exist.txt"
check "missing file: exit 2" 2 "cannot open"
printf 'SS_SIP_TIMEOUT_INVITE=8\nSS_SIP_SEND_RETRY\tsix\t10\tdesc\n' >"$W/bad.txt"
run -o "$W/bad.profiles" "$W/bad.txt"
check "bad number: exit 2 naming line and value" 2 "bad.txt:2: SS_SIP_SEND_RETRY \"six\""
[ ! -e "$W/bad.profiles" ]
verdict "invalid input writes nothing"
printf 'SS_SIP_RESEND_INTERVAL=1,1,1,1,1,1,1,1,1,1,1\n' >"$W/eleven.txt"
run "$W/eleven.txt"
check "11 intervals: exit 2" 2 "eleven.txt:1: SS_SIP_RESEND_INTERVAL"
grep -q "more than 10" "$W/err"
verdict "11 intervals: says why" "$W/err"
printf 'SS_SIP_TIMEOUT_RINGING\n' >"$W/missing.txt"
run "$W/missing.txt"
check "missing value: exit 2" 2 "missing.txt:1: SS_SIP_TIMEOUT_RINGING has no value"
printf 'SS_SIP_TIMEOUT_INVITE=8\nab\0cd\n' >"$W/nul.txt"
run "$W/nul.txt"
check "NUL byte: exit 2" 2 "nul.txt:2: NUL byte"
head -c 65536 /dev/urandom >"$W/garbage.bin"
run "$W/garbage.bin"
check "binary garbage: exit 2" 2 "garbage.bin:"
printf 'SS_SIP_TIMEOUT_INVITE=8\nSS_A=\xff\xfe\n' >"$W/latin.txt"
run "$W/latin.txt"
check "invalid UTF-8: exit 2" 2 "latin.txt:2: byte 0xff at column 6 is not UTF-8"
{
	printf 'SS_SIP_TIMEOUT_INVITE=8\nSS_SIP_RESEND_INTERVAL='
	head -c 10485760 /dev/zero | tr '\0' '1'
	printf '\n'
} >"$W/big.txt"
run "$W/big.txt"
check "10 MB line: exit 2" 2 "big.txt:2: line longer than"
run - <"$W/big.txt"
check "10 MB line on stdin: exit 2" 2 "(stdin):2: line longer than"
: >"$W/empty.txt"
run "$W/empty.txt"
check "empty file: exit 2" 2 "empty"
printf 'hello\nworld\n' >"$W/text.txt"
run "$W/text.txt"
check "no SS_ parameter at all: exit 2" 2 "no VOS3000 parameter"

# ---- merge ----
cat >"$W/site.profiles" <<'EOF'
defaults: { timeout_ringing = 60; };
profiles = (
  { name = "fast"; resend_interval = "0.25,0.5,1"; timeout_invite = 2.5; },
  { name = "vos3000"; extends = "fast"; send_retry = 1; },
  { name = "slow"; extends = "vos3000"; timeout_trying = 30; }
);
EOF
cp "$W/site.profiles" "$W/site.orig"
run --merge "$W/site.profiles" "$SAMPLE"
check "merge in place: exit 0" 0 "written to"
[ "$(grep -c 'name = ' "$W/site.profiles")" -eq 3 ] &&
	grep -q 'name = "fast";' "$W/site.profiles" &&
	grep -q 'name = "slow";' "$W/site.profiles"
verdict "merge keeps the other profiles, replaces vos3000 in place" "$W/site.profiles"
grep -A3 '^defaults' "$W/site.profiles" | grep -q 'timeout_ringing = 60;'
verdict "merge keeps the defaults group" "$W/site.profiles"
grep -q 'send_retry = 6;' "$W/site.profiles" &&
	! grep -q 'send_retry = 1;' "$W/site.profiles"
verdict "merge replaces the named profile's values" "$W/site.profiles"
valid "$W/site.profiles"
verdict "merged file validates"
cp "$W/site.profiles" "$W/site.before"
run -n carrier_b --merge "$W/site.profiles" -o "$W/site2.profiles" "$SAMPLE"
check "merge a new profile to -o: exit 0" 0
[ "$(grep -c 'name = ' "$W/site2.profiles")" -eq 4 ] &&
	grep -q 'name = "carrier_b";' "$W/site2.profiles"
verdict "merge adds a new profile" "$W/site2.profiles"
cmp -s "$W/site.profiles" "$W/site.before"
verdict "with -o the merge source is left as is"
printf 'profiles = ( { name = "x"; resend_interval = "0,1"; } );\n' >"$W/invalid.profiles"
cp "$W/invalid.profiles" "$W/invalid.orig"
run --merge "$W/invalid.profiles" "$SAMPLE"
check "merge into an invalid file refused: exit 2" 2 "refusing to merge"
cmp -s "$W/invalid.profiles" "$W/invalid.orig"
verdict "refused merge leaves the file untouched"
run --merge "$W/nope.profiles" "$SAMPLE"
check "merge into a missing file: exit 2" 2 "nope.profiles"
run --merge "$W/site.orig" "$W/bad.txt"
check "merge with invalid input: exit 2" 2 "SS_SIP_SEND_RETRY"
printf 'defaults: { send_retry = 4; };\n' >"$W/defs.profiles"
run -n v3 --merge "$W/defs.profiles" "$SAMPLE"
check "merge into a file without profiles: exit 0" 0
grep -q 'name = "v3";' "$W/defs.profiles" &&
	valid "$W/defs.profiles"
verdict "profiles list created, file validates" "$W/defs.profiles"

# ---- under valgrind: malformed input, memory errors and leaks ----
# vg NAME WANT_RC ARGS...: vos2kam under valgrind exits WANT_RC (not valgrind's own
# 99) and valgrind reports nothing: no invalid access, no byte lost (definite,
# indirect or possible). At most 120 s each: a load that blocks is a failure.
vg() {
	local name=$1 want=$2
	shift 2
	timeout 120 valgrind -q --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite,indirect,possible \
		--log-file="$W/vg.log" "$VOS2KAM" "$@" >"$W/out" 2>"$W/err"
	rc=$?
	if [ -s "$W/vg.log" ]; then
		not_ok "valgrind: $name" "$(head -c 1500 "$W/vg.log")"
	elif [ "$rc" -ne "$want" ]; then
		not_ok "valgrind: $name" "exit status $rc, expected $want; stderr: $(head -c 600 "$W/err")"
	else
		ok "valgrind: $name"
	fi
}
if ! command -v valgrind >/dev/null; then
	not_ok "valgrind is not installed (modules/deps.sh --need valgrind)"
else
	vg "bad number" 2 "$W/bad.txt"
	vg "11 intervals" 2 "$W/eleven.txt"
	vg "missing value" 2 "$W/missing.txt"
	vg "NUL byte" 2 "$W/nul.txt"
	vg "binary garbage" 2 "$W/garbage.bin"
	vg "invalid UTF-8" 2 "$W/latin.txt"
	vg "10 MB line" 2 "$W/big.txt"
	vg "10 MB line on stdin" 2 - <"$W/big.txt"
	vg "empty file" 2 "$W/empty.txt"
	vg "no SS_ parameter" 2 "$W/text.txt"
	printf '\xff\xfeS\0S\0_\0' >"$W/utf16.txt"
	vg "UTF-16" 2 "$W/utf16.txt"
	vg "missing file" 2 "$W/does-not-exist.txt"
	vg "switch limit 'Some'" 2 "$W/badlimit.txt"
	vg "--strict with warnings" 1 --strict -o "$W/vg-strict.profiles" "$SAMPLE"
	vg "the sample export" 0 -o "$W/vg-sample.profiles" "$SAMPLE"
	vg "merge into an invalid file" 2 --merge "$W/invalid.profiles" "$SAMPLE"
	# a syntax error at a string: libconfig 1.5 on its own loses the string's buffer
	printf 'profiles = ( { name = "a"; } "b" );\n' >"$W/string-error.profiles"
	vg "merge into a file with a syntax error at a string" 2 \
		--merge "$W/string-error.profiles" "$SAMPLE"
	grep -qF "string-error.profiles:1: syntax error" "$W/err"
	verdict "the syntax error named with file and line" "$W/err"
	# an @include of a FIFO: refused at once, naming file and line
	mkfifo "$W/fifo"
	printf 'defaults: {\n  send_retry = 3;\n@include "fifo"\n};\n' >"$W/fifo.profiles"
	vg "merge into a file that includes a FIFO" 2 --merge "$W/fifo.profiles" "$SAMPLE"
	grep -qF 'fifo.profiles:3: cannot open include file "fifo": not a regular file (a FIFO)' "$W/err"
	verdict "the FIFO named with the including file and line" "$W/err"
fi

echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
