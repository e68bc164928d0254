# SPDX-License-Identifier: GPL-2.0-or-later
"""rpc_out.py: an RPC reply read back as Python values, over either transport.

kamcmd (binrpc through ctl) prints a reply as text: a struct as "{", one "name: value"
line per member, "}"; a member that is a struct or an array as "name: {" and its
items one per line (binrpc has no array inside a struct: kamcmd shows an RPC array
member as a block of unnamed values). kamcmd_values() parses that text back: a block
with named members becomes a dict, one of unnamed values a list; scalars stay the
text kamcmd printed ("10", "0.500000", "1" for true - binrpc has no boolean). A line
"a b: c" is a string value, not a member: member names hold no blank, while a
warning of vostimer.check / reload reads "profile fast: timeout_invite 0: ...".

jsonrpc() POSTs a JSON-RPC 2.0 request to jsonrpcs over HTTP (xhttp on the test's SIP
TCP port, path /RPC: test/e2e/cfg/jsonrpc.cfg) and returns the decoded reply.
"""
import itertools
import json
import urllib.error
import urllib.request

_ids = itertools.count(1)


def kamcmd_values(text):
    """The top-level values of a kamcmd printout, parsed (see the module doc)."""
    top = []
    stack = []  # open blocks: [name, [(member name or None, value), ...]]
    for line in text.split("\n"):
        line = line.lstrip("\t").rstrip("\r")
        if line.strip() == "":
            continue
        if line == "}" and stack:
            name, items = stack.pop()
            value = _block(items)
            (stack[-1][1] if stack else top).append((name, value))
            continue
        name, sep, value = line.partition(": ")
        if not sep and line.endswith(":"):  # "name:" - an empty string value
            name, sep, value = line[:-1], ":", ""
        if not sep or " " in name:  # a member name has no blank: a string value
            name, value = None, line
        if value == "{":
            stack.append([name, []])
        elif stack:
            stack[-1][1].append((name, value))
        else:
            top.append((name, value))
    return [v for _, v in top]


def _block(items):
    if items and all(n is not None for n, _ in items):
        return {n: v for n, v in items}
    return [v for _, v in items]


def kamcmd_struct(text):
    """The reply's struct as a dict when kamcmd printed exactly one struct; else None
    (a fault, "error: <code> - <message>", or anything else)."""
    vals = kamcmd_values(text)
    return vals[0] if len(vals) == 1 and isinstance(vals[0], dict) else None


def answered_ok(text):
    """kamcmd vostimer.reload / vostimer.check printed a passed result {ok: 1, ...}."""
    return (kamcmd_struct(text) or {}).get("ok") == "1"


def numbers(values):
    """A kamcmd list of numbers ("0.500000", "1") as floats."""
    return [float(v) for v in values] if isinstance(values, list) else values


def jsonrpc(t, method, *params, path="/RPC", timeout=10):
    """POST {"jsonrpc": "2.0", "method": method, "params": [...], "id": n} to
    http://127.0.0.1:<t.port><path>; returns (reply dict, raw text). A fault comes
    back as an HTTP error status whose body is the JSON-RPC error object: read too."""
    req = {"jsonrpc": "2.0", "method": method, "id": next(_ids)}
    if params:
        req["params"] = list(params)
    body = json.dumps(req).encode()
    r = urllib.request.Request("http://127.0.0.1:%d%s" % (t.port, path), data=body,
                               headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(r, timeout=timeout) as resp:
            raw = resp.read().decode()
    except urllib.error.HTTPError as e:
        raw = e.read().decode()
    return json.loads(raw), raw
