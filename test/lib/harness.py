# SPDX-License-Identifier: GPL-2.0-or-later
"""harness.py: everything an end-to-end test needs, in one place.

A test is a python script test/e2e/t_<name>.py that reads like its scenario:

    t = Test(__file__, timeout=60)
    gw1 = t.gateway("silent")
    gw2 = t.gateway("answer")
    t.kamailio("relay.cfg", gws=[gw1, gw2])
    t.sipp("invite", final=200)
    t.expect_sends(gw1, [0, 0.5, 1.5, 3.5])
    t.expect_failover(gw1, gw2, 31.5)
    t.done()

It gets its own output dir test/out/<name>/ (kamailio.cfg, kamailio.log, gw-*.jsonl,
sipp-*), its own free ports (locked for the life of the test, so parallel tests never
collide, and away from 5060), a per-test timeout, and every process it started is
stopped by its pid (kamailio by its own process group) on exit, failure, timeout,
SIGINT or SIGTERM. Failures are collected as reason lines, written to reasons.txt and
printed; done() exits 0 (pass) or 1 (fail).
"""
import atexit
import ctypes
import fcntl
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time

LIB = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(LIB))
OUT = os.path.join(ROOT, "test", "out")
CFG_DIR = os.path.join(ROOT, "test", "e2e", "cfg")
MPATH = os.environ.get("KAMAILIO_MPATH", "/usr/lib/x86_64-linux-gnu/kamailio/modules/")
VOSTIMER_SO = os.environ.get("VOSTIMER_SO",
                             os.path.join(ROOT, "modules", "vostimer", "vostimer.so"))
# the kamailio binary and kamcmd to run (make print-kamailio gives them per target)
KAMAILIO = os.environ.get("KAMAILIO_BIN", "kamailio")
KAMCMD = os.environ.get("KAMCMD", "kamcmd")
# extra kamailio options for every test, e.g. E2E_KAMAILIO_ARGS="-x qm -X qm" to run the
# suite on Kamailio's debugging allocator (it logs BUG: on a bad free, which fails the test)
EXTRA_ARGS = os.environ.get("E2E_KAMAILIO_ARGS", "").split()
PORT_LOCKS = os.path.join(os.environ.get("TMPDIR", "/tmp"), "vostimer-test-ports")
PORT_RANGE = (20000, 32000)  # below the kernel's ephemeral range, away from 5060
TOL_MS = 15.0
SKIP_RC = 77  # a test's exit status for "does not apply here" (test/e2e/run.sh)


# ---- ports -----------------------------------------------------------------------
_held = []  # lock fds of ports taken by this process: released when it exits


def free_port():
    """A port free on 127.0.0.1 for both UDP and TCP, reserved by an flock held for
    the life of this process (a crashed test releases it with its fds)."""
    os.makedirs(PORT_LOCKS, exist_ok=True)
    import random
    rnd = random.Random(os.getpid() ^ time.monotonic_ns())
    for _ in range(500):
        port = rnd.randrange(*PORT_RANGE)
        fd = os.open(os.path.join(PORT_LOCKS, str(port)), os.O_CREAT | os.O_RDWR, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            continue
        if _bindable(port):
            _held.append(fd)
            return port
        os.close(fd)
    raise RuntimeError("no free port in %d-%d" % PORT_RANGE)


_kversion = None


def kamailio_version():
    """The (major, minor, patch) of the kamailio under test (KAMAILIO_BIN -v)."""
    global _kversion
    if _kversion is None:
        out = subprocess.run([KAMAILIO, "-v"], capture_output=True, text=True).stdout
        m = re.search(r"version: kamailio (\d+)\.(\d+)\.(\d+)", out)
        if not m:
            raise RuntimeError("cannot read the version of %s:\n%s" % (KAMAILIO, out))
        _kversion = tuple(int(x) for x in m.groups())
    return _kversion


def _bindable(port):
    for kind in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
        s = socket.socket(socket.AF_INET, kind)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        finally:
            s.close()
    return True


def _listening(port, udp=True, tcp=True):
    """Is something bound to port (per /proc/net), without touching the port."""
    want = ":%04X" % port
    found = {"udp": not udp, "tcp": not tcp}
    for proto in ("udp", "tcp"):
        if found[proto]:
            continue
        with open("/proc/net/" + proto) as f:
            for line in f.readlines()[1:]:
                local = line.split()[1]
                if local.endswith(want) and (proto == "udp" or line.split()[3] == "0A"):
                    found[proto] = True
                    break
    return all(found.values())


def _pdeathsig():
    # children get SIGTERM if the harness dies without cleaning up (e.g. SIGKILL)
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)


