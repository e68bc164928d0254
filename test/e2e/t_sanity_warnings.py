#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Sanity warnings are said everywhere, never refused: kamailio with modparam vos_import
(etc/vos3000-export.txt: SS_SIP_TIMEOUT_INVITE 8 on line 7), tm's max_inv_lifetime at
100 s, and a profiles file whose defaults group sets timeout_invite 12 over the imported
8, profile "cut" (0.5,1,2,4,4,4 with timeout_invite 4: the sends at 7.5 and 11.5 s are
never made), "long" (timeout_ringing 100 s, as long as tm's lifetime) and "fine" (no
warning). Start-up logs each warning once, worded with the profile keys and the
profile's name; vostimer.check of the file answers ok with the same texts in
"warnings" (over kamcmd and JSON-RPC), and of another file with that file's own
warnings; vostimer.reload answers ok with them and logs them again."""
import os, re, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc
import rpc_out

CUT = ("profile cut: timeout_invite 4 s ends the INVITE stage before the schedule: "
       "sends after 3.5 s (2 of 6) are never made; a silent gateway fails with "
       "invite_timeout at 4 s, not resend_exhausted at 15.5 s")
LONG = ("profile long: timeout_ringing 100 s is beyond tm's max_inv_lifetime 100 s "
        "(counted from the first send): unless max_inv_lifetime is raised, tm ends the "
        "transaction first")
LIMIT = ("profile one-gw: gateway_switch_limit 1: only one gateway is tried per call, "
         "so no failover happens")


def line_of(path, text):
    with open(path) as f:
        for n, line in enumerate(f, 1):
            if text in line:
                return n
    return 0


def kamcmd_result(t, *cmd):
    """kamcmd's reply as text, checked to be a passed result (ok: 1), not a fault."""
    rc, out = t.rpc(*cmd)
    t.check(rpc_out.answered_ok(out), "kamcmd %s did not answer ok: %s"
            % (" ".join(cmd), out.strip()))
    return out


def json_warnings(t, method, *params):
    """The result's "warnings" over JSON-RPC, after checking ok is true."""
    doc, raw = rpc_out.jsonrpc(t, method, *params)
    res = doc.get("result") or {}
    t.check(res.get("ok") is True and isinstance(res.get("warnings"), list)
            and all(isinstance(w, str) for w in res["warnings"]),
            "JSON-RPC %s: ok and an array of strings \"warnings\" expected: %s"
            % (method, raw.strip()))
    return res.get("warnings") or []


def scenario(t):
    prof = vc.profiles(t, defaults={"timeout_invite": 12},
                       cut={"resend_interval": "0.5,1,2,4,4,4", "timeout_invite": 4},
                       long={"timeout_ringing": 100},
                       fine={"resend_interval": "0.5,1,2,4", "timeout_invite": 10,
                             "timeout_ringing": 60})
    line = line_of(prof, "timeout_invite = 12;")
    override = ("defaults group sets timeout_invite (%s:%d), overriding the value "
                "imported from %s:7" % (prof, line, vc.EXPORT))
    t.kamailio("jsonrpc.cfg", vos={"vos_import": vc.EXPORT, "profiles_file": prof},
               modparams='modparam("tm", "max_inv_lifetime", 100000)')

    # start-up: each warning once, with the file it came from
    for text in (CUT, LONG, override):
        vc.expect_log(t, r"WARNING: .*%s: %s$" % (re.escape(prof), re.escape(text)), 1,
                      "start-up warning")
    t.check(not t.log_lines(r"WARNING: .*profile fine:"),
            "profile fine was warned about:\n  " + "\n  ".join(t.log_lines("profile fine:")))

    # vostimer.check: ok, the same warnings (kamcmd prints each on a line of its own)
    out = kamcmd_result(t, "vostimer.check", prof)
    lines = [l.strip() for l in out.split("\n")]
    for text in (CUT, LONG, override):
        t.check(text in lines, "kamcmd vostimer.check: no warning line %r in:\n%s"
                % (text, out))
    got = json_warnings(t, "vostimer.check", prof)
    for text in (CUT, LONG, override):
        t.check(text in got, "JSON-RPC vostimer.check: %r not in warnings %s" % (text, got))
    t.check(not [w for w in got if w.startswith("profile fine:")],
            "vostimer.check warned about profile fine: %s" % got)

    # another file: its own warnings, still ok; the profiles in force stay
    other = vc.profiles(t, name="other.profiles", one_gw={"gateway_switch_limit": 1})
    got = json_warnings(t, "vostimer.check", other)
    t.check(LIMIT in got and CUT not in got and not [w for w in got if "defaults group" in w],
            "vostimer.check of another file: warnings %s" % got)
    rc, shown = t.rpc("vostimer.profile", "cut")
    t.check((rpc_out.kamcmd_struct(shown) or {}).get("timeout_invite") == "4",
            "after vostimer.check, profile cut is: %s" % shown.strip())

    # vostimer.reload: ok, the warnings in the reply and in the log
    out = kamcmd_result(t, "vostimer.reload")
    lines = [l.strip() for l in out.split("\n")]
    for text in (CUT, LONG, override):
        t.check(text in lines, "kamcmd vostimer.reload: no warning line %r in:\n%s"
                % (text, out))
        vc.expect_log(t, r"WARNING: .*vostimer\.reload: %s$" % re.escape(text), 1,
                      "reload warning")
    got = json_warnings(t, "vostimer.reload")
    t.check(CUT in got and override in got, "JSON-RPC vostimer.reload: warnings %s" % got)


Test(__file__, timeout=20).run(scenario)
