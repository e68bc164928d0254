#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""siptrace mirrors vostimer's retransmissions exactly as it mirrors tm's own.

cfg/siptrace.cfg, one silent gateway, siptrace duplicating raw SIP (duplicate_uri,
hep_mode_on 0, no database) to a sink (a second silent gw.py that logs every copy).
Four runs, one kamailio each:
  engine  vostimer  vos_resend("0.5,0.5,1"): sends at 0, 0.5, 1 s (give-up at 2 s)
          tm        vostimer not loaded, tm retransmits by itself: retr_timer1 500,
                    retr_timer2 500, fr_timer 1200: sends at 0, 0.5, 1 s (408 at 1.2 s)
  trace   core      trace_mode 4 (core send/receive callbacks): every datagram
                    kamailio sends is mirrored - both engines: 3 copies of the INVITE
          tmcb      sip_trace_mode("t") (tm callbacks): siptrace's TMCB_REQUEST_SENT
                    callback (trace_onreq_out) returns at once on TMCB_RETR_F, which
                    tm's retransmission_handler and vostimer's do_resend both pass:
                    both engines: 1 copy (the first send) only
A copy counts when it is an INVITE with the call's Call-ID and the top Via branch
the gateway saw (the caller's INVITE, mirrored too, has sipp's branch).
Parity: per trace setup, the vostimer run's copies == the tm run's copies."""
import os, shutil, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test

SENDS = [0, 0.5, 1.0]
EXPECTED_COPIES = {"core": 3, "tmcb": 1}
TM_PARAMS = "\n".join('modparam("tm", "%s", %d)' % kv for kv in
                      (("retr_timer1", 500), ("retr_timer2", 500), ("fr_timer", 1200)))


def one_run(t, engine, trace):
    run = "%s-%s" % (engine, trace)
    gw = t.gateway("silent", name="gw-" + run)
    sink = t.gateway("silent", name="sink-" + run)
    args = ["-A", "TRACE_CORE"] if trace == "core" else []
    if engine == "vostimer":
        args += ["-A", "WITH_VOSTIMER"]
    with open(t.path("kamailio.log"), "a") as f:
        f.write("==== run %s ====\n" % run)
    t.kamailio("siptrace.cfg", gws=[gw], args=args, SINK_PORT=sink.port,
               TM_PARAMS=TM_PARAMS,
               route='vos_resend("0.5,0.5,1");' if engine == "vostimer" else "")
    shutil.copy(t.path("kamailio.cfg"), t.path("kamailio-%s.cfg" % run))
    t.expect_sipp_ok(t.sipp("invite", final=408, name="sipp-" + run))
    t.sleep(0.3)  # the sink writes its last copies
    t.stop_kamailio()

    reqs = gw.requests("INVITE")
    t.require(reqs, "%s: the gateway received no INVITE" % run)
    call_id, branch = reqs[0]["call_id"], reqs[0]["branch"]
    t.check(all(r["branch"] == branch for r in reqs),
            "%s: the gateway's INVITEs have several branches: %s"
            % (run, sorted(set(r["branch"] for r in reqs))))
    # tm's timer ticks at 1/16 s: its retransmissions may be a tick late
    t.expect_sends(gw, SENDS, tol_ms=15.0 if engine == "vostimer" else 70.0)
    copies = [r for r in sink.requests("INVITE", call_id) if r["branch"] == branch]
    others = len(sink.records("in")) - len(copies)
    t.note("%s: gateway got %d INVITEs, sink got %d copies of them (+%d other mirrored "
           "messages)" % (run, len(reqs), len(copies), others))
    if copies:
        t.expect_times("%s: copies of the gateway's INVITE at the sink" % run,
                       [r["mono_ns"] for r in copies], reqs[0]["mono_ns"],
                       SENDS[:len(copies)], tol_ms=15.0 if engine == "vostimer" else 70.0)
    t.check(len(copies) == EXPECTED_COPIES[trace],
            "%s: the sink got %d copies of the INVITE sent to the gateway, expected %d"
            % (run, len(copies), EXPECTED_COPIES[trace]))
    return len(reqs), len(copies)


def scenario(t):
    got = {}
    for trace in ("core", "tmcb"):
        for engine in ("tm", "vostimer"):
            got[(engine, trace)] = one_run(t, engine, trace)
    for trace in ("core", "tmcb"):
        (s_tm, c_tm), (s_vs, c_vs) = got[("tm", trace)], got[("vostimer", trace)]
        t.check(s_tm == s_vs and c_tm == c_vs,
                "parity (%s): tm sent %d, siptrace mirrored %d; vostimer sent %d, "
                "siptrace mirrored %d" % (trace, s_tm, c_tm, s_vs, c_vs))
    t.note("siptrace copies (sends): " + ", ".join(
        "%s/%s %d (%d)" % (e, tr, c, s) for (e, tr), (s, c) in sorted(got.items())))


Test(__file__, timeout=90).run(scenario)
