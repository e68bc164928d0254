#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""a retransmission that cannot be sent: in a network namespace of its own, the first
gateway listens on 10.99.0.2 (an address on lo); after the first INVITE reached it the
address is removed and a "prohibit" route put in its place, so the send at 0.5 s of
"0.5,1,2" fails in sendto() (EACCES). As tm's own retransmission timer does, the
branch ends at once with a local 503: failure_route sees code 503, reason
send_failed and t_branch_timeout() false, the call fails over to the second gateway 0.5 s after the first INVITE
(±15 ms) and is answered; send_failed counts 1 and one warning names the branch."""
import os, subprocess, sys, time
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc

ADDR = "10.99.0.2"

if os.environ.get("VS_NETNS") != "1":  # run the whole test in a namespace of its own
    env = dict(os.environ, VS_NETNS="1")
    ns = ["unshare", "-n"]
    if os.getuid() != 0:  # a user namespace: no real-time priority there
        ns, env["E2E_RT_PRIO"] = ["unshare", "-rn"], "0"
    try:
        os.execvpe("unshare", ns + ["--", sys.executable] + sys.argv, env)
    except OSError as e:
        print("cannot run unshare: %s" % e)
        sys.exit(1)


def ip(t, *args):
    p = subprocess.run(["ip"] + list(args), capture_output=True, text=True)
    t.require(p.returncode == 0, "ip %s: %s" % (" ".join(args), p.stderr.strip()))


def scenario(t):
    ip(t, "link", "set", "lo", "up")
    ip(t, "addr", "add", ADDR + "/32", "dev", "lo")
    first = t.gateway("silent", host=ADDR)
    second = t.gateway("answer")
    t.kamailio(gws=[first, second], route='vos_resend("0.5,1,2");')
    caller = t.sipp("invite", wait=False)
    deadline = time.monotonic() + 3
    while not first.arrivals() and time.monotonic() < deadline:
        time.sleep(0.01)
    t.require(first.arrivals(), "the first INVITE never reached %s" % ADDR)
    ip(t, "addr", "del", ADDR + "/32", "dev", "lo")
    ip(t, "route", "add", "prohibit", ADDR + "/32")
    t.require((time.monotonic_ns() - first.arrivals()[0]) < 400e6,
              "the route changed too late: after 0.4 s")
    t.expect_sipp_ok(t.wait_sipp(caller, "sipp-invite", 20))
    t.expect_count(first, 1)
    t.expect_failover(first, second, 0.5)
    fails = [(f.get("gw"), f.get("code"), f.get("reason"), f.get("branch_timeout"))
             for f in vc.vostest(t, "failure")]
    t.check(fails == [("gw1", "503", "send_failed", "0")],
            "failure_route saw %s; [('gw1', '503', 'send_failed', '0')] expected (a "
            "send failure is no timeout: t_branch_timeout() false, as with tm)" % fails)
    vc.expect_log(t, r"send 2 of branch 0 of \d+:\d+ failed: the branch ends \(local 503,"
                  r" send_failed\)", 1)
    st = vc.vos_stats(t)
    t.check(st.get("send_failed") == 1 and st.get("resend_exhausted") == 0,
            "counters send_failed %s, resend_exhausted %s; 1 and 0 expected"
            % (st.get("send_failed"), st.get("resend_exhausted")))


Test(__file__, timeout=30).run(scenario)
