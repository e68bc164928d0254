# SPDX-License-Identifier: GPL-2.0-or-later
# e2e KEMI routing script for app_python3: relay.cfg's relay written against KSR.*
# (see relay.lua, its twin). Placeholders (filled by the test): GWS (a Python list of
# gateway URIs, or a dict of such lists keyed by the R-URI user: each call its own
# chain), ROUTE_PY, FAILOVER_PY (Python statements run before t_relay(), lines after
# the first indented by 8 spaces; "pass" when none; FAILOVER_PY may be
# "if not vos_gate(): return 1" to ask the gateway-switch rules first).
import KSR as KSR

GWS = @@GWS@@


def pv(name):
    v = KSR.pv.get(name)
    return "<null>" if v is None else str(v)


def gwlist():
    """The call's gateways: GWS itself, or its list for this R-URI user."""
    if isinstance(GWS, dict):
        return GWS.get(KSR.pv.get("$rU"), [])
    return GWS


def gateway():
    """$du := the gateway number $avp(hop); False when there is none."""
    hop, gws = KSR.pv.get("$avp(hop)"), gwlist()
    if not isinstance(hop, int) or not 1 <= hop <= len(gws):
        return False
    KSR.pv.sets("$du", gws[hop - 1])  # as relay.cfg: marks the R-URI new
    KSR.pv.sets("$avp(gw)", "gw%d" % hop)
    return True


def vos_gate():
    """VOS3000's gateway-switch rules before the next gateway ($avp(gw), already
    chosen): one "VOSTEST switch|noswitch" line per decision; False: do not relay."""
    ok = KSR.vostimer.vos_failover() > 0
    KSR.notice("VOSTEST %s gw=%s stop=%s attempts=%s engine=python\n"
               % ("switch" if ok else "noswitch", pv("$avp(gw)"), pv("$vos(stop)"),
                  pv("$vos(attempts)")))
    return ok


def mod_init():
    return kamailio()


class kamailio:
    def child_init(self, rank):
        return 0

    def ksr_request_route(self, msg):
        if KSR.maxfwd.process_maxfwd(10) < 0:
            KSR.sl.send_reply(483, "Too Many Hops")
            return 1
        if KSR.siputils.has_totag() > 0:
            if KSR.rr.loose_route() > 0:
                KSR.tm.t_relay()
            elif KSR.is_ACK():
                if KSR.tm.t_check_trans() > 0:
                    KSR.tm.t_relay()
            else:
                KSR.sl.send_reply(404, "Not here")
            return 1
        if KSR.is_CANCEL():
            if KSR.tm.t_check_trans() > 0:
                KSR.tm.t_relay()
            return 1
        if KSR.tm.t_check_trans() >= 0:
            return 1  # a retransmission
        if KSR.is_INVITE():
            KSR.rr.record_route()
        KSR.pv.seti("$avp(hop)", 1)
        if not gateway():
            KSR.sl.send_reply(404, "No gateway for this user")
            return 1
        @@ROUTE_PY@@
        KSR.tm.t_on_failure("ksr_failure_route_failover")
        if KSR.tm.t_relay() < 0:
            KSR.sl.sl_reply_error()
        return 1

    def ksr_failure_route_failover(self, msg):
        timeout = 1 if KSR.tm.t_branch_timeout() > 0 else 0
        KSR.notice("VOSTEST failure gw=%s code=%s branch_timeout=%d reason=%s stage=%s "
                   "sends=%s elapsed=%s schedule=%s profile=%s engine=python\n"
                   % (pv("$avp(gw)"), pv("$T_reply_code"), timeout, pv("$vos(reason)"),
                      pv("$vos(stage)"), pv("$vos(sends)"), pv("$vos(elapsed)"),
                      pv("$vos(schedule)"), pv("$vos(profile)")))
        if KSR.tm.t_is_canceled() > 0:
            return 1
        KSR.pv.seti("$avp(hop)", KSR.pv.get("$avp(hop)") + 1)
        if not gateway():
            return 1
        KSR.hdr.append("X-VOS-Reason: %s\r\nX-VOS-Stage: %s\r\nX-VOS-Sends: %s\r\n"
                       "X-VOS-Elapsed: %s\r\n" % (pv("$vos(reason)"), pv("$vos(stage)"),
                                                  pv("$vos(sends)"), pv("$vos(elapsed)")))
        @@FAILOVER_PY@@
        KSR.tm.t_on_failure("ksr_failure_route_failover")
        KSR.tm.t_relay()
        return 1

    # app_python3 runs these for every request sent and reply received (it raises
    # an exception inside t_relay() when they are missing)
    def ksr_onsend_route(self, msg):
        return 1

    def ksr_reply_route(self, msg):
        return 1

    # modparam("vostimer", "event_callback", "ksr_vostimer_event")
    def ksr_vostimer_event(self, msg, evname):
        KSR.notice("VOSTEST event %s reason=%s stage=%s sends=%s elapsed=%s "
                   "engine=python\n" % (evname, pv("$vos(reason)"), pv("$vos(stage)"),
                                        pv("$vos(sends)"), pv("$vos(elapsed)")))
        return 1
