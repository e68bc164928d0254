#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""A whole VOS3000 migrated: a real MariaDB server holds the fixture's routing gateways
(test/fixtures/vos3000: GW-X sets its own trying timeout of 3 s, GW-Y sets nothing -
all 0), its softswitch.conf says SS_SIP_TIMEOUT_TRYING=5. vos2kam reads both (the
database read-only, over its socket) into a profile file and a dispatcher list;
etc/kamailio.cfg as shipped loads them (default profile `defaults`). Both gateways
answer 100 Trying and nothing more: the call to GW-X ends on GW-X's own trying
timeout at 3 s, fails over to GW-Y, which ends on the system value 5 s later, and the
caller gets 503 at 8 s."""
import os, subprocess, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import ROOT, VOSTIMER_SO, Test
import vos_checks as vc

FIX = os.path.join(ROOT, "test", "fixtures", "vos3000")
VOSDB = os.path.join(ROOT, "test", "lib", "vosdb.sh")


def start_db(t):
    """The fixture database in this test's out dir, stopped by its PID at the end."""
    d = t.path("db")
    p = subprocess.run([VOSDB, "start", d], capture_output=True, text=True, timeout=60)
    t.require(p.returncode == 0, "test/lib/vosdb.sh start: %s" % p.stderr.strip())
    env = dict(l.split("=", 1) for l in p.stdout.split() if "=" in l)
    t.procs.append(DbProc(d))  # stopped with the test's other processes
    return d, env


class DbProc:
    """The MariaDB server as one of the harness's processes: stop() by its PID."""
    name = "mariadbd"

    def __init__(self, d):
        self.d = d

    def stop(self, grace=3.0):
        subprocess.run([VOSDB, "stop", self.d], capture_output=True, timeout=30)


def scenario(t):
    t.require(os.access(vc.VOS2KAM, os.X_OK), "no %s: make tools" % vc.VOS2KAM)
    gx, gy = t.gateway("trying", name="gwx"), t.gateway("trying", name="gwy")
    d, env = start_db(t)
    # the gateways' addresses in the database are this test's ports
    for gid, gw in ((1, gx), (2, gy)):
        subprocess.run([VOSDB, "sql", d, "UPDATE vos3000.e_gatewayrouting SET "
                        "signalport = %d WHERE id = %d" % (gw.port, gid)], check=True)
    prof, ds = t.path("vos3000.profiles"), t.path("dispatcher.list")
    p = subprocess.run([vc.VOS2KAM, "--db-option-file", os.path.join(d, "vosread.cnf"),
                        "--db", "mysql://localhost/vos3000?socket=" + env["SOCKET"],
                        "-o", prof, "--dispatcher", ds,
                        os.path.join(FIX, "softswitch.conf")],
                       capture_output=True, text=True, timeout=30)
    with open(t.path("vos2kam.report"), "w") as f:
        f.write(p.stderr)
    t.require(p.returncode == 0, "vos2kam exited %d:\n%s" % (p.returncode, p.stderr[-1500:]))
    t.check("timeouttrying = 3 -> timeout_trying 3" in p.stderr
            and "timeouttrying = 0 -> timeout_trying inherited (0 = the system value): "
            "5 from defaults" in p.stderr, "vos2kam's report:\n" + p.stderr[-1500:])
    t.kamailio_cfg(os.path.join(ROOT, "etc", "kamailio.cfg"), defines={
        "DS_LIST": ds, "VOS_PROFILES": prof, "VOSTIMER_SO": VOSTIMER_SO,
        "DEFAULT_PROFILE": "defaults"})
    res = t.sipp("invite", final=503, timeout=20)
    t.expect_sipp_ok(res)
    t.expect_count(gx, 1)
    t.expect_count(gy, 1)
    t.expect_failover(gx, gy, 3.0)
    finals = vc.caller_finals(res)
    t.check([c for c, _ in finals] == [503], "caller's finals %s, [503] expected" % finals)
    if finals:
        vc.expect_wall(t, "the caller's 503", finals[0][1], vc.wall_of(gx), 8.0,
                       tol_ms=100)
    for name, profile in (("GW_X", "GW_X"), ("GW_Y", "GW_Y")):
        vc.expect_log(t, r"VOS .*: %s failed at .*reason=trying_timeout .*"
                      r"gateway_profile=%s\b" % (name, profile), 1)


Test(__file__, timeout=40).run(scenario)
