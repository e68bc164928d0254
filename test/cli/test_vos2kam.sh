#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Shell tests of the vos2kam binary: each exit status, stdin, the report, --strict,
# merging that keeps other profiles, and malformed input (bad number, 11 intervals,
# missing value, binary garbage, a 10 MB line) refused with exit 2, never a crash; the
# tolerant reading of pasted exports (CSV, Chinese value words, full-width characters,
# empty cells); every source of routing gateways - a real MariaDB server started here
# (test/lib/vosdb.sh, once for the file), its mysqldump and a GetGatewayRouting
# response (test/fixtures/vos3000/); then the malformed inputs again under valgrind
# (memcheck, full leak check): the same exit status and not one error or lost byte.
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
FIX=$TOP/test/fixtures/vos3000
VOSDB=$TOP/test/lib/vosdb.sh
W=$(mktemp -d "${TMPDIR:-/tmp}/vos2kam-test.XXXXXX")
trap '"$VOSDB" stop "$W/db" >/dev/null 2>&1; rm -rf "$W"' EXIT
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

# ---- tolerant reading of pasted exports ----
printf 'Name,Value,Default value,Description\r\n"SS_SIP_RESEND_INTERVAL","0.5,1,2","0.5,1,2,4,4,4,4,4,4,4","Resend, in s"\r\nSS_SIP_TIMEOUT_INVITE,8,10,Timeout\r\n2,SS_SIP_SEND_RETRY,2,10\r\nSS_SIP_TIMEOUT_RINGING,,120,empty cell\r\n' >"$W/export.csv"
run -o "$W/csv.profiles" "$W/export.csv"
check "CSV export: exit 0" 0 'SS_SIP_RESEND_INTERVAL = 0.5,1,2 (line 2) -> resend_interval "0.5,1,2"'
grep -qF 'SS_SIP_TIMEOUT_RINGING = (no value) (line 5) -> not set: the value is empty (timeout_ringing keeps its base value)' "$W/err" &&
	grep -q 'send_retry = 2;' "$W/csv.profiles" && grep -q 'timeout_invite = 8;' "$W/csv.profiles" &&
	grep -q 'timeout_ringing = 120;' "$W/csv.profiles"
verdict "CSV: row numbers, quoted cells, an empty cell is not set" "$W/err"
printf 'SS_GATEWAY_SWITCH_LIMIT\t无限制\tNone\t最大网关数\nSS_GATEWAY_SWITCH_UNTIL_CONNECT\t开\t关\tx\nSS_GATEWAY_SWITCH_STOP_AFTER_USER_BUSY\t关闭\t开\tx\n' >"$W/zh.txt"
run -o "$W/zh.profiles" "$W/zh.txt"
check "Chinese value words: exit 0" 0 'SS_GATEWAY_SWITCH_LIMIT = 无限制 (line 1) -> gateway_switch_limit 0 (无限制 read as None: no cap on gateways per call)'
grep -q 'switch_until_connect = true;' "$W/zh.profiles" && grep -q 'switch_stop_after_busy = false;' "$W/zh.profiles"
verdict "Chinese value words: 开 on, 关闭 off" "$W/zh.profiles"
printf 'SS_SIP_TIMEOUT_INVITE=无限制\n' >"$W/zhbad.txt"
run "$W/zhbad.txt"
check "a Chinese word with no clear meaning for a timeout: exit 2" 2 'zhbad.txt:1: SS_SIP_TIMEOUT_INVITE "无限制": value "无限制" at offset 1: not a number'
iconv -f UTF-8 -t UTF-8 "$W/err" >/dev/null 2>&1
verdict "the message is clean UTF-8" "$W/err"
printf 'SS_SIP_RESEND_INTERVAL\t0.5，1，2，4\t0.5,1,2,4,4,4,4,4,4,4\t重发间隔（秒）\nSS_SIP_TIMEOUT_INVITE=１０\n' >"$W/fw.txt"
run -o "$W/fw.profiles" "$W/fw.txt"
check "full-width digits and commas: exit 0" 0 "warning: line 1: full-width '，' (U+FF0C) at column 27 read as ',', and 2 more on the line"
grep -qF "warning: line 2: full-width '１' (U+FF11) at column 23 read as '1', and 1 more on the line" "$W/err" &&
	grep -q 'resend_interval = "0.5,1,2,4";' "$W/fw.profiles" && grep -q 'timeout_invite = 10;' "$W/fw.profiles" &&
	! grep -q 'line 1: full-width .（' "$W/err"
