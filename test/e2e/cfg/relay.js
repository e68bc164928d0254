// SPDX-License-Identifier: GPL-2.0-or-later
// e2e KEMI routing script for app_jsdt (Duktape, ES5): relay.cfg's relay written
// against KSR.* (see relay.lua, its twin). Each new INVITE goes to gateway 1;
// ksr_failure_route_failover logs what it saw ("VOSTEST failure ..."), carries it to
// the next gateway in X-VOS-* headers and applies the backup values. Placeholders
// (filled by the test): GWS (a JS array of gateway URIs, or an object of such arrays
// keyed by the R-URI user: each call its own chain), ROUTE_JS, FAILOVER_JS (JS
// statements run before t_relay(); FAILOVER_JS may be "if (!vos_gate()) return 1;"
// to ask the gateway-switch rules first).

var GWS = @@GWS@@;

function pv(name) {
	var v = KSR.pv.get(name);
	if (v === null || v === undefined) return "<null>";
	return String(v);
}

// the call's gateways: GWS itself, or its array for this R-URI user
function gwlist() {
	if (Array.isArray(GWS)) return GWS;
	var own = GWS[KSR.pv.get("$rU")];
	return Array.isArray(own) ? own : [];
}

// $du := the gateway number $avp(hop); false when there is none
function gateway() {
	var hop = KSR.pv.get("$avp(hop)"), gws = gwlist();
	if (typeof hop !== "number" || hop < 1 || hop > gws.length) return false;
	KSR.pv.sets("$du", gws[hop - 1]); // as relay.cfg: marks the R-URI new for failure_route
	KSR.pv.sets("$avp(gw)", "gw" + hop);
	return true;
}

// VOS3000's gateway-switch rules before the next gateway ($avp(gw), already chosen):
// one "VOSTEST switch|noswitch" line per decision; false: do not relay
function vos_gate() {
	var ok = KSR.vostimer.vos_failover() > 0;
	KSR.notice("VOSTEST " + (ok ? "switch" : "noswitch") + " gw=" + pv("$avp(gw)")
		+ " stop=" + pv("$vos(stop)") + " attempts=" + pv("$vos(attempts)")
		+ " engine=jsdt\n");
	return ok;
}

function ksr_request_route() {
	if (KSR.maxfwd.process_maxfwd(10) < 0) {
		KSR.sl.send_reply(483, "Too Many Hops");
		return 1;
	}
	if (KSR.siputils.has_totag() > 0) {
		if (KSR.rr.loose_route() > 0) {
			KSR.tm.t_relay();
		} else if (KSR.is_ACK()) {
			if (KSR.tm.t_check_trans() > 0) KSR.tm.t_relay();
		} else {
			KSR.sl.send_reply(404, "Not here");
		}
		return 1;
	}
	if (KSR.is_CANCEL()) {
		if (KSR.tm.t_check_trans() > 0) KSR.tm.t_relay();
		return 1;
	}
	if (KSR.tm.t_check_trans() >= 0) return 1; // a retransmission
	if (KSR.is_INVITE()) KSR.rr.record_route();
	KSR.pv.seti("$avp(hop)", 1);
	if (!gateway()) {
		KSR.sl.send_reply(404, "No gateway for this user");
		return 1;
	}
	@@ROUTE_JS@@
	KSR.tm.t_on_failure("ksr_failure_route_failover");
	if (KSR.tm.t_relay() < 0) KSR.sl.sl_reply_error();
	return 1;
}

function ksr_failure_route_failover() {
	var timeout = KSR.tm.t_branch_timeout() > 0 ? 1 : 0;
	KSR.notice("VOSTEST failure gw=" + pv("$avp(gw)") + " code=" + pv("$T_reply_code")
		+ " branch_timeout=" + timeout + " reason=" + pv("$vos(reason)")
		+ " stage=" + pv("$vos(stage)") + " sends=" + pv("$vos(sends)")
		+ " elapsed=" + pv("$vos(elapsed)") + " schedule=" + pv("$vos(schedule)")
		+ " profile=" + pv("$vos(profile)") + " engine=jsdt\n");
	if (KSR.tm.t_is_canceled() > 0) return 1;
	KSR.pv.seti("$avp(hop)", KSR.pv.get("$avp(hop)") + 1);
	if (!gateway()) return 1;
	KSR.hdr.append("X-VOS-Reason: " + pv("$vos(reason)") + "\r\nX-VOS-Stage: "
		+ pv("$vos(stage)") + "\r\nX-VOS-Sends: " + pv("$vos(sends)")
		+ "\r\nX-VOS-Elapsed: " + pv("$vos(elapsed)") + "\r\n");
	@@FAILOVER_JS@@
	KSR.tm.t_on_failure("ksr_failure_route_failover");
	KSR.tm.t_relay();
	return 1;
}

// modparam("vostimer", "event_callback", "ksr_vostimer_event")
function ksr_vostimer_event(evname) {
	KSR.notice("VOSTEST event " + String(evname) + " reason=" + pv("$vos(reason)")
		+ " stage=" + pv("$vos(stage)") + " sends=" + pv("$vos(sends)")
		+ " elapsed=" + pv("$vos(elapsed)") + " engine=jsdt\n");
	return 1;
}