# ---- test result -----------------------------------------------------------------
def rx_ns(rec):
    """When a received message reached the gateway: the kernel's receive instant on the
    monotonic clock (rx_ns, UDP) - not when the gateway process got to run - else
    mono_ns (TCP)."""
    return rec.get("rx_ns", rec["mono_ns"])


class TestTimeout(Exception):
    pass


class Skipped(Exception):
    pass


class Failed(Exception):
    pass


class Proc:
    def __init__(self, name, popen, group=False):
        self.name, self.p, self.group = name, popen, group

    @property
    def pid(self):
        return self.p.pid

    def alive(self):
        return self.p.poll() is None

    def stop(self, grace=3.0):
        if self.p.poll() is not None:
            return self.p.returncode
        try:
            if self.group:
                os.killpg(self.p.pid, signal.SIGTERM)
            else:
                self.p.send_signal(signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            self.p.wait(grace)
        except subprocess.TimeoutExpired:
            try:
                if self.group:
                    os.killpg(self.p.pid, signal.SIGKILL)
                else:
                    self.p.kill()
            except ProcessLookupError:
                pass
            self.p.wait(2)
        if self.group:  # children of the group outliving their main process
            try:
                os.killpg(self.p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        return self.p.returncode


class Gateway:
    """A gw.py process; its log is read back for timelines."""

    def __init__(self, test, behaviour, name, port, log, proc):
        self.test, self.behaviour, self.name = test, behaviour, name
        self.port, self.log, self.proc = port, log, proc

    def uri(self, transport="udp"):
        return "sip:%s:%d;transport=%s" % (getattr(self, "host", "127.0.0.1"), self.port,
                                            transport)

    def records(self, direction="in"):
        if not os.path.exists(self.log):
            return []
        out = []
        with open(self.log) as f:
            for line in f:
                try:
                    r = json.loads(line)
                except ValueError:
                    continue  # a line being written
                if direction in (None, r["dir"]):
                    out.append(r)
        return out

    def requests(self, method="INVITE", call_id=None):
        return [r for r in self.records("in") if r.get("status") is None
                and r["method"] == method and call_id in (None, r["call_id"])]

    def arrivals(self, method="INVITE", call_id=None):
        """CLOCK_MONOTONIC ns of each received request of that method."""
        return [rx_ns(r) for r in self.requests(method, call_id)]

    def __repr__(self):
        return "%s(%s :%d)" % (self.name, self.behaviour, self.port)


class Test:
    def __init__(self, path, timeout=120, quiet=False):
        self.quiet = quiet  # notes (commands, timelines that passed) not printed
        self.name = os.path.splitext(os.path.basename(path))[0]
        self.out = os.path.join(OUT, self.name)
        os.makedirs(self.out, exist_ok=True)
        for f in os.listdir(self.out):  # a fresh dir, but keep run.sh's capture of us
            if f != "test.log":
                p = os.path.join(self.out, f)
                shutil.rmtree(p) if os.path.isdir(p) else os.unlink(p)
        self.procs = []
        self.reasons = []
        self.gws = []
        self.kam = None
        self.port = None
        self.ctl = None
        self.t0 = time.monotonic()
        self.timeout = timeout
        atexit.register(self.cleanup)
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)
        signal.signal(signal.SIGALRM, self._on_alarm)
        signal.alarm(int(timeout))
        self.note("test %s, out dir %s, timeout %ds" % (self.name, self.out, timeout))

    # ---- bookkeeping ---------------------------------------------------------------
    def _on_signal(self, signum, _frame):
        self.fail("interrupted by signal %d" % signum)
        self.cleanup()
        self._finish()

    def _on_alarm(self, *_):
        raise TestTimeout("test timeout (%ds) reached" % self.timeout)

    def note(self, msg):
        if not self.quiet:
            print("# " + msg, flush=True)

    def path(self, name):
        return os.path.join(self.out, name)

    def fail(self, msg):
        for line in str(msg).rstrip("\n").split("\n"):
            self.reasons.append(line)
            print("FAIL: " + line, flush=True)

    def check(self, cond, msg):
        if not cond:
            self.fail(msg)
        return bool(cond)

    def require(self, cond, msg):
        """check, and stop the test here if it fails."""
        if not cond:
            self.fail(msg)
            raise Failed(msg)

    def cleanup(self):
        signal.alarm(0)
        for p in reversed(self.procs):
            p.stop()
        self.procs = []

    def _finish(self):
        with open(self.path("reasons.txt"), "w") as f:
            f.write("".join(r + "\n" for r in self.reasons))
        el = time.monotonic() - self.t0
        print("%s %s (%.1fs)" % ("FAILED" if self.reasons else "PASSED", self.name, el),
              flush=True)
        os._exit(1 if self.reasons else 0)

    def done(self):
        self.cleanup()
        self.check_kamailio_health()
        self._finish()

    def check_kamailio_health(self):
        """After kamailio stopped: no process of it crashed, no memory BUG."""
        if self.kam is None:
            return
        bad = self.log_lines(r"exited by a signal (6|7|8|11)\b|core was (not )?generated"
                             r"|BUG:|freeing already freed|segfault")
        if bad:
            self.fail("kamailio crashed or reported a BUG:\n  " + "\n  ".join(bad[:5]))

    def run(self, body):
        """Run body(t), turning exceptions and timeouts into reasons; never returns."""
        try:
            body(self)
        except Skipped as e:
            self.cleanup()
            with open(self.path("reasons.txt"), "w") as f:
                f.write("skipped: %s\n" % e)
            print("SKIPPED %s: %s" % (self.name, e), flush=True)
            os._exit(SKIP_RC)
        except Failed:
            pass
        except TestTimeout as e:
            self.fail(str(e))
        except Exception as e:  # a harness or test bug: still a clean failure
            import traceback
            traceback.print_exc()
            self.fail("%s: %s" % (type(e).__name__, e))
        self.done()

    def skip(self, why):
        """This test does not apply to the Kamailio under test: it ends here, counted
        neither as passed nor as failed (run.sh lists it as skipped, with why)."""
        raise Skipped(why)

    def sleep(self, secs):
        time.sleep(secs)

    def spawn(self, name, argv, stdout, group=False, **kw):
        f = open(stdout, "ab")
        p = subprocess.Popen(argv, stdout=f, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                             start_new_session=group, preexec_fn=_pdeathsig, **kw)
        f.close()
        proc = Proc(name, p, group)
        self.procs.append(proc)
        return proc

    # ---- gateways ------------------------------------------------------------------
    def gateway(self, behaviour, name=None, delay=0, ring=20, jitter=0, host=None,
                args=()):
        """Start a gw.py (see its doc for behaviours) on a free port; wait until ready.
        ring: ms between 180 and 200 (answer) - not 0, or two SIP workers may relay
        the 200 before the 180 and sipp's scenario waits for ever. jitter: up to that
        many ms more, at random, on each transaction's delay and ring. host: the address it listens on."""
        name = name or "gw%d" % (len(self.gws) + 1)
        port = free_port()
        log = self.path("%s.jsonl" % name)
        out = self.path("%s.out" % name)
        argv = [sys.executable, os.path.join(LIB, "gw.py"), "--port", str(port),
                "--behaviour", behaviour, "--log", log, "--name", name,
                "--delay", str(delay), "--ring", str(ring), "--jitter", str(jitter)]
        if host:
            argv += ["--host", host]
        argv += list(args)
        proc = self.spawn(name, argv, out)
        gw = Gateway(self, behaviour, name, port, log, proc)
        gw.host = host or "127.0.0.1"
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            with open(out) as f:
                if "ready %d" % port in f.read():
                    self.gws.append(gw)
                    return gw
            if not proc.alive():
                break
            time.sleep(0.02)
        with open(out) as f:
            self.require(False, "gateway %s (%s) did not start:\n%s" % (name, behaviour, f.read()))

    # ---- kamailio ------------------------------------------------------------------
    def render(self, template, dest, subst):
        """Fill @@KEY@@ placeholders; every placeholder must get a value."""
        src = template if os.path.isabs(template) else os.path.join(CFG_DIR, template)
        with open(src) as f:
            text = f.read()
        for k, v in subst.items():
            text = text.replace("@@%s@@" % k, str(v))
        left = sorted(set(re.findall(r"@@([A-Z0-9_]+)@@", text)))
        self.require(not left, "%s: no value for placeholder(s) %s" % (src, ", ".join(left)))
        with open(dest, "w") as f:
            f.write(text)
        return dest

    def kamailio(self, cfg="relay.cfg", gws=(), route="", failover_route="", vos=None,
                 modparams="", expect_exit=False, wait=10, args=(), **subst):
        """Render test/e2e/cfg/<cfg> and run kamailio in the foreground on a free port.

        Placeholders always filled: PORT, MPATH, VOSTIMER_SO, CTL, OUT, CFG_DIR, MODPARAMS
        (vos={param: value} as vostimer modparams - ints unquoted - plus the
        modparams text), ROUTE, FAILOVER_ROUTE, NGW, GW_SELECT (the gateways in
        failover order, as gws=[gw or (gw, transport)]); any other from **subst.
        expect_exit: kamailio is expected to stop by itself (bad config); returns its
        exit code instead of waiting for it to listen."""
        self.port = self.port or free_port()
        self.ctl = self.path("kamailio_ctl")
        rundir = self.path("run")
        os.makedirs(rundir, exist_ok=True)
        sel = []
        for i, g in enumerate(gws, 1):
            gw, tr = g if isinstance(g, tuple) else (g, "udp")
            sel.append('%sif ($avp(hop) == %d) { $du = "%s"; $avp(gw) = "%s"; }'
                       % ("" if i == 1 else "\telse ", i, gw.uri(tr), gw.name))
        sel.append('\telse { $du = $null; }' if sel else '$du = $null;')
        vos = dict(vos or {})
        # the timer processes at SCHED_FIFO (modparam timer_rt_prio), as
        # doc/performance.md recommends in production: the +-15 ms checks then measure
        # the module, not a loaded CI machine's scheduler. E2E_RT_PRIO=0 turns it off.
        vos.setdefault("timer_rt_prio", int(os.environ.get("E2E_RT_PRIO", "10")))
        mp = ["modparam(\"vostimer\", \"%s\", %s)"
              % (k, v if isinstance(v, int) else '"%s"' % v) for k, v in vos.items()]
        values = {"PORT": self.port, "MPATH": MPATH, "VOSTIMER_SO": VOSTIMER_SO,
                  "CTL": self.ctl, "OUT": self.out, "CFG_DIR": CFG_DIR,
                  "MODPARAMS": "\n".join(mp + [modparams]),
                  "ROUTE": route, "FAILOVER_ROUTE": failover_route, "NGW": len(gws),
                  "GW_SELECT": "\n".join(sel)}
        values.update(subst)
        cfgfile = self.render(cfg, self.path("kamailio.cfg"), values)
        kam = self.start_kamailio(cfgfile, expect_exit=expect_exit, wait=wait, args=args)
        if not expect_exit and vos["timer_rt_prio"]:
            self.expire_rt(vos["timer_rt_prio"])
        return kam

    def expire_rt(self, prio):
        """Test environment only: put vostimer's expire process at SCHED_FIFO prio too.
        The module keeps it at normal priority (it runs failure_route), so on a shared
        CI machine its instants - a branch's end, the failover INVITE - would measure
        the machine's scheduler at +-15 ms; the resend process is at prio by the
        module's timer_rt_prio already."""
        if "vostimer" not in self.rpc("core.modules", check=False)[1].split():
            return  # a run without the module (e.g. tm's own timers, for comparison)
        rc, out = self.rpc("core.psx", check=False)
        deadline = time.monotonic() + 3.0
        while True:  # ctl may answer before every child is forked
            pids = re.findall(r"PID:\s*(\d+)\s+DSC:\s*vostimer expire", out)
            if (rc == 0 and len(pids) == 1) or time.monotonic() > deadline:
                break
            time.sleep(0.05)
            rc, out = self.rpc("core.psx", check=False)
        self.require(rc == 0 and len(pids) == 1,
                     "no vostimer expire process in core.psx:\n" + out[-400:])
        p = subprocess.run(["chrt", "-f", "-p", str(prio), pids[0]],
                           capture_output=True, text=True)
        self.require(p.returncode == 0, "chrt of the expire process: " + p.stderr)

    def workers_rt(self, prio=None):
        """Test environment only: put kamailio's UDP workers at SCHED_FIFO prio, for a
        test that checks instants a worker takes on receipt (a reply's arrival, as
        vostimer's post-dial delay and time to answer do) to a few ms: on a loaded
        CI machine a worker waits for a CPU for 10 ms and more. Returns the pids."""
        prio = prio or int(os.environ.get("E2E_RT_PRIO", "10"))
        rc, out = self.rpc("core.psx", check=False)
        pids = re.findall(r"PID:\s*(\d+)\s+DSC:\s*udp receiver", out)
        self.require(rc == 0 and pids, "no udp receiver in core.psx:\n" + out[-400:])
        if prio <= 0:
            return pids
        for pid in pids:
            p = subprocess.run(["chrt", "-f", "-p", str(prio), pid],
                               capture_output=True, text=True)
            self.require(p.returncode == 0, "chrt of worker %s: %s" % (pid, p.stderr))
        return pids

    def dispatcher_list(self, entries, setid=1):
        """Write a dispatcher list of [(gw, attrs)] or [(gw, attrs, set)] in failover
        order within each set (priorities descending, for algorithm 8; set: setid
        unless given); the attrs get name=<gw name> first. Returns its path."""
        path = self.path("dispatcher.list")
        with open(path, "w") as f:
            for i, e in enumerate(entries):
                gw, attrs, sid = e if len(e) == 3 else (e[0], e[1], setid)
                f.write("%d sip:127.0.0.1:%d 0 %d name=%s%s\n"
                        % (sid, gw.port, 100 - i, gw.name, ";" + attrs if attrs else ""))
        return path

    def example_cfg(self, entries, defines=None):
        """Run etc/kamailio.cfg as shipped, with the gateways [(gw, attrs)] and the
        checkout's module and profiles."""
        d = {"DS_LIST": self.dispatcher_list(entries), "VOSTIMER_SO": VOSTIMER_SO,
             "VOS_PROFILES": os.path.join(ROOT, "etc", "vostimer.profiles")}
        d.update(defines or {})
        return self.kamailio_cfg(os.path.join(ROOT, "etc", "kamailio.cfg"), d)

    def kamailio_cfg(self, cfgfile, defines=None, wait=10, args=()):
        """Run a finished cfg (etc/kamailio.cfg) as is, configured by -A defines:
        SIP_PORT and CTL_SOCK come from the harness; defines={NAME: value} with str
        values quoted, ints plain, True for a bare flag."""
        self.port = self.port or free_port()
        self.ctl = self.path("kamailio_ctl")
        os.makedirs(self.path("run"), exist_ok=True)
        d = {"SIP_PORT": self.port, "CTL_SOCK": "unix:" + self.ctl}
        d.update(defines or {})
        argv = []
        for k, v in d.items():
            if v is True:
                argv += ["-A", k]
            elif isinstance(v, int):
                argv += ["-A", "%s=%d" % (k, v)]
            else:
                argv += ["-A", '%s="%s"' % (k, v)]
        return self.start_kamailio(cfgfile, wait=wait, args=argv + list(args))

    def start_kamailio(self, cfgfile, expect_exit=False, wait=10, args=()):
        log = self.path("kamailio.log")
        argv = [KAMAILIO, "-DD", "-E", "-f", cfgfile, "-L", MPATH,
                "-Y", self.path("run"), "-P", self.path("run/kamailio.pid"),
                "-m", "64", "-M", "8"] + list(args) + EXTRA_ARGS
        self.note("kamailio: " + " ".join(argv))
        self.kam = self.spawn("kamailio", argv, log, group=True, cwd=self.out)
        deadline = time.monotonic() + wait
        if expect_exit:
            try:
                return self.kam.p.wait(wait)
            except subprocess.TimeoutExpired:
                return None
        while time.monotonic() < deadline:
            if not self.kam.alive():
                self.require(False, "kamailio exited at start-up (rc %s); log tail:\n%s"
                             % (self.kam.p.returncode, self.log_tail()))
            if (_listening(self.port) and os.path.exists(self.ctl)
                    and self.rpc("core.version", check=False)[0] == 0):
                return self.kam
            time.sleep(0.05)
        self.require(False, "kamailio not listening on %d after %ds; log tail:\n%s"
                     % (self.port, wait, self.log_tail()))

    def log_tail(self, n=15):
        return "".join(self.kamailio_log()[-n:]).rstrip()

    def kamailio_log(self):
        try:
            with open(self.path("kamailio.log"), errors="replace") as f:
                return f.readlines()
        except OSError:
            return []

    def log_lines(self, pattern):
        rx = re.compile(pattern)
        return [l.rstrip("\n") for l in self.kamailio_log() if rx.search(l)]

    def rpc(self, *cmd, check=True):
        """kamcmd over this test's ctl socket; returns (rc, output)."""
        p = subprocess.run([KAMCMD, "-s", "unix:" + self.ctl] + [str(c) for c in cmd],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           timeout=10)
        if check:
            # kamcmd exits 0 on an RPC fault too: look at what it printed
            self.check(p.returncode == 0 and not p.stdout.lstrip().startswith("error"),
                       "kamcmd %s failed (rc %d): %s"
                       % (" ".join(map(str, cmd)), p.returncode, p.stdout.strip()))
        return p.returncode, p.stdout

    def stop_kamailio(self):
        """Stop kamailio now (by its process group); returns its exit code."""
        if self.kam:
            rc = self.kam.stop()
            self.procs.remove(self.kam)
            return rc

    # ---- sipp (the caller) ---------------------------------------------------------
    SCENARIOS = {"invite": "uac_invite.xml", "invite-fail": "uac_invite_fail.xml",
                 "invite-any": "uac_invite_any.xml", "cancel": "uac_cancel.xml",
                 "options": "uac_options.xml"}

    def sipp(self, scenario="invite", final=None, cancel_ms=1000, hold_ms=200,
             transport="udp", calls=1, rate=None, limit=None, headers="",
             timeout=None, wait=True, name=None, user="callee", linger_ms=0, args=()):
        """Place call(s) through kamailio with a scenario from test/lib/:
          invite   INVITE expecting final (default 200; 200: ACK, hold_ms, BYE;
                   any other code: ACK of the negative reply, then linger_ms
                   more, in which any further final fails the call)
          invite-any  INVITE answered (ACK, hold_ms, BYE) or refused with 486 (ACK)
          cancel   INVITE, CANCEL after cancel_ms, expect 200 (CANCEL) + 487
          options  OPTIONS expecting final (default 200)
        Returns the sipp result dict {rc, out, messages, ...}; with wait=False the Proc."""
        if scenario == "invite" and final not in (None, 200):
            scenario = "invite-fail"
        name = name or "sipp-%s" % scenario
        final = final or 200
        hdr = "".join(h + "\n" for h in headers.split("\n") if h) if headers else ""
        scen = self.render(os.path.join(LIB, self.SCENARIOS[scenario]),
                           self.path(name + ".xml"),
                           {"FINAL": final, "CANCEL_MS": cancel_ms, "HOLD_MS": hold_ms,
                            "HEADERS": hdr, "USER": user, "LINGER_MS": linger_ms})
        lport = free_port()
        tr = {"udp": "u1", "tcp": "t1"}[transport]
        argv = ["sipp", "127.0.0.1:%d" % self.port, "-sf", scen, "-t", tr,
                "-i", "127.0.0.1", "-p", str(lport), "-m", str(calls),
                "-nostdin", "-nr", "-trace_msg", "-message_file", self.path(name + ".msg"),
                "-trace_err", "-error_file", self.path(name + ".err"),
                "-trace_stat", "-stf", self.path(name + ".csv")]
        if rate:
            argv += ["-r", str(rate)]
        if limit:
            argv += ["-l", str(limit)]
        argv += list(args)
        self.note("sipp: " + " ".join(argv))
        proc = self.spawn(name, argv, self.path(name + ".out"), cwd=self.out)
        if not wait:
            return proc
        return self.wait_sipp(proc, name, timeout or self.timeout)

    def wait_sipp(self, proc, name, timeout):
        try:
            rc = proc.p.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.stop()
            rc = None
        self.procs.remove(proc)
        time.sleep(0.1)  # the gateways write their last records
        res = {"rc": rc, "name": name}
        for ext in ("out", "err", "msg"):
            try:
                with open(self.path(name + "." + ext), errors="replace") as f:
                    res[ext] = f.read()
            except OSError:
                res[ext] = ""
        return res

    def expect_sipp_ok(self, res):
        if res["rc"] == 0:
            return True
        errs = [l for l in res["err"].splitlines() if l.strip()][-6:]
        self.fail("sipp %s exited with %s (0 expected); %s:\n  %s"
                  % (res["name"], res["rc"], self.path(res["name"] + ".err"),
                     "\n  ".join(errs) or "(no error log)"))
        return False

    def sipp_messages(self, res):
        """The caller's view from sipp's message log: [(wall, 'sent'|'received',
        first line, CSeq)] in order."""
        out = []
        rx = re.compile(r"^-{10,} (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)\.(\d+)$")
        lines = res.get("msg", "").splitlines()
        for i, l in enumerate(lines):
            m = rx.match(l)
            if not m or i + 3 >= len(lines):
                continue
            wall = time.mktime(time.strptime(m.group(1), "%Y-%m-%d %H:%M:%S")) \
                + float("0." + m.group(2))
            kind = "sent" if " sent" in lines[i + 1] else "received"
            first = lines[i + 3].strip()
            cseq = ""
            for l2 in lines[i + 4:i + 30]:
                if l2.lower().startswith("cseq:"):
                    cseq = l2.split(":", 1)[1].strip()
                    break
            out.append((wall, kind, first, cseq))
        return out

    # ---- timelines -----------------------------------------------------------------
    def expect_times(self, what, actual_ns, origin_ns, expected_s, tol_ms=TOL_MS):
        """Compare instants (ns, same CLOCK_MONOTONIC) relative to origin_ns with the
        expected list in seconds, each ±tol_ms; on a mismatch the whole table goes to
        the reasons: '#  expected  actual  diff'."""
        act = [(a - origin_ns) / 1e6 for a in actual_ns]
        exp = [e * 1000.0 for e in expected_s]
        rows, bad = [], 0
        for i in range(max(len(act), len(exp))):
            e = exp[i] if i < len(exp) else None
            a = act[i] if i < len(act) else None
            if e is None:
                mark, bad = "unexpected", bad + 1
            elif a is None:
                mark, bad = "missing", bad + 1
            elif abs(a - e) > tol_ms:
                mark, bad = "off by %+.1f ms" % (a - e), bad + 1
            else:
                mark = "ok %+.1f" % (a - e)
            rows.append("  %2d %10s %10s  %s" % (i + 1, "-" if e is None else "%.1f" % e,
                                                 "-" if a is None else "%.1f" % a, mark))
        table = "%s (ms, ±%g):\n   # %10s %10s\n%s" % (what, tol_ms, "expected", "actual",
                                                     "\n".join(rows))
        if bad:
            self.fail("%s: %d of %d instants wrong\n%s" % (what, bad, len(rows), table))
        else:
            self.note(table)
        return not bad

    def expect_sends(self, gw, expected_s, method="INVITE", call_id=None, tol_ms=TOL_MS):
        """The requests gw received, relative to the first one, at expected_s."""
        arr = gw.arrivals(method, call_id)
        if not arr:
            self.fail("%s: no %s received" % (gw, method))
            return False
        return self.expect_times("%s sends to %s" % (method, gw), arr, arr[0], expected_s,
                                 tol_ms)

    def expect_failover(self, gw_from, gw_to, expected_s, method="INVITE", tol_ms=TOL_MS):
        """gw_to's first request came expected_s after gw_from's first."""
        a, b = gw_from.arrivals(method), gw_to.arrivals(method)
        if not a or not b:
            self.fail("failover %s -> %s: no %s at %s" % (gw_from, gw_to, method,
                                                         gw_from if not a else gw_to))
            return False
        return self.expect_times("failover %s -> %s" % (gw_from.name, gw_to.name), b[:1],
                                 a[0], [expected_s], tol_ms)

    def expect_count(self, gw, n, method="INVITE"):
        got = len(gw.requests(method))
        return self.check(got == n, "%s received %d %s, expected %d" % (gw, got, method, n))

    def headers_seen(self, gw, method="INVITE"):
        """The X- headers of the first request of that method gw received."""
        reqs = gw.requests(method)
        return reqs[0].get("x", {}) if reqs else {}

    def expect_failover_reason(self, gw_next, reason, sends=None, stage=None,
                               method="INVITE"):
        """What failure_route saw ($vos(...)), carried to the next gateway in X-VOS-*."""
        x = self.headers_seen(gw_next, method)
        want = {"x-vos-reason": reason}
        if sends is not None:
            want["x-vos-sends"] = str(sends)
        if stage is not None:
            want["x-vos-stage"] = stage
        bad = ["%s: %r (expected %r)" % (k, x.get(k), v) for k, v in want.items()
               if x.get(k) != v]
        return self.check(not bad, "failure_route before %s saw: %s" % (gw_next.name,
                                                                       "; ".join(bad)))

    def expect_none_after(self, gw, instant_ns, method="INVITE", what="the CANCEL"):
        """gw received no request of that method after instant_ns."""
        late = [(a - instant_ns) / 1e6 for a in gw.arrivals(method) if a > instant_ns]
        return self.check(not late, "%s got %d %s after %s (+%s ms)" % (
            gw, len(late), method, what, ", +".join("%.1f" % l for l in late)))