verdict "full-width: normalized with a warning naming the column in characters" "$W/err"
run --strict -o "$W/fw2.profiles" "$W/fw.txt"
check "full-width with --strict: exit 1" 1 "--strict: nothing written"
printf 'SS_SIP_RESEND_INTERVAL=0.5、1、2\n' >"$W/ideo.txt"
run "$W/ideo.txt"
check "ideographic comma: exit 2, the value quoted whole" 2 'ideo.txt:1: SS_SIP_RESEND_INTERVAL "0.5、1、2": element 1 "0.5、1、2" at offset 1'
iconv -f UTF-8 -t UTF-8 "$W/err" >/dev/null 2>&1 && ! grep -q '???' "$W/err"
verdict "ideographic comma: clean UTF-8, no ???" "$W/err"
run -o "$W/ss.profiles" "$FIX/softswitch.conf"
check "softswitch.conf: exit 0" 0 'SS_SIP_TIMEOUT_TRYING = 5 (line 7) -> timeout_trying 5'
grep -qF 'SS_SIP_PORT = 5060,6060 (line 4) -> not mapped' "$W/err" &&
	grep -q 'timeout_trying = 5;' "$W/ss.profiles"
verdict "softswitch.conf: quoted and unquoted values" "$W/err"

# ---- routing gateways: usage ----
run --dispatcher "$W/x.list" "$SAMPLE"
check "--dispatcher without gateways: exit 2" 2 "--dispatcher needs gateways"
run --merge "$W/site.orig" "$FIX/GetGatewayRouting.json"
check "--merge with gateways: exit 2" 2 "--merge adds one profile"
run "$FIX/GetGatewayRouting.json" "$FIX/vos3000-gateways.sql"
check "two sources of gateways: exit 2" 2 "a second source of gateways"
run --db 'mysql://vosread:secret@localhost/vos3000'
check "a password in the --db URL is refused: exit 2" 2 "a password in the URL is refused"
run --db 'postgres://x@localhost/vos3000'
check "not a mysql:// URL: exit 2" 2 'expected mysql://'

# ---- routing gateways: GetGatewayRouting JSON ----
run -o "$W/json.profiles" -D "$W/json.list" "$FIX/softswitch.conf" "$FIX/GetGatewayRouting.json"
check "JSON + softswitch.conf: exit 0" 0 'defaults and 4 gateway profiles written'
grep -qF 'gateway "GW-X 电信" (' "$W/err" &&
	grep -qF '  timeoutTrying = 3 -> timeout_trying 3 (trying stage ends after 3 s)' "$W/err" &&
	grep -qF '  timeoutInvite = 0 -> timeout_invite inherited (0 = the system value): 10 from defaults' "$W/err" &&
	grep -qF '  switchAllowBusy = false -> switch_stop_after_busy true (the API'"'"'s "allow" false is the rule on)' "$W/err" &&
	grep -qF '  switchAllowErrorCode = false -> not mapped: switching stops after listed error codes, but the API does not give the list' "$W/err" &&
	grep -qF '  timeoutSetup = 0 -> not mapped: H.323 stage timeout' "$W/err"
verdict "JSON report: mapped, inherited and not mapped, each with why" "$W/err"
sed -n '/name = "GW_X";/,/}/p' "$W/json.profiles" >"$W/gwx"
grep -q 'timeout_trying = 3;' "$W/gwx" && ! grep -q 'timeout_invite' "$W/gwx" &&
	grep -q 'defaults: {' "$W/json.profiles" &&
	sed -n '/^defaults/,/^}/p' "$W/json.profiles" | grep -q 'timeout_trying = 5;'
verdict "JSON: gateway X sets its own trying timeout only; defaults hold the system values" "$W/json.profiles"
grep -qx '1 sip:127.0.0.1:5071 0 2 name=GW_X;vosprofile=GW_X' "$W/json.list" &&
	grep -qx '1 sip:127.0.0.1:5072 0 1 name=GW_Y;vosprofile=GW_Y' "$W/json.list" &&
	[ "$(grep -vc '^#' "$W/json.list")" -eq 2 ]
verdict "JSON: dispatcher list of the two static SIP gateways, vosprofile= attrs" "$W/json.list"
grep -qF 'profile "GW_X_2" (name taken by an earlier gateway: made unique), no dispatcher line: registerType 2' "$W/err" &&
	grep -qF 'profile "gw_4" (name sanitized to letters, digits and _), no dispatcher line: protocol 0 is not SIP' "$W/err"
