#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""gw.py: a scripted SIP gateway (UAS) for the end-to-end tests and the demo.

One process, one port, UDP and TCP on 127.0.0.1, single-threaded (selectors), light
enough for thousands of concurrent silent branches. Every message it receives (and
every response it sends) is written as one JSON line to --log, stamped with
CLOCK_MONOTONIC (mono_ns, taken right after recv) and the wall clock (wall), plus, for
UDP, the kernel receive time (kts, SO_TIMESTAMPNS, wall clock) and that instant on the
monotonic clock (rx_ns = mono_ns - (wall - kts)), which the tests use.

Behaviours (--behaviour):
  silent          receive everything, never answer anything
  trying          100 only, never a final (CANCEL -> 200 + 487)
  ringing         100 + 180, never a final
  answer          100, 180, 200 with SDP; ACK recorded; BYE -> 200
  reject:<code>   100 then <code> (e.g. reject:486)
  early:<code>    100, 183 with SDP (early media), then <code> after --ring ms
                  (early:0 never sends a final)
  progress:<code> 100, 183 WITHOUT SDP (session progress, no early media), then
                  <code> after --ring ms (progress:0 never sends a final)
  progress-ring   100, 183 without SDP, then 180 (no SDP) after --ring ms, never a
                  final
  trying-after:<n> silent until the INVITE has been received n times (the first send
                  plus n-1 retransmissions), then 100 to it and to every later copy
  ok              200 with SDP after --delay, no provisional before it (a gateway
                  that answers late)
  deaf            never answers an INVITE, but answers a CANCEL (200, then 487
                  to the INVITE) as a real UA does
`ok` retransmits its 200 (0.5, 1, 2, 4, 4... s: RFC 3261 13.3.1.4) until an ACK
with its To tag comes, for at most 32 s (with --loss, every behaviour retransmits each
final reply to an INVITE that way, as a real UA on a lossy path must); an ACK is matched to the dialog by Call-ID
and To tag (--ack-ignore N: the first N ACKs do not count, as if they were lost). Every logged message carries its To tag ("totag").
Options: --delay MS (before the first response of a transaction), --ring MS (answer:
time between 180 and 200; early/progress: between the 183 and what follows it),
--jitter MS (each transaction's delay and answer's ring get up to that much more,
uniformly at random, seeded by the port: distinct post-dial delays and answer times). A CANCEL for a pending INVITE gets 200 and the INVITE 487,
as a real UA does; BYE/OPTIONS/other non-INVITE requests get 200 unless silent
(reject:<code> answers them with <code>).
  --provisional CODE  ok: send this provisional (100, 180, 183) at once, the 200 after
                  --delay (a late answer that had a provisional)
  --ignore-cancel  a CANCEL gets its 200 but does not stop the INVITE's script (the
                  answer was already on its way when the CANCEL came)
  --loss PCT      drop PCT % of the datagrams received and of the responses sent
                  (UDP), chosen by a random generator seeded with --seed (default: the
                  port); a dropped message is still logged, with "lost": true, and a
                  dropped request is not acted on

