#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""kamailio refuses to start with a broken profiles file, and says where: a syntax
error on line 6 and (second start) a bad resend_interval on line 5 each stop kamailio
at start-up with a non-zero exit and a log line naming <file>:<line>."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc

BROKEN = {
    "syntax": ("""# broken on purpose
profiles = (
  {
    name = "route";
    resend_interval = "0.5,1";
    timeout_invite = ;
  }
);
""", 6),
    "bad-list": ("""# broken on purpose
profiles = (
  {
    name = "route";
    resend_interval = "0.5,abc,1";
  }
);
""", 5),
}


def scenario(t):
    for what, (text, line) in BROKEN.items():
        path = vc.write_file(t, "%s.profiles" % what, text)
        rc = t.kamailio(vos={"profiles_file": path}, expect_exit=True)
        t.check(rc is not None and rc != 0, "kamailio with the %s file: exit %s (a "
                "non-zero exit expected)" % (what, rc))
        named = t.log_lines(r"%s:%d\b" % (path, line))
        t.check(named, "%s: no log line names %s:%d; log tail:\n%s"
                % (what, path, line, t.log_tail(8)))
        if named:
            t.note("%s: %s" % (what, named[0].strip()))
        t.stop_kamailio()


Test(__file__, timeout=40).run(scenario)
