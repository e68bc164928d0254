#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""make deb's package, unpacked and run: builds it (debian/build-deb.sh) when missing or
older than the sources; checks its control fields (Version <vostimer>+kamailio<upstream>-1,
Depends kamailio (= the installed version) and libconfig9, Architecture, Section) and its
files (the module in kamailio's module dir, /usr/bin/vos2kam, its man page matching
doc/vos2kam.1.md, examples, docs, nothing under /etc); unpacks it with dpkg-deb -x; the
unpacked vos2kam converts the unpacked examples/vos3000-export.txt, and kamailio loads
the unpacked vostimer.so (checked in /proc/<pid>/maps) with that profile: a silent
gateway gets sends at 0, 0.5, 1.5, 3.5, 7.5 s, invite_timeout at 8 s, and the
answering gateway answers the call. Skipped (not counted) when the tests run another
Kamailio than the installed package (make KAMAILIO=trixie test)."""
import glob
import gzip
import os
import re
import shutil
import subprocess
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test, ROOT, KAMAILIO
import vos_checks as vc

PKG = "kamailio-vostimer-modules"
DOC = "/usr/share/doc/" + PKG
# what the package is built from: newer than the .deb -> build it again
SOURCES = ["Makefile", "README.md", "modules/deps.sh", "modules/vostimer/*.[ch]",
           "modules/vostimer/Makefile", "modules/vostimer/README",
           "modules/vostimer/utils/vos2kam/*", "debian/*", "debian/*/*", "etc/*", "doc/*"]


def run(argv, **kw):
    return subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          **kw)


def installed_kamailio():
    """(version, module dir, binary) of the kamailio Debian package."""
    ver = run(["dpkg-query", "-W", "-f=${Version}", "kamailio"]).stdout.strip()
    files = run(["dpkg", "-L", "kamailio"]).stdout.split()
    moddir = next((os.path.dirname(f) for f in files if f.endswith("/modules/tm.so")), None)
    binary = next((f for f in files if f.endswith("/sbin/kamailio")), None)
    return ver, moddir, binary


def stale(deb):
    if not os.path.exists(deb):
        return "missing"
    mt = os.path.getmtime(deb)
    for pat in SOURCES:
        for f in glob.glob(os.path.join(ROOT, pat)):
            if os.path.isfile(f) and os.path.getmtime(f) > mt:
                return "older than %s" % os.path.relpath(f, ROOT)
    return None


def scenario(t):
    kver, moddir, kbin = installed_kamailio()
    t.require(kver and moddir and kbin, "the kamailio package is not installed")
    ours = shutil.which(KAMAILIO) or KAMAILIO
    if os.path.realpath(ours) != os.path.realpath(kbin):
        t.skip("the .deb is for the installed kamailio (%s); the tests run %s"
               % (kbin, ours))

    # ---- the .deb: built when missing or stale ---------------------------------
    script = os.path.join(ROOT, "debian", "build-deb.sh")
    deb = run([script, "--path"], env=dict(os.environ, KAMAILIO="installed")).stdout.strip()
    why = stale(deb)
    if why:
        t.note("building %s (%s)" % (os.path.basename(deb), why))
        p = run([script], env=dict(os.environ, KAMAILIO="installed"), timeout=t.timeout)
        with open(t.path("build-deb.log"), "w") as f:
            f.write(p.stdout)
        t.require(p.returncode == 0 and os.path.exists(deb),
                  "debian/build-deb.sh failed (rc %d):\n%s"
                  % (p.returncode, "\n".join(p.stdout.splitlines()[-15:])))
    t.note("package %s" % deb)

    # ---- control fields -----------------------------------------------------------
    with open(os.path.join(ROOT, "modules/vostimer/utils/vos2kam/vos2kam.c")) as f:
        version = re.search(r'#define VOSTIMER_VERSION "([^"]+)"', f.read()).group(1)
    kup = kver.rsplit("-", 1)[0]
    arch = run(["dpkg", "--print-architecture"]).stdout.strip()
    t.check(os.path.basename(deb) == "%s_%s+kamailio%s-1_%s.deb" % (PKG, version, kup, arch),
            "unexpected file name %s" % os.path.basename(deb))
    fields = {}
    for name in ("Package", "Version", "Architecture", "Depends", "Section", "Maintainer",
                 "Description"):
        fields[name] = run(["dpkg-deb", "-f", deb, name]).stdout.strip()
    want = {"Package": PKG, "Version": "%s+kamailio%s-1" % (version, kup),
            "Architecture": arch, "Section": "net"}
    bad = vc.mismatches(fields, want)
    t.check(not bad, "control fields: " + ", ".join(bad))
    deps = [d.strip() for d in fields["Depends"].split(",")]
    t.check("kamailio (= %s)" % kver in deps,
            "Depends %r lacks kamailio (= %s)" % (fields["Depends"], kver))
    t.check(any(re.match(r"libconfig9\b", d) for d in deps),
            "Depends %r lacks libconfig9" % fields["Depends"])
    t.check(fields["Maintainer"] and len(fields["Description"].splitlines()) > 3,
            "Maintainer or a long Description missing: %r" % fields)

    # ---- files --------------------------------------------------------------------
    listing = run(["dpkg-deb", "-c", deb]).stdout.splitlines()
    files = {l.split()[-1].lstrip(".") for l in listing if l.strip()}
    so = moddir + "/vostimer.so"
    need = [so, "/usr/bin/vos2kam", "/usr/share/man/man1/vos2kam.1.gz",
            DOC + "/copyright", DOC + "/README.md", DOC + "/README.module.gz",
            DOC + "/examples/kamailio.cfg", DOC + "/examples/vostimer.profiles",
            DOC + "/examples/vos3000-export.txt"]
    need += [DOC + "/doc/" + os.path.basename(f)
             for f in glob.glob(os.path.join(ROOT, "doc", "*.md"))]
    missing = [f for f in need if f not in files]
    t.check(not missing, "not in the package: " + ", ".join(missing))
    etc = sorted(f for f in files if f.startswith("/etc/"))
    t.check(not etc, "the package installs into /etc: " + ", ".join(etc))

    root = t.path("root")
    p = run(["dpkg-deb", "-x", deb, root])
    t.require(p.returncode == 0, "dpkg-deb -x: %s" % p.stdout)
    so_x = root + so
    vos2kam_x = root + "/usr/bin/vos2kam"
    t.require(os.path.isfile(so_x), "no %s after dpkg-deb -x" % so_x)

    # ---- the man page says what doc/vos2kam.1.md says ----------------------------
    with gzip.open(root + "/usr/share/man/man1/vos2kam.1.gz", "rt") as f:
        man = f.read()
    with open(os.path.join(ROOT, "doc", "vos2kam.1.md")) as f:
        md = f.read()
    plain = man.replace("\\-", "-").replace("\\&", "")
    t.check(re.search(r'^\.TH "?VOS2KAM"? "?1"?', man, re.M), "man page: no .TH VOS2KAM 1")
    heads = re.findall(r"^## (.+)$", md, re.M)
    miss = [h for h in heads if not re.search(r"^\.SH \"?%s\"?$" % re.escape(h), man, re.M)]
    t.check(heads and not miss, "man page lacks the sections %s of doc/vos2kam.1.md" % miss)
    opts = sorted(set(re.findall(r"--[a-z][a-z-]+", md)))
    miss = [o for o in opts if o not in plain]
    t.check(not miss, "man page lacks %s (in doc/vos2kam.1.md)" % miss)
    if shutil.which("man"):  # renders without a groff warning
        p = subprocess.run(["man", "-l", root + "/usr/share/man/man1/vos2kam.1.gz"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           env=dict(os.environ, MANPAGER="cat", MANWIDTH="80"))
        t.check(p.returncode == 0 and "SYNOPSIS" in p.stdout and not p.stderr.strip(),
                "man -l vos2kam.1.gz: rc %d, %s" % (p.returncode, p.stderr.strip()))

    # ---- the unpacked vos2kam ----------------------------------------------------
    p = run([vos2kam_x, "--help"])
    t.check(p.returncode == 0 and "--merge" in p.stdout,
            "unpacked vos2kam --help: rc %d: %s" % (p.returncode, p.stdout[:200]))
    p = run([vos2kam_x, "--version"])
    t.check(p.returncode == 0 and p.stdout.split()[-1:] == [version],
            "unpacked vos2kam --version: %r, expected %s" % (p.stdout.strip(), version))
    prof = t.path("vos3000.profiles")
    p = subprocess.run([vos2kam_x, "-o", prof, root + DOC + "/examples/vos3000-export.txt"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=20)
    t.require(p.returncode == 0 and os.path.exists(prof),
              "unpacked vos2kam on examples/vos3000-export.txt: rc %d\n%s"
              % (p.returncode, p.stderr))

    # ---- a call through kamailio with the unpacked module ------------------------
    silent, backup = t.gateway("silent"), t.gateway("answer", ring=20)
    t.kamailio(gws=[silent, backup], vos={"profiles_file": prof},
               route='vos_profile("vos3000");', VOSTIMER_SO=so_x)
    with open("/proc/%d/maps" % t.kam.pid) as f:
        maps = {l.split()[-1] for l in f if "vostimer" in l}
    t.check(maps == {so_x}, "kamailio mapped %s, expected only %s" % (sorted(maps), so_x))
    t.expect_sipp_ok(t.sipp("invite", final=200))
    t.expect_sends(silent, [0, 0.5, 1.5, 3.5, 7.5])
    t.expect_failover(silent, backup, 8)
    t.expect_failover_reason(backup, "invite_timeout", sends=5, stage="invite")


# building the package (apt-get of debhelper on a fresh machine, then ~30 s) + a 9 s call
Test(__file__, timeout=240).run(scenario)