The gateway is ready when it prints "ready <port>" on stdout.
"""
import argparse
import heapq
import json
import os
import random
import selectors
import signal
import socket
import struct
import sys
import time

SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)
REASONS = {100: "Trying", 180: "Ringing", 183: "Session Progress", 200: "OK",
           400: "Bad Request", 403: "Forbidden", 404: "Not Found",
           408: "Request Timeout", 480: "Temporarily Unavailable", 481:
           "Call/Transaction Does Not Exist", 486: "Busy Here",
           487: "Request Terminated", 500: "Server Internal Error",
           503: "Service Unavailable", 600: "Busy Everywhere", 603: "Decline"}
COMPACT = {"v": "via", "i": "call-id", "f": "from", "t": "to", "l": "content-length",
           "m": "contact"}


def parse(data):
    """Split a SIP message into (first line, [(name, value)], body). None if not SIP."""
    head, sep, body = data.partition(b"\r\n\r\n")
    if not sep:
        return None
    lines = head.decode("utf-8", "replace").split("\r\n")
    hdrs = []
    for ln in lines[1:]:
        if ln[:1] in (" ", "\t") and hdrs:  # folded line
            hdrs[-1] = (hdrs[-1][0], hdrs[-1][1] + " " + ln.strip())
            continue
        name, _, val = ln.partition(":")
        name = name.strip().lower()
        hdrs.append((COMPACT.get(name, name), val.strip()))
    return lines[0], hdrs, body


def hget(hdrs, name):
    for n, v in hdrs:
        if n == name:
            return v
    return ""


def top_branch(hdrs):
    via = hget(hdrs, "via").split(",")[0]
    for p in via.split(";")[1:]:
        k, _, v = p.strip().partition("=")
        if k.lower() == "branch":
            return v
    return ""


def to_tag(hdrs):
    for p in hget(hdrs, "to").split(";")[1:]:
        k, _, v = p.strip().partition("=")
        if k.lower() == "tag":
            return v
    return ""


class Gateway:
    def __init__(self, args):
        self.port = args.port
        self.kind, _, arg = args.behaviour.partition(":")
        if self.kind not in ("silent", "trying", "ringing", "answer", "reject",
                             "trying-after", "early", "progress", "progress-ring", "ok",
                             "deaf"):
            sys.exit("gw: unknown behaviour %r" % args.behaviour)
        self.code = int(arg) if self.kind in ("reject", "early", "progress") else 0
        self.after = int(arg) if self.kind == "trying-after" else 0
        self.delay = args.delay / 1000.0
        self.jitter = args.jitter / 1000.0
        self.ack_ignore = args.ack_ignore
        self.provisional = args.provisional
        self.ignore_cancel = args.ignore_cancel
        self.loss = args.loss / 100.0
        self.lossrnd = random.Random(args.seed if args.seed is not None else args.port)
        self.rnd = random.Random(args.port)
        self.dialogs = {}  # (call-id, to-tag) -> INVITE transaction state (its 200)
        self.ring = args.ring / 1000.0
        self.name = args.name or args.behaviour
        self.log = open(args.log, "a", buffering=1 << 16) if args.log else None
        self.sel = selectors.DefaultSelector()
        self.timers = []  # heap of (due_monotonic, seq, fn)
        self.tseq = 0
        self.tx = {}      # (call-id, branch) -> INVITE transaction state
        self.tcp_bufs = {}
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        try:
            self.udp.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
            self.kts = True
        except OSError:
            self.kts = False
        self.udp.bind((args.host, self.port))
        self.udp.setblocking(False)
        self.tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.tcp.bind((args.host, self.port))
        self.tcp.listen(512)
        self.tcp.setblocking(False)
        self.sel.register(self.udp, selectors.EVENT_READ, self.on_udp)
        self.sel.register(self.tcp, selectors.EVENT_READ, self.on_accept)

    # ---- records -------------------------------------------------------------
    def record(self, direction, proto, peer, first, hdrs, mono_ns, wall, kts=None,
               lost=False):
        parts = first.split(" ", 2)
        rec = {"mono_ns": mono_ns, "wall": wall, "dir": direction, "proto": proto,
               "peer": "%s:%d" % peer, "gw": self.name,
               "call_id": hget(hdrs, "call-id"), "cseq": hget(hdrs, "cseq"),
               "branch": top_branch(hdrs)}
        totag = to_tag(hdrs)
        if totag:
            rec["totag"] = totag
        if first.startswith("SIP/2.0"):
            rec["status"] = int(parts[1])
            rec["method"] = rec["cseq"].split(" ")[-1]
        else:
            rec["method"] = parts[0]
        if kts is not None:
            rec["kts"] = kts
            # the kernel's receive instant on the monotonic clock: mono_ns less the time
            # the datagram waited in the socket for this process to run (wall - kts) -
            # what a capture would show, free of this gateway's own scheduling delay
            wait_ns = int(round((wall - kts) * 1e9))
            if 0 <= wait_ns < 10 * 10**9:
                rec["rx_ns"] = mono_ns - wait_ns
        xh = {n: v for n, v in hdrs if n.startswith("x-")}
        if xh:
            rec["x"] = xh
        if lost:
            rec["lost"] = True
        if self.log:
            self.log.write(json.dumps(rec, separators=(",", ":")) + "\n")

    # ---- I/O -----------------------------------------------------------------
    def on_udp(self, sock):
        for _ in range(256):  # drain what is queued, stamping each message at once
            try:
                if self.kts:
                    data, anc, _, peer = sock.recvmsg(65535, 64)
                else:
                    data, peer = sock.recvfrom(65535)
                    anc = ()
            except BlockingIOError:
                return
            mono = time.monotonic_ns()
            wall = time.time()
            kts = None
            for lvl, typ, cd in anc:
                if lvl == socket.SOL_SOCKET and typ == SO_TIMESTAMPNS and len(cd) >= 16:
                    s, ns = struct.unpack("qq", cd[:16])
                    kts = s + ns / 1e9
            self.handle(data, ("udp", peer, None), mono, wall, kts)

    def on_accept(self, sock):
        try:
            conn, _ = sock.accept()
        except BlockingIOError:
            return
        conn.setblocking(False)
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.tcp_bufs[conn] = b""
        self.sel.register(conn, selectors.EVENT_READ, self.on_tcp)

    def on_tcp(self, conn):
        try:
            chunk = conn.recv(65535)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            chunk = b""
        mono = time.monotonic_ns()
        wall = time.time()
        if not chunk:
            self.sel.unregister(conn)
            self.tcp_bufs.pop(conn, None)
            conn.close()
            return
        buf = self.tcp_bufs[conn] + chunk
        peer = conn.getpeername()
        while True:
            buf = buf.lstrip(b"\r\n")  # keep-alive CRLFs
            end = buf.find(b"\r\n\r\n")
            if end < 0:
                break
            p = parse(buf[:end + 4])
            clen = int(hget(p[1], "content-length") or 0) if p else 0
            if len(buf) < end + 4 + clen:
                break
            msg, buf = buf[:end + 4 + clen], buf[end + 4 + clen:]
            self.handle(msg, ("tcp", peer, conn), mono, wall, None)
        self.tcp_bufs[conn] = buf

    def lose(self, proto):
        """--loss: is this UDP datagram (in or out) dropped?"""
        return proto == "udp" and self.loss > 0 and self.lossrnd.random() < self.loss

    def send(self, dest, text):
        proto, peer, conn = dest
        data = text.encode()
        mono, wall = time.monotonic_ns(), time.time()  # the instant it leaves
        if self.lose(proto):
            p = parse(data)
            self.record("out", proto, peer, p[0], p[1], mono, wall, lost=True)
            return
        try:
            if proto == "udp":
                self.udp.sendto(data, peer)
            else:
                conn.sendall(data)
        except OSError as e:
            print("gw %s: send to %s failed: %s" % (self.name, peer, e), file=sys.stderr)
            return
        p = parse(data)
        self.record("out", proto, peer, p[0], p[1], mono, wall)

    def later(self, secs, fn):
        if secs <= 0:
            fn()
            return
        self.tseq += 1
        heapq.heappush(self.timers, (time.monotonic() + secs, self.tseq, fn))

    # ---- SIP -----------------------------------------------------------------
    def response(self, req, code, totag=None, body=""):
        first, hdrs, _ = req
        out = ["SIP/2.0 %d %s" % (code, REASONS.get(code, "Response"))]
        for n, v in hdrs:
            if n == "via":
                out.append("Via: " + v)
            elif n == "record-route" and 100 < code < 300:
                out.append("Record-Route: " + v)
        out.append("From: " + hget(hdrs, "from"))
        to = hget(hdrs, "to")
        if totag and ";tag=" not in to:
            to += ";tag=" + totag
        out.append("To: " + to)
        out.append("Call-ID: " + hget(hdrs, "call-id"))
        out.append("CSeq: " + hget(hdrs, "cseq"))
        if 100 < code < 300:
            out.append("Contact: <sip:gw@127.0.0.1:%d>" % self.port)
        out.append("Server: vostimer-test-gw %s" % self.name)
        if body:
            out.append("Content-Type: application/sdp")
        out.append("Content-Length: %d" % len(body))
        return "\r\n".join(out) + "\r\n\r\n" + body

    def sdp(self):
        return ("v=0\r\no=gw 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\n"
                "t=0 0\r\nm=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n")

    def handle(self, data, dest, mono, wall, kts):
        p = parse(data)
        if p is None:
            return
        first, hdrs, _ = p
        if self.lose(dest[0]):
            self.record("in", dest[0], dest[1], first, hdrs, mono, wall, kts, lost=True)
            return
        self.record("in", dest[0], dest[1], first, hdrs, mono, wall, kts)
        if first.startswith("SIP/2.0") or self.kind == "silent":
            return
        method = first.split(" ", 1)[0]
        if method == "INVITE":
            self.on_invite(p, dest)
        elif method == "CANCEL":
            self.on_cancel(p, dest)
        elif method == "ACK":
            t = self.tx.get((hget(hdrs, "call-id"), top_branch(hdrs))) \
                or self.dialogs.get((hget(hdrs, "call-id"), to_tag(hdrs)))
            if t:
                t["acks"] = t.get("acks", 0) + 1
                if t["acks"] > self.ack_ignore or not t["final"]:
                    t["done"] = True  # acknowledged: forget retransmits
        else:
            self.on_other(p, dest, method)

    def on_invite(self, req, dest):
        hdrs = req[1]
        key = (hget(hdrs, "call-id"), top_branch(hdrs))
        t = self.tx.get(key)
        if t is None:
            t = {"seen": 0, "last": None, "final": False, "done": False, "tag":
                 "gw%x" % (abs(hash(key)) & 0xffffffff), "dest": dest, "req": req}
            self.tx[key] = t
        t["seen"] += 1
        t["dest"] = dest
        if self.kind == "deaf":
            return
        if t["seen"] > 1 and self.kind != "trying-after":
            if t["last"] is not None:  # retransmission: repeat the last response
                self.send(dest, t["last"])
            return
        if self.kind == "trying-after":
            if t["seen"] >= self.after:
                self.reply(t, 100)
            return
        if self.kind == "ok" and self.provisional:
            self.reply(t, self.provisional)
        self.later(self.delay + self.rnd.uniform(0, self.jitter), lambda: self.script(t))

    def reply(self, t, code, body=""):
        if t["final"]:
            return
        msg = self.response(t["req"], code, t["tag"] if code > 100 else None, body)
        t["last"] = msg
        t["final"] = code >= 200
        self.send(t["dest"], msg)
        if code >= 200 and (self.kind == "ok" and code < 300 or self.loss > 0):
            if code < 300:  # until the ACK comes (a non-2xx's ACK matches t by branch)
                self.dialogs[(hget(t["req"][1], "call-id"), t["tag"])] = t
            self.later(0.5, lambda: self.retransmit_2xx(t, 0.5, 0.5))

    def retransmit_2xx(self, t, gap, spent):
        if t["done"] or spent >= 32:
            return
        self.send(t["dest"], t["last"])
        gap = min(gap * 2, 4.0)
        self.later(gap, lambda: self.retransmit_2xx(t, gap, spent + gap))

    def script(self, t):
        if self.kind == "ok":
            self.reply(t, 200, self.sdp())
            return
        self.reply(t, 100)
        if self.kind == "reject":
            self.reply(t, self.code)
        elif self.kind == "early":
            self.reply(t, 183, self.sdp())
            if self.code:
                self.later(self.ring, lambda: self.reply(t, self.code))
        elif self.kind == "progress":
            self.reply(t, 183)
            if self.code:
                self.later(self.ring, lambda: self.reply(t, self.code))
        elif self.kind == "progress-ring":
            self.reply(t, 183)
            self.later(self.ring, lambda: self.reply(t, 180))
        elif self.kind in ("ringing", "answer"):
            self.reply(t, 180)
            if self.kind == "answer":
                self.later(self.ring + self.rnd.uniform(0, self.jitter),
                           lambda: self.reply(t, 200, self.sdp()))

    def on_cancel(self, req, dest):
        hdrs = req[1]
        self.send(dest, self.response(req, 200, "gwc"))
        t = self.tx.get((hget(hdrs, "call-id"), top_branch(hdrs)))
        if t and not t["final"] and not self.ignore_cancel:
            self.reply(t, 487)

    def on_other(self, req, dest, method):
        if method == "BYE" or self.kind in ("answer", "ringing"):
            code = 200
        elif self.kind == "reject":
            code = self.code
        elif self.kind == "trying-after":
            return
        else:  # trying: a non-INVITE gets its 100 and nothing more
            code = 100
        self.send(dest, self.response(req, code, "gwo" if code > 100 else None))

    # ---- loop ----------------------------------------------------------------
    def run(self):
        print("ready %d" % self.port, flush=True)
        last_gc = time.monotonic()
        while True:
            timeout = None
            if self.timers:
                timeout = max(0.0, self.timers[0][0] - time.monotonic())
            elif self.log:
                self.log.flush()
                timeout = 1.0
            for key, _ in self.sel.select(timeout):
                key.data(key.fileobj)
            now = time.monotonic()
            while self.timers and self.timers[0][0] <= now:
                heapq.heappop(self.timers)[2]()
            if now - last_gc > 60 and len(self.tx) > 50000:
                self.tx = {k: t for k, t in self.tx.items() if not t["done"]}
                last_gc = now
            if self.log:
                self.log.flush()

    def close(self):
        if self.log:
            self.log.flush()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--behaviour", "--behavior", default="answer")
    ap.add_argument("--delay", type=float, default=0, help="ms before first response")
    ap.add_argument("--ack-ignore", type=int, default=0,
                    help="ok: the first N ACKs of a 200 do not stop its retransmissions")
    ap.add_argument("--provisional", type=int, default=0,
                    help="ok: this provisional at once, the 200 after --delay")
    ap.add_argument("--ignore-cancel", action="store_true",
                    help="a CANCEL gets 200 but the INVITE's script goes on")
    ap.add_argument("--loss", type=float, default=0,
                    help="%% of UDP datagrams received and responses sent to drop")
    ap.add_argument("--seed", type=int, help="--loss's random seed (default: the port)")
    ap.add_argument("--ring", type=float, default=0, help="ms between 180 and 200")
    ap.add_argument("--jitter", type=float, default=0,
                    help="up to this many ms more on each delay and ring, at random "
                    "(seeded by --port)")
    ap.add_argument("--log", help="JSON-lines log of every message")
    ap.add_argument("--name", help="name written in the log (default: behaviour)")
    gw = Gateway(ap.parse_args())

    def stop(*_):
        gw.close()
        os._exit(0)
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        gw.run()
    finally:
        gw.close()


if __name__ == "__main__":
    main()
