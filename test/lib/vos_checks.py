# SPDX-License-Identifier: GPL-2.0-or-later
"""vos_checks.py: checks the e2e tests share beyond harness.py - per-call timelines,
what the caller received and when, kamailio's VOSTEST log lines, counters, shared
memory, profile files and the KEMI scripts. Functions take the harness Test (t) and
Gateway objects; instants are CLOCK_MONOTONIC ns like the harness's, or wall-clock
seconds where only the wall clock is known (sipp's message trace).

The tests start answering gateways with ring=20 (20 ms between 180 and 200): sent
back to back, the two replies may be relayed out of order by kamailio's two SIP
workers (a provisional is sent after the reply lock is released), and a 180 arriving
after the 200 leaves sipp waiting forever in its scenario.
"""
import datetime
import os
import re
import subprocess
import time

from harness import ROOT, rx_ns

VOS2KAM = os.environ.get("VOS2KAM", os.path.join(ROOT, "modules", "vostimer", "utils", "vos2kam", "vos2kam"))
EXPORT = os.path.join(ROOT, "etc", "vos3000-export.txt")


# failure_route text (relay.cfg's FAILOVER_ROUTE) that asks VOS3000's gateway-switch
# rules before the next gateway: on "no" the call ends with the best reply so far
# (the VOSTEST noswitch line names the gateway that was not tried)
NOSWITCH = ('if (!vos_failover()) {\n'
            '\t\txlog("L_NOTICE", "VOSTEST noswitch gw=$avp(gw) stop=$vos(stop) '
            'attempts=$vos(attempts) reason=$vos(reason)\\n");\n\t\texit;\n\t}\n'
            '\txlog("L_NOTICE", "VOSTEST switch gw=$avp(gw) stop=$vos(stop) '
            'attempts=$vos(attempts)\\n");')


# ---- gateways: per-call views ------------------------------------------------------
def calls(gw, method="INVITE"):
    """The requests gw received, grouped by Call-ID, in the order the calls arrived:
    [(call_id, [mono_ns, ...]), ...]."""
    order, by = [], {}
    for r in gw.requests(method):
        if r["call_id"] not in by:
            order.append(r["call_id"])
            by[r["call_id"]] = []
        by[r["call_id"]].append(rx_ns(r))
    return [(c, by[c]) for c in order]


def sent(gw, status, method="INVITE", call_id=None):
    """mono_ns of each response with that status gw sent."""
    return [r["mono_ns"] for r in gw.records("out") if r.get("status") == status
            and r["method"] == method and call_id in (None, r["call_id"])]


def first(gw, method="INVITE", call_id=None):
    arr = gw.arrivals(method, call_id)
    return arr[0] if arr else None


def expect_at(t, what, instant_ns, origin_ns, expected_s, tol_ms=15.0):
    """One instant, expected_s after origin_ns (both ns, may be None: a failure)."""
    if instant_ns is None or origin_ns is None:
        t.fail("%s: %s did not happen" % (what, "the instant" if instant_ns is None
                                           else "the origin"))
        return False
    return t.expect_times(what, [instant_ns], origin_ns, [expected_s], tol_ms)


# ---- the caller (sipp's message trace) -----------------------------------------------
_BLOCK = re.compile(r"^-{10,} (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+)\n(.*?)(?=^-{10,} |\Z)",
                    re.M | re.S)


def caller_trace(res):
    """sipp's -trace_msg as [(wall_s, 'in'|'out', first line)], in order."""
    out = []
    for stamp, body in _BLOCK.findall(res.get("msg", "")):
        wall = datetime.datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S.%f").timestamp()
        lines = [l for l in body.split("\n") if l.strip()]
        if len(lines) < 2:
            continue
        d = "in" if "received" in lines[0] else "out"
        out.append((wall, d, lines[1].strip()))
    return out


def caller_finals(res):
    """[(code, wall_s)] of the final responses (>= 200) the caller received."""
    out = []
    for w, d, l in caller_trace(res):
        m = re.match(r"SIP/2\.0 (\d{3})\b", l)
        if d == "in" and m and int(m.group(1)) >= 200:
            out.append((int(m.group(1)), w))
    return out