verdict "JSON: names sanitized and made unique; registering and H.323 gateways get no line" "$W/err"
valid "$W/json.profiles"
verdict "JSON: the profile file loads in the module's loader"
printf '{"retCode": -1, "exception": "用户未登录", "infoGatewayRoutings": []}' >"$W/ret.json"
run "$W/ret.json"
check "JSON retCode -1: exit 2 with VOS3000's exception" 2 'ret.json:1:13: retCode -1: VOS3000 refused the request: 用户未登录'
printf '{"infoGatewayRoutings": [\n {"name": "电信网关", "timeoutTrying": 3,, }\n]}' >"$W/syntax.json"
run "$W/syntax.json"
check "JSON syntax error: line and column in characters" 2 'syntax.json:2:38: expected a member name in quotes'
printf '[{"name": "a", "remoteIp": "10.0.0.1", "timeoutTrying": "３", "stopSwitchSipCodes": "４０４，５０３", "dtmfMode": 1, "callerLimit": 5}]' >"$W/odd.json"
run -o "$W/odd.profiles" "$W/odd.json"
check "JSON: bare array, unknown field: exit 0 with a warning" 0 'warning: field not among the published VOS3000 fields, not understood and ignored: callerLimit'
grep -qF 'dtmfMode = 1 -> not mapped: DTMF' "$W/err" &&
	grep -qF 'stopSwitchSipCodes = ４０４，５０３ -> switch_stop_codes "404,503" (full-width characters read as ASCII)' "$W/err" &&
	grep -q 'timeout_trying = 3;' "$W/odd.profiles"
verdict "JSON: DTMF not mapped, full-width digits read, names matched case-insensitively" "$W/err"
run --strict -o "$W/odd2.profiles" "$W/odd.json"
check "JSON: a field not understood with --strict: exit 1" 1 "--strict: nothing written"
printf '[{"name": "b", "timeoutTrying": -3}]' >"$W/neg.json"
run "$W/neg.json"
check "JSON: a negative timeout: exit 2 naming gateway, field, value and place" 2 'neg.json:1:2: gateway "b": timeoutTrying "-3": negative'

# ---- routing gateways: mysqldump ----
run -o "$W/dump.profiles" "$FIX/softswitch.conf" "$FIX/vos3000-gateways.sql"
check "mysqldump + softswitch.conf: exit 0" 0 'joined on e_gatewayroutingsetting.gatewayrouting_id = e_gatewayrouting.id'
grep -qF '  stopswitchafteruserbusy = 1 -> switch_stop_after_busy true' "$W/err" &&
	grep -qF '  stopswitchsipcodes = 404,503 -> switch_stop_codes "404,503"' "$W/err" &&
	grep -qF '  switchuntilconnect = 0 -> switch_until_connect inherited (0 = the system value): false from defaults' "$W/err" &&
	grep -qF '  stopswitchafterrtpstart = 1 -> not mapped: Kamailio does not see the media' "$W/err"
verdict "mysqldump report: the database's stop... columns, 0 inherits" "$W/err"
sed -n '/name = "GW_Y";/,/}/p' "$W/dump.profiles" | grep -c ' = ' | grep -qx 1
verdict "mysqldump: gateway Y, all 0, sets nothing of its own" "$W/dump.profiles"
run -o "$W/dump2.profiles" "$FIX/softswitch.conf" - <"$FIX/vos3000-gateways.sql"
check "mysqldump on stdin: exit 0" 0 "defaults and 4 gateway profiles"
printf -- '-- MySQL dump\nINSERT INTO `e_gatewayrouting` VALUES (1,'"'"'a'"'"');\n' >"$W/nocols.sql"
run "$W/nocols.sql"
check "mysqldump INSERT without columns: exit 2" 2 'nocols.sql:2: INSERT without column names'
printf -- '-- MySQL dump\nCREATE TABLE e_cdr_20240101 (id int);\nINSERT INTO e_cdr_20240101 VALUES (1);\n' >"$W/other.sql"
run "$W/other.sql"
check "mysqldump without the gateway tables: exit 2" 2 'no table e_gatewayrouting in the dump'

