#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Typed RPC output over JSON-RPC and kamcmd. kamailio with ctl and jsonrpcs over HTTP
(xhttp; JSON-RPC 2.0 POSTed to /RPC, as curl would), and a profiles file: defaults
(send_retry 6, timeout_trying 2.5), "fast" (0.5,1,2, timeout_invite 0,
switch_until_connect) and "child" (extends fast; setup_budget 6.25,
gateway_switch_limit 3, stop_switch_after_sdp false, switch_stop_codes "503, 404").
Over JSON-RPC every member of every vostimer.* reply has its JSON type: integers (send_retry, gateway_switch_limit,
profiles, *_entries) are ints, seconds are numbers (2.5 a float), resend_interval an
array of numbers, switch_stop_codes an array of integers (sorted), "sets" (the keys
a profile sets itself) an array of names, the switch rules booleans, names, files and
the .from sources strings, reload's and check's warnings an array of strings; child's
values are exact and no value holds a quote (a warning, prose, no double quote).
kamcmd prints the same
values (arrays as blocks, booleans 1/0, no quote). Faults stay faults: 404 for an
unknown profile, 500 "file:line: ..." for a broken file (reload: "... - profiles in
force kept", and the profiles stay). vostimer.gateways after one call to a busy
gateway: the table's figures integers, the gateway's counters integers, asr a
number, pdd_ms / answer_ms objects of integers; an unknown gateway a 404."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc
import rpc_out

NUM = "number"  # seconds: int or float (a JSON writer prints 4.0 as 4), never a bool
CODES = "codes"  # an array of SIP codes (ints), empty when none
NAMES = "names"  # an array of strings (key names)
STRS = NAMES  # an array of strings, maybe empty (the sanity warnings)
KEYS = {"resend_interval": list, "send_retry": int, "timeout_invite": NUM,
        "timeout_trying": NUM, "timeout_session_progress": NUM,
        "timeout_session_progress_sdp": NUM, "timeout_ringing": NUM, "setup_budget": NUM,
        "gateway_switch_limit": int, "switch_stop_after_busy": bool,
        "switch_until_connect": bool, "stop_switch_after_sdp": bool,
        "switch_stop_codes": CODES}
PROFILE = dict(name=str, **KEYS, gives_up_after=NUM)  # + "extends": str when it has one
WITH_SRC = dict(PROFILE, extends=str, sets=NAMES, **{k + ".from": str for k in KEYS})
RESULT = {"ok": bool, "profiles": int, "file": str, "warnings": STRS}
TIMERS = {"resend_entries": int, "expire_entries": int}
DIST = "dist"  # {n, p50, p95, max}: integers
GWLIST = "gateways"  # an array of GATEWAY objects
GATEWAY = {"name": str, "tried": int, "answered": int, "busy": int, "rejected": int,
           "canceled": int, "asr": NUM, "asr_recent": NUM, "active": int,
           "pdd_ms": DIST, "answer_ms": DIST,
           **{r: int for r in ("resend_exhausted", "invite_timeout", "trying_timeout",
                               "session_progress_timeout", "session_progress_sdp_timeout",
                               "ringing_timeout", "setup_budget", "reply", "send_failed")}}
TABLE = {"gateway_max": int, "gateways": int, "evicted": int, "window_s": int,
         "window_samples": int, "list": GWLIST}

CHILD = {"name": "child", "extends": "fast", "resend_interval": [0.5, 1, 2],
         "send_retry": 6, "timeout_invite": 0, "timeout_trying": 2.5,
         "timeout_ringing": 120, "setup_budget": 6.25, "gateway_switch_limit": 3,
         "switch_stop_after_busy": True, "switch_until_connect": True,
         "stop_switch_after_sdp": False, "gives_up_after": 3.5,
         "timeout_session_progress": 20, "timeout_session_progress_sdp": 120,
         "switch_stop_codes": [404, 503],
         # what child sets itself or through fast (not defaults' send_retry)
         "sets": ["resend_interval", "timeout_invite", "setup_budget",
                  "gateway_switch_limit", "switch_until_connect",
                  "stop_switch_after_sdp", "switch_stop_codes"]}


def type_errors(where, obj, types, optional=()):
    """Members of obj missing, unexpected or of the wrong JSON type."""
    if not isinstance(obj, dict):
        return ["%s: not an object: %r" % (where, obj)]
    bad = ["%s: no %s" % (where, k) for k in types if k not in obj and k not in optional]
    for k, v in obj.items():
        want = types.get(k)
        if want is None:
            bad.append("%s: unexpected member %s=%r" % (where, k, v))
        elif want == NUM:
            if type(v) not in (int, float):
                bad.append("%s: %s=%r is %s, a number expected" % (where, k, v,
                                                                 type(v).__name__))
        elif want == CODES:
            if type(v) is not list or any(type(x) is not int for x in v):
                bad.append("%s: %s=%r is not an array of integers" % (where, k, v))
        elif want == NAMES:
            if type(v) is not list or any(type(x) is not str for x in v):
                bad.append("%s: %s=%r is not an array of strings" % (where, k, v))
        elif want == DIST:
            bad.extend(type_errors("%s.%s" % (where, k), v, dict.fromkeys(
                ("n", "p50", "p95", "max"), int)))
        elif want == GWLIST:
            if type(v) is not list:
                bad.append("%s: %s=%r is not an array" % (where, k, v))
            else:
                for i, g in enumerate(v):
                    bad.extend(type_errors("%s.%s[%d]" % (where, k, i), g, GATEWAY))
        elif want is list:
            if type(v) is not list or not v or any(type(x) not in (int, float) for x in v):
                bad.append("%s: %s=%r is not a non-empty array of numbers" % (where, k, v))
        elif type(v) is not want:
            bad.append("%s: %s=%r is %s, %s expected" % (where, k, v, type(v).__name__,
                                                        want.__name__))
    return bad


def quoted(obj, where):
    """String values (at any depth) that hold a quote character."""
    if isinstance(obj, str):
        return ["%s=%r" % (where, obj)] if '"' in obj or "'" in obj else []
    if isinstance(obj, list):
        return [q for i, x in enumerate(obj) for q in quoted(x, "%s[%d]" % (where, i))]
    if isinstance(obj, dict):
        return [q for k, x in obj.items() if k != "warnings"
                for q in quoted(x, "%s.%s" % (where, k))] + \
            ["%s.warnings=%r" % (where, w) for w in obj.get("warnings") or [] if '"' in w]
    return []


def kamcmd_differs(where, j, k):
    """kamcmd's text k against the JSON value j: the same value, as binrpc carries it."""
    if isinstance(j, dict):
        if not isinstance(k, dict) or set(j) != set(k):
            return ["%s: kamcmd members %s, JSON %s" % (where, sorted(k) if isinstance(
                k, dict) else k, sorted(j))]
        return [d for m in j for d in kamcmd_differs("%s.%s" % (where, m), j[m], k[m])]
    if isinstance(j, list):
        if not isinstance(k, list) or len(j) != len(k):
            return ["%s: kamcmd %r, JSON %r" % (where, k, j)]
        return [d for i in range(len(j))
                for d in kamcmd_differs("%s[%d]" % (where, i), j[i], k[i])]
    if isinstance(j, bool):
        ok = k == ("1" if j else "0")
    elif isinstance(j, (int, float)):
        try:
            ok = abs(float(k) - j) < 1e-9
        except (TypeError, ValueError):
            ok = False
    else:
        ok = k == j
    return [] if ok else ["%s: kamcmd %r, JSON %r" % (where, k, j)]


def fault(t, cmd, code, good, what):
    """cmd fails with code and a message good() accepts via kamcmd; over JSON-RPC with
    the same code and message (jsonrpcs cuts a fault's text to 127 characters)."""
    rc, out = t.rpc(*cmd, check=False)
    head = "error: %d - " % code
    msg = out.rstrip("\n")[len(head):] if out.startswith(head) else None
    t.check(msg is not None and good(msg), "kamcmd %s: %s; error %d %s expected"
            % (" ".join(cmd), out.strip(), code, what))
    doc, raw = rpc_out.jsonrpc(t, *cmd)
    err = doc.get("error") or {}
    t.check("result" not in doc and err.get("code") == code
            and err.get("message") == (msg or "")[:127],
            "JSON-RPC %s: %s; error %d %r expected" % (" ".join(cmd), raw.strip(), code,
                                                     (msg or "")[:127]))


def scenario(t):
    prof = vc.profiles(t, defaults={"send_retry": 6, "timeout_trying": 2.5},
                       fast={"resend_interval": "0.5,1,2", "timeout_invite": 0,
                             "switch_until_connect": True},
                       child={"extends": "fast", "setup_budget": 6.25,
                              "gateway_switch_limit": 3, "stop_switch_after_sdp": False,
                              "switch_stop_codes": "503, 404"})
    busy = t.gateway("reject:486")
    t.kamailio("jsonrpc.cfg", vos={"profiles_file": prof},
               route='if ($rm == "ACK") { t_check_trans(); exit; }\n'
               '\tif ($rm == "INVITE") { $du = "%s"; t_relay(); exit; }' % busy.uri())
    bad = []

    def call(method, *params, types=None, optional=()):
        """The command over JSON-RPC (typed) and kamcmd (same values); the result."""
        doc, raw = rpc_out.jsonrpc(t, method, *params)
        t.note("JSON-RPC %s %s:\n%s" % (method, " ".join(params), raw.rstrip()))
        if "result" not in doc:
            bad.append("JSON-RPC %s: no result: %s" % (method, raw.strip()))
            return None
        res = doc["result"]
        where = "JSON-RPC " + " ".join((method,) + params)
        if isinstance(res, list):
            for i, r in enumerate(res):
                bad.extend(type_errors("%s[%d]" % (where, i), r, types, optional))
        else:
            bad.extend(type_errors(where, res, types, optional))
        bad.extend("%s: quote in %s" % (where, q) for q in quoted(res, "result"))
        rc, out = t.rpc(method, *params)
        t.note("kamcmd %s %s:\n%s" % (method, " ".join(params), out.rstrip()))
        if '"' in out:
            bad.append("kamcmd %s: a quote in the output:\n%s" % (method, out))
        got = rpc_out.kamcmd_values(out)
        bad.extend(kamcmd_differs("kamcmd " + method, res if isinstance(res, list)
                                  else [res], got))
        return res

    # every profile, then one with its sources
    res = call("vostimer.profiles", types=dict(PROFILE, extends=str), optional=("extends",))
    names = [p.get("name") for p in res or []]
    t.check(names == ["defaults", "fast", "child"], "vostimer.profiles names: %s" % names)
    child = call("vostimer.profile", "child", types=WITH_SRC) or {}
    got = {k: child.get(k) for k in CHILD}
    t.check(got == CHILD, "vostimer.profile child: %s, expected %s" % (got, CHILD))
    t.check(type(child.get("timeout_trying")) is float and
            all(type(x) is float for x in child.get("resend_interval", [])[:1]),
            "2.5 s and 0.5 s are not JSON floats: %s" % child)
    want_src = {"send_retry.from": "defaults (%s:" % prof,
                "resend_interval.from": "extends fast (%s:" % prof,
                "setup_budget.from": "%s:" % prof, "timeout_ringing.from": "VOS3000 default"}
    srcs = {k: child.get(k) for k in want_src}
    t.check(all((v or "").startswith(want_src[k]) for k, v in srcs.items()),
            "vostimer.profile child sources: %s" % srcs)
    call("vostimer.profile", "defaults", types=WITH_SRC, optional=("extends",))

    # reload, check, timers
    for method, params in (("vostimer.reload", ()), ("vostimer.check", (prof,))):
        res = call(method, *params, types=RESULT) or {}
        warnings = res.pop("warnings", None) or []
        t.check(res == {"ok": True, "profiles": 3, "file": prof},
                "%s: %s, {ok: true, profiles: 3, file: %s} expected" % (method, res, prof))
        t.check(any(w.startswith("profile fast: timeout_invite 0: ") for w in warnings),
                "%s: no warning about profile fast's timeout_invite 0: %s" % (method, warnings))
    res = call("vostimer.timers", types=TIMERS)
    t.check(res == {"resend_entries": 0, "expire_entries": 0}, "vostimer.timers: %s" % res)

    # the per-gateway figures after one call to a busy gateway
    t.expect_sipp_ok(t.sipp("invite", final=486))
    vc.wait_idle(t)
    res = call("vostimer.gateways", types=TABLE) or {}
    gws = res.get("list") or [{}]
    t.check(len(gws) == 1 and gws[0].get("name") == "127.0.0.1:%d" % busy.port
            and gws[0].get("busy") == 1 and gws[0].get("asr") == 0,
            "vostimer.gateways after one busy call: %s" % res)
    call("vostimer.gateways", "127.0.0.1:%d" % busy.port, types=TABLE)

    # faults stay faults, with their messages, over both transports
    broken = vc.write_file(t, "broken.profiles", 'profiles = (\n  {\n    name = "x";\n'
                           '    resend_interval = "1,,1";\n  }\n);\n')
    with open(prof) as f:
        good = f.read()
    faults = [(("vostimer.profile", "nope"), 404, "no such profile: nope", "=="),
              (("vostimer.gateways", "nope"), 404, "no such gateway: nope", "=="),
              (("vostimer.check", broken), 500, "%s:4: resend_interval" % broken, "^")]
    for cmd, code, msg, how in faults:
        fault(t, cmd, code, lambda m: m == msg if how == "==" else m.startswith(msg), msg)
    vc.write_file(t, os.path.basename(prof), open(broken).read())
    fault(t, ("vostimer.reload",), 500, lambda m: m.startswith(prof + ":4: resend_interval")
          and m.endswith(" - profiles in force kept"),
          "%s:4: resend_interval ... - profiles in force kept" % prof)
    vc.write_file(t, os.path.basename(prof), good)
    doc, raw = rpc_out.jsonrpc(t, "vostimer.profile", "child")
    got = {k: (doc.get("result") or {}).get(k) for k in CHILD}
    t.check(got == CHILD, "vostimer.profile child after the failed reloads: %s" % got)

    for b in bad:
        t.fail(b)


Test(__file__, timeout=30).run(scenario)
