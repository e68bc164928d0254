#!/usr/bin/env python3
"""no shared-memory leak under load: 1,000 calls - 700 answered at once (50 cps) and
300 (30 cps, in parallel) whose first branch goes to a silent gateway with
vos_resend("0.2,0.3") (resend_exhausted at 0.5 s) then fails over to the answering
one. Once tm holds no transaction and vostimer's heaps are empty, core.shmmem
used/real_used are within 16 KiB of the figures taken after a warm-up of 20 calls;
every call succeeded and the counters add up (300 resend_exhausted during the
load, retransmissions == what the silent gateway saw, 0 scheduled)."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc

TOL = 16384
ANSWERED, SILENT = 700, 300
ROUTE = 'if ($rU == "sil") { vos_resend("0.2,0.3"); } else { $avp(hop) = 2; route(GATEWAY); }'


def batch(t, tag, answered, silent, rate_a, rate_s):
    a = t.sipp("invite", user="ans", calls=answered, rate=rate_a, limit=300, hold_ms=100,
               name="sipp-ans-" + tag, wait=False)
    s = t.sipp("invite", user="sil", calls=silent, rate=rate_s, limit=300, hold_ms=100,
               name="sipp-sil-" + tag, wait=False)
    out = []
    for p, n in ((a, "sipp-ans-" + tag), (s, "sipp-sil-" + tag)):
        res = t.wait_sipp(p, n, 60)
        t.expect_sipp_ok(res)
        out.append(vc.sipp_counts(t, res))
    return out


def scenario(t):
    silent, live = t.gateway("silent"), t.gateway("answer", ring=20)
    t.kamailio(gws=[silent, live], route=ROUTE)
    batch(t, "warmup", 10, 10, 10, 10)
    vc.wait_idle(t)
    stats0 = vc.vos_stats(t)
    before = vc.shmmem(t)
    counts = batch(t, "load", ANSWERED, SILENT, 50, 30)
    t.note("sipp answered: %s, via the silent gateway: %s" % tuple(counts))
    for c, n in zip(counts, (ANSWERED, SILENT)):
        t.check(c.get("ok") == n and c.get("failed") == 0,
                "sipp counted %s; %d successful, 0 failed expected" % (c, n))
    vc.wait_idle(t, 40)
    after = vc.shmmem(t)
    for key in ("used", "real_used"):
        d = after.get(key, 0) - before.get(key, 0)
        msg = "shm %s before %d, after %d calls %d: %+d bytes (tolerance %d)" % (
            key, before.get(key, 0), ANSWERED + SILENT, after.get(key, 0), d, TOL)
        t.note(msg)
        t.check(abs(d) <= TOL, msg)
    stats = vc.vos_stats(t)
    delta = {k: stats.get(k, 0) - stats0.get(k, 0) for k in stats}
    t.note("counters during the load: %s" % delta)
    want = {"resend_exhausted": SILENT, "invite_timeout": 0}
    bad = ["%s=%s (expected %s)" % (k, delta.get(k), v) for k, v in want.items()
           if delta.get(k) != v]
    seen = sum(len(arr) - 1 for _, arr in vc.calls(silent))
    if stats.get("retransmissions") != seen:
        bad.append("retransmissions=%s (the silent gateway saw %d)"
                   % (stats.get("retransmissions"), seen))
    t.check(not bad and stats.get("scheduled") == 0,
            "counters: %s, scheduled=%s" % (", ".join(bad) or "ok", stats.get("scheduled")))


Test(__file__, timeout=120).run(scenario)