def wall_of(gw, method="INVITE", call_id=None):
    """Wall clock (s) of gw's first request of that method (to compare with sipp)."""
    for r in gw.requests(method, call_id):
        return r["wall"]
    return None


def expect_wall(t, what, wall_s, origin_wall_s, expected_s, tol_ms=50.0):
    """A wall-clock instant expected_s after origin, ±tol_ms (sipp logs wall time)."""
    if wall_s is None or origin_wall_s is None:
        t.fail("%s: no instant to compare" % what)
        return False
    d = (wall_s - origin_wall_s) * 1000.0
    ok = abs(d - expected_s * 1000.0) <= tol_ms
    msg = "%s: at %.1f ms, expected %.1f ms ±%g (%+.1f)" % (
        what, d, expected_s * 1000.0, tol_ms, d - expected_s * 1000.0)
    if ok:
        t.note(msg)
    else:
        t.fail(msg)
    return ok


# ---- kamailio's log -----------------------------------------------------------------
def vostest(t, kind):
    """The 'VOSTEST <kind> k=v k=v ...' lines of kamailio.log, as dicts, in order."""
    out = []
    for l in t.log_lines(r"VOSTEST %s\b" % re.escape(kind)):
        tail = l.split("VOSTEST %s" % kind, 1)[1]
        out.append(dict(re.findall(r"(\w+)=(\S*)", tail)))
    return out


def expect_log(t, pattern, n=1, what=None):
    """Exactly n kamailio.log lines match pattern (n=None: at least one)."""
    lines = t.log_lines(pattern)
    ok = bool(lines) if n is None else len(lines) == n
    t.check(ok, "%s: %d log lines match /%s/ (%s expected)%s" % (
        what or "log", len(lines), pattern, "some" if n is None else n,
        ("\n  " + "\n  ".join(lines[:6])) if lines else "; log tail:\n" + t.log_tail(8)))
    return lines


# ---- RPC: counters, memory, tm --------------------------------------------------------
def _kv(text):
    return dict(re.findall(r"^\s*([\w:.]+)\s*[:=]\s*(\S+)\s*$", text, re.M))


def vos_stats(t):
    """stats.get_statistics vostimer: (kex must be loaded: relay.cfg and kemi.cfg do) as
    {name: int} without the 'vostimer:' prefix."""
    rc, out = t.rpc("stats.get_statistics", "vostimer:")
    stats = {}
    for k, v in re.findall(r"vostimer:(\w+)\s*=\s*(-?\d+)", out):
        stats[k] = int(v)
    t.check(stats, "stats.get_statistics vostimer: gave no counter: %s" % out.strip())
    return stats


def mismatches(got, want):
    """["name=got (expected want)", ...] for each key of want whose value in got differs."""
    return ["%s=%s (expected %s)" % (k, got.get(k), v) for k, v in want.items()
            if got.get(k) != v]


def expect_counters(t, want, got=None):
    """Each counter of want has exactly that value in got (default: read now with
    vos_stats). Returns got."""
    got = vos_stats(t) if got is None else got
    bad = mismatches(got, want)
    t.check(not bad, "counters: " + ", ".join(bad))
    return got


def shmmem(t):
    """core.shmmem as {total, free, used, real_used, max_used, fragments}: ints."""
    return {k: int(v) for k, v in _kv(t.rpc("core.shmmem")[1]).items() if v.isdigit()}


def tm_stats(t):
    return {k: int(v) for k, v in _kv(t.rpc("tm.stats")[1]).items() if v.isdigit()}


def wait_idle(t, timeout=30.0):
    """Until tm holds no transaction and vostimer's heaps are empty; True if so."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        tm = tm_stats(t)
        heaps = _kv(t.rpc("vostimer.timers")[1])
        if tm.get("current", 1) == 0 and heaps.get("resend_entries") == "0" \
                and heaps.get("expire_entries") == "0":
            return True
        time.sleep(0.25)
    t.fail("still busy after %ds: tm.stats %s, vostimer.timers %s"
           % (timeout, tm_stats(t), _kv(t.rpc("vostimer.timers")[1])))
    return False


# ---- sipp statistics -----------------------------------------------------------------
def sipp_counts(t, res):
    """Successful and failed call totals from sipp's -trace_stat csv (last row)."""
    path = t.path(res["name"] + ".csv")
    try:
        with open(path) as f:
            rows = [l.rstrip("\n").split(";") for l in f if l.strip()]
    except OSError:
        return {}
    if len(rows) < 2:
        return {}
    head, last = rows[0], rows[-1]
    vals = dict(zip(head, last))
    out = {}
    for key, col in (("ok", "SuccessfulCall(C)"), ("failed", "FailedCall(C)"),
                     ("created", "TotalCallCreated")):
        try:
            out[key] = int(vals.get(col, ""))
        except ValueError:
            pass
    return out


