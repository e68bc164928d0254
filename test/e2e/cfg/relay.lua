-- SPDX-License-Identifier: GPL-2.0-or-later
-- e2e KEMI routing script for app_lua: relay.cfg's relay written against KSR.*.
-- Each new INVITE goes to gateway 1; failure_route logs what it saw ("VOSTEST
-- failure ..."), carries it to the next gateway in X-VOS-* headers and applies the
-- backup values. Placeholders (filled by the test): GWS (a Lua list of gateway URIs,
-- or a table of such lists keyed by the R-URI user: each call its own chain),
-- ROUTE_LUA, FAILOVER_LUA (Lua statements run before t_relay(); FAILOVER_LUA may be
-- "if not vos_gate() then return 1 end" to ask the gateway-switch rules first).

local GWS = @@GWS@@

local function pv(name)
	local v = KSR.pv.get(name)
	if v == nil then return "<null>" end
	return tostring(v)
end

-- the call's gateways: GWS itself, or its list for this R-URI user
local function gwlist()
	if GWS[1] ~= nil then return GWS end
	return GWS[KSR.pv.get("$rU") or ""] or {}
end

-- $du := the gateway number $avp(hop); false when there is none
local function gateway()
	local hop = KSR.pv.get("$avp(hop)")
	local uri = gwlist()[hop]
	if uri == nil then return false end
	KSR.pv.sets("$du", uri) -- as relay.cfg: marks the R-URI new for failure_route
	KSR.pv.sets("$avp(gw)", "gw" .. hop)
	return true
end

-- VOS3000's gateway-switch rules before the next gateway ($avp(gw), already chosen):
-- one "VOSTEST switch|noswitch" line per decision; false: do not relay
local function vos_gate()
	local ok = KSR.vostimer.vos_failover() > 0
	KSR.notice("VOSTEST " .. (ok and "switch" or "noswitch") .. " gw=" .. pv("$avp(gw)")
		.. " stop=" .. pv("$vos(stop)") .. " attempts=" .. pv("$vos(attempts)")
		.. " engine=lua\n")
	return ok
end

function ksr_request_route()
	if KSR.maxfwd.process_maxfwd(10) < 0 then
		KSR.sl.send_reply(483, "Too Many Hops")
		return 1
	end
	if KSR.siputils.has_totag() > 0 then
		if KSR.rr.loose_route() > 0 then
			KSR.tm.t_relay()
		elseif KSR.is_ACK() then
			if KSR.tm.t_check_trans() > 0 then KSR.tm.t_relay() end
		else
			KSR.sl.send_reply(404, "Not here")
		end
		return 1
	end
	if KSR.is_CANCEL() then
		if KSR.tm.t_check_trans() > 0 then KSR.tm.t_relay() end
		return 1
	end
	if KSR.tm.t_check_trans() >= 0 then return 1 end -- a retransmission
	if KSR.is_INVITE() then KSR.rr.record_route() end
	KSR.pv.seti("$avp(hop)", 1)
	if not gateway() then
		KSR.sl.send_reply(404, "No gateway for this user")
		return 1
	end
	@@ROUTE_LUA@@
	KSR.tm.t_on_failure("ksr_failure_route_failover")
	if KSR.tm.t_relay() < 0 then KSR.sl.sl_reply_error() end
	return 1
end

function ksr_failure_route_failover()
	local timeout = 0
	if KSR.tm.t_branch_timeout() > 0 then timeout = 1 end
	KSR.notice("VOSTEST failure gw=" .. pv("$avp(gw)") .. " code=" .. pv("$T_reply_code")
		.. " branch_timeout=" .. timeout .. " reason=" .. pv("$vos(reason)")
		.. " stage=" .. pv("$vos(stage)") .. " sends=" .. pv("$vos(sends)")
		.. " elapsed=" .. pv("$vos(elapsed)") .. " schedule=" .. pv("$vos(schedule)")
		.. " profile=" .. pv("$vos(profile)") .. " ci=" .. pv("$ci") .. " engine=lua\n")
	if KSR.tm.t_is_canceled() > 0 then return 1 end
	KSR.pv.seti("$avp(hop)", KSR.pv.get("$avp(hop)") + 1)
	if not gateway() then return 1 end
	KSR.hdr.append("X-VOS-Reason: " .. pv("$vos(reason)") .. "\r\nX-VOS-Stage: "
		.. pv("$vos(stage)") .. "\r\nX-VOS-Sends: " .. pv("$vos(sends)")
		.. "\r\nX-VOS-Elapsed: " .. pv("$vos(elapsed)") .. "\r\n")
	@@FAILOVER_LUA@@
	KSR.tm.t_on_failure("ksr_failure_route_failover")
	KSR.tm.t_relay()
	return 1
end

-- modparam("vostimer", "branch_end_callback", "ksr_vostimer_branch_end")
function ksr_vostimer_branch_end(evname)
	KSR.notice("VOSTEST branchend evname=" .. tostring(evname) .. " gateway="
		.. pv("$vos(gateway)") .. " outcome=" .. pv("$vos(outcome)") .. " reason="
		.. pv("$vos(reason)") .. " code=" .. pv("$vos(code)") .. " pdd="
		.. pv("$vos(pdd)") .. " answer_time=" .. pv("$vos(answer_time)") .. " dst="
		.. pv("$vos(dst)") .. " callid=" .. pv("$vos(callid)") .. " engine=lua\n")
	return 1
end

-- modparam("vostimer", "event_callback", "ksr_vostimer_event")
function ksr_vostimer_event(evname)
	KSR.notice("VOSTEST event " .. tostring(evname) .. " reason=" .. pv("$vos(reason)")
		.. " stage=" .. pv("$vos(stage)") .. " sends=" .. pv("$vos(sends)")
		.. " elapsed=" .. pv("$vos(elapsed)") .. " engine=lua\n")
	return 1
end