# ---- routing gateways: a live MariaDB (one server for all of these) ----
if "$VOSDB" start "$W/db" >"$W/db.env" 2>"$W/db.err"; then
	ok "MariaDB test server started ($(tr '\n' ' ' <"$W/db.env"))"
	. "$W/db.env"
	run -o "$W/db.profiles" -D "$W/db.list" --db-option-file "$W/db/vosread.cnf" \
		--db "mysql://localhost/vos3000?socket=$SOCKET" "$FIX/softswitch.conf"
	check "--db over the socket, password from an option file: exit 0" 0 "gateways: 4 from database vos3000 on Localhost via UNIX socket"
	cp "$W/err" "$W/db.report"
	grep -qF 'gateway "GW-X 电信" (e_gatewayrouting row 1) -> profile "GW_X" (name sanitized to letters, digits and _), dispatcher sip:127.0.0.1:5071' "$W/err" &&
		grep -qF '  timeouttrying = 3 -> timeout_trying 3 (trying stage ends after 3 s)' "$W/err" &&
		grep -qF '  timeouttrying = 0 -> timeout_trying inherited (0 = the system value): 5 from defaults' "$W/err" &&
		grep -qF '  stopswitchsipcodes = NULL -> switch_stop_codes inherited (NULL)' "$W/err"
	verdict "--db report: per gateway, mapped, inherited and not mapped" "$W/err"
	diff <(sed 's/ *#.*//' "$W/db.profiles" | grep .) <(sed 's/ *#.*//' "$W/dump.profiles" | grep .) >"$W/diff" 2>&1
	verdict "--db and its mysqldump give the same profiles" "$W/diff"
	grep -qx '1 sip:127.0.0.1:5071 0 2 name=GW_X;vosprofile=GW_X' "$W/db.list"
	verdict "--db: dispatcher list" "$W/db.list"
	valid "$W/db.profiles"
	verdict "--db: the profile file loads in the module's loader"
	MYSQL_PWD=$(cat "$W/db/vosread.pw") "$VOS2KAM" --db "mysql://vosread@127.0.0.1:$PORT" \
		-o "$W/tcp.profiles" "$FIX/softswitch.conf" >"$W/out" 2>"$W/err"
	rc=$?
	check "--db over TCP, no database named, password from MYSQL_PWD: exit 0" 0 "database vos3000 on 127.0.0.1"
	cmp -s <(grep -v '^#' "$W/tcp.profiles") <(grep -v '^#' "$W/db.profiles")
	verdict "TCP and socket read the same"
	MYSQL_PWD=wrong "$VOS2KAM" --db "mysql://vosread@127.0.0.1:$PORT/vos3000" >"$W/out" 2>"$W/err"
	rc=$?
	check "--db with a wrong password: exit 2" 2 "database: cannot connect to mysql://vosread@127.0.0.1:$PORT/vos3000"
	"$VOSDB" sql "$W/db" "ALTER TABLE vos3000.e_gatewayroutingsetting ADD COLUMN calllevel int NOT NULL DEFAULT 0; UPDATE vos3000.e_gatewayroutingsetting SET timeoutringing = 99999 WHERE gatewayrouting_id = 2" 
	run --db-option-file "$W/db/vosread.cnf" --db "mysql://localhost/vos3000?socket=$SOCKET"
	check "--db: a timeout above 3600 s: exit 2 naming gateway, column, value, row" 2 'e_gatewayrouting row 2: gateway "GW-Y": timeoutringing "99999": value "99999" at offset 1: above 3600 s'
	"$VOSDB" sql "$W/db" "UPDATE vos3000.e_gatewayroutingsetting SET timeoutringing = 0 WHERE gatewayrouting_id = 2"
	run --strict --db-option-file "$W/db/vosread.cnf" --db "mysql://localhost/vos3000?socket=$SOCKET"
	check "--db: a column not understood, --strict: exit 1" 1 'not understood and ignored: calllevel'
	n=$("$VOSDB" sql "$W/db" "SELECT COUNT(*) FROM vos3000.e_gatewayrouting; SELECT COUNT(*) FROM vos3000.e_gatewayroutingsetting" | grep -c '^4$')
	[ "$n" -eq 2 ]
	verdict "--db: the database is left as it was (read-only)"
	"$VOSDB" stop "$W/db"
	! kill -0 "$PID" 2>/dev/null
	verdict "MariaDB test server stopped by its PID"
else
	not_ok "MariaDB test server (test/lib/vosdb.sh; make deps installs mariadb-server)" "$(cat "$W/db.err")"
fi
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