# ---- files -----------------------------------------------------------------------------
def write_file(t, name, text):
    path = t.path(name)
    with open(path, "w") as f:
        f.write(text)
    return path


def profiles(t, name="vostimer.profiles", defaults=None, **profs):
    """Write a profile file: profiles(t, fast={"resend_interval": "0.5,0.5",
    "timeout_invite": 0}, ...); strings quoted, bools as true/false. Returns its path."""
    def val(v):
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, str):
            return '"%s"' % v
        return str(v)

    def body(d):
        return "".join("    %s = %s;\n" % (k, val(v)) for k, v in d.items())
    text = "# written by the test %s\n" % t.name
    if defaults:
        text += "defaults: {\n%s};\n" % body(defaults)
    items = []
    for pname, d in profs.items():
        items.append("  {\n    name = \"%s\";\n%s  }" % (pname.replace("_", "-"), body(d)))
    text += "profiles = (\n%s\n);\n" % ",\n".join(items)
    return write_file(t, name, text)


def vos2kam(t, out_name="vos3000.profiles", export=EXPORT, args=()):
    """Run the import tool on a VOS3000 export; returns (rc, path, stderr)."""
    out = t.path(out_name)
    p = subprocess.run([VOS2KAM, "-o", out] + list(args) + [export],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=20)
    with open(t.path("vos2kam.err"), "w") as f:
        f.write(p.stderr)
    return p.returncode, out, p.stderr


def lua_gateways(gws):
    """The gateways as a Lua list literal of URIs, in failover order."""
    return "{%s}" % ", ".join('"%s"' % g.uri() for g in gws)


def py_gateways(gws):
    return "[%s]" % ", ".join('"%s"' % g.uri() for g in gws)


def render_script(t, template, dest, **subst):
    """Render a KEMI script template from test/e2e/cfg/ into the out dir."""
    return t.render(template, t.path(dest), subst)



def expect_call(t, what, gw_from, gw_to, call_id, sends_s, failover_s, tol_ms=15.0):
    """One call's timeline (several calls share the gateways): gw_from got that call's
    INVITEs at sends_s (from its first) and gw_to its first at failover_s."""
    arr = gw_from.arrivals("INVITE", call_id)
    if not arr:
        t.fail("%s: %s got no INVITE of call %s" % (what, gw_from.name, call_id))
        return False
    ok = t.expect_times("%s: INVITE sends to %s" % (what, gw_from.name), arr, arr[0], sends_s,
                        tol_ms)
    return expect_at(t, "%s: failover %s -> %s" % (what, gw_from.name, gw_to.name),
                     first(gw_to, "INVITE", call_id), arr[0], failover_s, tol_ms) and ok


def call_ids(res):
    """The Call-IDs sipp sent, in order (from its message trace)."""
    seen = []
    for cid in re.findall(r"^Call-ID: (\S+)", res.get("msg", ""), re.M):
        if cid not in seen:
            seen.append(cid)
    return seen


def reload(t, check=True):
    """kamcmd vostimer.reload: (rc, output)."""
    return t.rpc("vostimer.reload", check=check)


# ---- the KEMI main flow, one scenario for every engine --------------------------

KEMI_ENGINES = {
    # engine: (script, placeholder suffix, gateways writer, module, statement end)
    "lua": ("relay.lua", "LUA", "lua_gateways", "app_lua", ""),
    "python": ("relay.py", "PY", "py_gateways", "app_python3", ""),
    "jsdt": ("relay.js", "JS", "py_gateways", "app_jsdt", ";"),  # a Python list is a JS array
}


def kemi_main_flow(t, engine):
    """t_failover_chain_per_route driven from a KEMI script (test/e2e/cfg/relay.<ext>):
    silent ("0.5,1,2": sends 0, 0.5, 1.5, resend_exhausted at 3.5 s) -> 100 to the 2nd
    copy (backup values "0.5,0.5", Trying 1.5 s: sends at 3.5 and 4.0, CANCEL and
    trying_timeout at 5.5 s) -> answering; the event callback runs once per ended
    branch; every VOSTEST line comes from the script of this engine."""
    script_name, sfx, gwfn, mod, end = KEMI_ENGINES[engine]
    gw1, gw2 = t.gateway("silent"), t.gateway("trying-after:2")
    gw3 = t.gateway("answer", ring=20)
    script = render_script(t, script_name, script_name,
                           GWS=globals()[gwfn]([gw1, gw2, gw3]),
                           **{"ROUTE_" + sfx: 'KSR.vostimer.vos_resend("0.5,1,2")' + end,
                              "FAILOVER_" + sfx: 'KSR.vostimer.vos_resend("0.5,0.5"); '
                              'KSR.vostimer.vos_timeouts("", "1.5", "")' + end})
    t.kamailio("kemi.cfg", vos={"timeout_invite": "0", "event_callback": "ksr_vostimer_event"},
               ENGINE=engine, KEMI_MODULE=mod + ".so", KEMI_MODNAME=mod, KEMI_SCRIPT=script)
    t.expect_sipp_ok(t.sipp("invite", final=200))
    t0 = first(gw1)
    t.expect_sends(gw1, [0, 0.5, 1.5])
    t.expect_times("gw2 INVITEs from the call's start", gw2.arrivals(), t0, [3.5, 4.0])
    t.expect_times("gw2's CANCEL from the call's start", gw2.arrivals("CANCEL"), t0, [5.5])
    t.expect_failover(gw1, gw3, 5.5)
    t.expect_failover_reason(gw2, "resend_exhausted", sends=3, stage="invite")
    t.expect_failover_reason(gw3, "trying_timeout", sends=2, stage="trying")
    got = [(f.get("gw"), f.get("reason"), f.get("schedule")) for f in vostest(t, "failure")]
    t.check(got == [("gw1", "resend_exhausted", "0.5,1,2"),
                    ("gw2", "trying_timeout", "0.5,0.5")],
            "ksr_failure_route saw (gw, reason, schedule) %s" % got)
    errors = t.log_lines(r"ERROR: " + mod)
    t.check(not errors, "the %s script failed:\n  %s" % (engine, "\n  ".join(errors[:4])))
    ev = [(e.get("reason"), e.get("sends")) for e in vostest(t, "event")]
    t.check(ev == [("resend_exhausted", "3"), ("trying_timeout", "2")],
            "ksr_vostimer_event calls (reason, sends): %s" % ev)
    engines = sorted(set(f.get("engine") for f in vostest(t, "failure") + vostest(t, "event")))
    t.check(engines == [engine], "VOSTEST lines come from the %s script: engines %s"
            % (engine, engines))


# ---- dispatcher: gateways from a dispatcher list, gateway profiles ------------------

# modparam("vostimer", "gateway_profile", ...): a branch's gateway profile is the
# vosprofile=<name> of its dispatcher destination's attrs (none when absent)
GATEWAY_PROFILE_PV = "$(xavp(_dsdst_=>attrs){param.value,vosprofile})"


def dispatcher_relay(t, entries, vos=None, modparams="", route="", failover_route="",
                     branch_route=""):
    """kamailio with test/e2e/cfg/dispatcher.cfg: the gateways from a dispatcher list of
    entries [(gw, attrs)] or [(gw, attrs, set)] (harness dispatcher_list: each line's
    attrs begin with name=<gw name>), the set picked by the callee's first digit (set
    1 otherwise), failover with ds_next_dst(). modparams may carry dispatcher's own
    (ds_ping_interval, ...)."""
    return t.kamailio("dispatcher.cfg", vos=vos, modparams=modparams, route=route,
                      failover_route=failover_route, BRANCH_ROUTE=branch_route,
                      DS_LIST=t.dispatcher_list(entries))


def ds_flags(t, gw):
    """The FLAGS dispatcher.list shows for gw's destination (e.g. "AP", "IP"), or None."""
    _, out = t.rpc("dispatcher.list")
    m = re.search(r"URI:\s*sip:127\.0\.0\.1:%d\b.*?FLAGS:\s*(\S+)" % gw.port, out, re.S)
    return m.group(1) if m else None


def wait_for(t, what, cond, timeout):
    """Poll cond() every 20 ms until it returns something true; that value, or a
    failure and None after timeout seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        v = cond()
        if v:
            return v
        time.sleep(0.02)
    t.fail("%s: not within %gs" % (what, timeout))
    return None


def sleep_until(instant_ns):
    """Sleep until a CLOCK_MONOTONIC instant (ns), e.g. a gateway's receive time + x."""
    left = (instant_ns - time.monotonic_ns()) / 1e9
    if left > 0:
        time.sleep(left)


# ---- late answers: one dialog per caller, ACK + BYE for every 200 that lost ---------
def caller_dialogs(res):
    """{Call-ID: [To tag of each 2xx to the INVITE the caller received, in order]}
    from sipp's message trace (retransmissions included: the same tag again)."""
    out = {}
    for _stamp, body in _BLOCK.findall(res.get("msg", "")):
        lines = [l.strip() for l in body.split("\n") if l.strip()]
        if len(lines) < 2 or "received" not in lines[0] \
                or not re.match(r"SIP/2\.0 2\d\d\b", lines[1]):
            continue
        hdr = {}
        for l in lines[2:]:
            name, _, val = l.partition(":")
            hdr.setdefault(name.strip().lower(), val.strip())
        if not hdr.get("cseq", "").endswith("INVITE"):
            continue
        tag = re.search(r";\s*tag=([^;\s]+)", hdr.get("to", hdr.get("t", "")))
        cid = hdr.get("call-id", hdr.get("i", ""))
        out.setdefault(cid, []).append(tag.group(1) if tag else "")
    return out


def expect_one_dialog_each(t, res, gws, ncalls):
    """Every call: the caller got 2xx from exactly one dialog (one To tag); every 200
    a gateway sent was ACKed, and each whose dialog the caller did not get was also
    ended with a BYE that the gateway answered. Returns (won, lost): the 200s that
    reached the caller and those the proxy ended."""
    dialogs = caller_dialogs(res)
    bad = ["%s: %d dialogs %s" % (c, len(set(tags)), sorted(set(tags)))
           for c, tags in dialogs.items() if len(set(tags)) != 1]
    t.check(len(dialogs) == ncalls and not bad,
            "the caller got 2xx for %d of %d calls; with more than one dialog: %d\n  %s"
            % (len(dialogs), ncalls, len(bad), "\n  ".join(bad[:5])))
    won = lost = 0
    problems = []
    for gw in gws:
        recs = gw.records(None)
        acks = {(r["call_id"], r.get("totag")) for r in recs
                if r["dir"] == "in" and r["method"] == "ACK" and r.get("status") is None}
        byes = {(r["call_id"], r.get("totag")) for r in recs
                if r["dir"] == "in" and r["method"] == "BYE" and r.get("status") is None}
        bye_ok = {(r["call_id"], r.get("totag")) for r in recs
                  if r["dir"] == "out" and r["method"] == "BYE" and r.get("status") == 200}
        oks = {(r["call_id"], r.get("totag")) for r in recs if r["dir"] == "out"
               and r["method"] == "INVITE" and r.get("status") == 200}
        for cid, tag in sorted(oks):
            winner = tag in dialogs.get(cid, [])
            won, lost = won + winner, lost + (not winner)
            if (cid, tag) not in acks:
                problems.append("%s: its 200 (tag %s) was never ACKed" % (gw.name, tag))
            if not winner and ((cid, tag) not in byes or (cid, tag) not in bye_ok):
                problems.append("%s: its 200 (tag %s) did not reach the caller and got "
                                "no BYE (answered)" % (gw.name, tag))
    t.check(not problems, "%d 200s left open:\n  %s" % (len(problems),
                                                        "\n  ".join(problems[:8])))
    return won, lost


# ---- the caller's CANCEL under each of tm's cancel_b_method values -----------------
def cancel_b_method_call(t, method, behaviour="deaf", cancel_ms=1000):
    """One call to a gateway that never answers the INVITE (deaf: it answers a CANCEL
    with 200 + 487; silent: nothing at all), list "0.5,1,2" (sends at 0, 0.5, 1.5 s,
    the branch's end at 3.5 s), tm's cancel_b_method `method`, the caller's CANCEL
    after cancel_ms. Returns (gw, caller's INVITE and 487 wall instants, CANCEL
    instants at the gateway relative to its first INVITE in s, the INVITE sends in s)."""
    gw = t.gateway(behaviour)
    t.kamailio(gws=[gw], route='vos_resend("0.5,1,2");',
               modparams='modparam("tm", "cancel_b_method", %d)' % method)
    res = t.sipp("cancel", cancel_ms=cancel_ms)
    t.expect_sipp_ok(res)
    trace = caller_trace(res)
    inv = [w for w, d, l in trace if d == "out" and l.startswith("INVITE ")]
    fin = [w for c, w in caller_finals(res) if c == 487]
    arr = gw.arrivals()
    t0 = arr[0] if arr else 0
    cancels = [(a - t0) / 1e9 for a in gw.arrivals("CANCEL")]
    sends = [(a - t0) / 1e9 for a in arr]
    t.require(inv and fin, "the caller's INVITE or 487 is missing from sipp's trace")
    return gw, inv[0], fin[0], cancels, sends


# ---- per-gateway figures -------------------------------------------------------------
def gateways(t, name=None):
    """kamcmd vostimer.gateways [name] as a dict: the table's figures and "list", a
    {gateway name: {field: str or dict}} of every gateway in it."""
    import rpc_out
    rc, out = t.rpc("vostimer.gateways", *([name] if name else []))
    top = rpc_out.kamcmd_struct(out) or {}
    lst = top.get("list", [])
    top["list"] = {g["name"]: g for g in (lst if isinstance(lst, list) else [lst])
                   if isinstance(g, dict)}
    return top


def nearest_rank(values, pct):
    """The pct-th percentile by nearest rank (ceil(pct * n / 100)), as vostimer
    computes it; None without values."""
    if not values:
        return None
    v = sorted(values)
    return v[max(1, min(len(v), (pct * len(v) + 99) // 100)) - 1]


def gw_truth(gw):
    """What a gateway's own log says about each INVITE branch it got: {tried,
    answered, busy, silent (no response sent), pdd_ms [first INVITE received -> first
    18x sent], answer_ms [-> 200 sent]}."""
    first_rx, out = {}, {}
    for r in gw.records(None):
        key = (r["call_id"], r["branch"])
        if r["dir"] == "in" and r.get("status") is None and r["method"] == "INVITE":
            first_rx.setdefault(key, rx_ns(r))
        elif r["dir"] == "out" and r.get("method") == "INVITE":
            out.setdefault(key, {}).setdefault(r["status"], r["mono_ns"])
    truth = {"tried": len(first_rx), "answered": 0, "busy": 0, "silent": 0,
             "pdd_ms": [], "answer_ms": []}
    for key, t0 in first_rx.items():
        st = out.get(key, {})
        if not st:
            truth["silent"] += 1
        p18 = [ns for code, ns in st.items() if 180 <= code <= 189]
        if p18:
            truth["pdd_ms"].append((min(p18) - t0) / 1e6)
        if 200 in st:
            truth["answered"] += 1
            truth["answer_ms"].append((st[200] - t0) / 1e6)
        if 486 in st or 600 in st:
            truth["busy"] += 1
    return truth


def prom_scrape(t, path="/metrics"):
    """GET http://127.0.0.1:<t.port><path> (xhttp_prom): {(metric, ((label, value),
    ...)): float}, labels sorted; the raw text in t.out/metrics.txt."""
    import urllib.request
    with urllib.request.urlopen("http://127.0.0.1:%d%s" % (t.port, path),
                                timeout=10) as resp:
        text = resp.read().decode()
    with open(t.path("metrics.txt"), "w") as f:
        f.write(text)
    got = {}
    for line in text.splitlines():
        m = re.match(r"^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)", line)
        if not m or line.startswith("#"):
            continue
        labels = tuple(sorted(re.findall(r'(\w+)="([^"]*)"', m.group(2) or "")))
        got[(m.group(1), labels)] = float(m.group(3))
    return got
