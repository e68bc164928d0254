# SPDX-License-Identifier: GPL-2.0-or-later
# vostimer - VOS3000-style SIP timing for Kamailio's tm.
#   make deps     install packages, fetch + configure the Kamailio it is built for
#   make          build the module (vostimer.so) and the vos2kam tool
#   make install  copy them into the installed Kamailio
#   make test     unit (plain and under ASan+UBSan), cli + end-to-end tests (real
#                 kamailio, real SIP peers)
#   make fuzz     libFuzzer on every parser, FUZZ_SECONDS (default 60) per target
#   make demo     build, start kamailio with etc/kamailio.cfg, place calls, print the timeline
#   make bench    cost and send-time accuracy, vostimer vs tm's own timers (doc/performance.md)
#   make soak     chaos run: 20,000 calls, lossy/late/busy gateways, CANCELs, reloads (doc/testing.md)
#   make print-kamailio   the chosen Kamailio's paths, as VAR=value lines
# KAMAILIO= chooses the Kamailio every target builds for and runs:
#   installed (default)   the Debian package on this machine
#   trixie                Debian trixie's kamailio source package, built under build/trixie
#   path/to/kamailio-X.Y.Z.tar.xz   an upstream release tarball, built under build/kamailio-X.Y.Z
# KAMAILIO_SRC=/path/to/kamailio/src builds against your own tree (installed binary).
SHELL := /bin/bash
TOP := $(CURDIR)
KAMAILIO ?= installed
# a user's own Kamailio tree (environment or command line) wins over the Debian source
ifneq ($(origin KAMAILIO_SRC),undefined)
export KAMAILIO_SRC
endif
# the chosen Kamailio's paths (modules/deps.sh --print), exported to a recipe's shell;
# evaluated when the recipe runs, i.e. after `make deps`
KENV = set -a; eval "$$($(TOP)/modules/deps.sh --print '$(KAMAILIO)')"; set +a
BINDIR ?= /usr/local/bin
FUZZ_SECONDS ?= 60

.PHONY: all deps module tools install test unit e2e demo bench soak fuzz doc format clean print-kamailio deb

all: module tools

deps:
	@./modules/deps.sh '$(KAMAILIO)'

print-kamailio:
	@./modules/deps.sh --print '$(KAMAILIO)' | grep -E '^(KAMAILIO_BIN|KAMAILIO_MPATH|KAMAILIO_SRC|KAMCMD|VOSTIMER_SO|VOS2KAM)='

# The installed target builds in modules/vostimer as before; other targets in a
# directory of their own (build/<target>/vostimer, the sources linked in), so that one
# tree serves several Kamailio versions side by side. Kamailio loads a module only if
# its module_version and module_flags equal the core's, as tm.so's do: compared here
# (`kamailio -v` is no reference: on 6.1 it lists DBG_QM_MALLOC, which modules lack).
module:
	@$(KENV); \
	test -f "$$KAMAILIO_SRC/Makefile.defs" || { echo "no Kamailio source at $$KAMAILIO_SRC: run 'make KAMAILIO=$(KAMAILIO) deps' or set KAMAILIO_SRC"; exit 1; }; \
	if [ "$$VOSTIMER_DIR" != "$(TOP)/modules/vostimer" ]; then \
		mkdir -p "$$VOSTIMER_DIR" && find "$$VOSTIMER_DIR" -maxdepth 1 -xtype l -delete; \
		for f in $(TOP)/modules/vostimer/*.[ch] $(TOP)/modules/vostimer/Makefile; do \
			ln -sf "$$f" "$$VOSTIMER_DIR/"; done; \
	fi; \
	$(MAKE) -C "$$VOSTIMER_DIR" COREPATH="$$KAMAILIO_SRC" || exit 1; \
	tm=$$(ls "$$KAMAILIO_MPATH"tm.so "$$KAMAILIO_MPATH"tm/tm.so 2>/dev/null | head -1); \
	if [ -n "$$tm" ]; then \
		core=$$(strings "$$tm" | grep -E '^kamailio [0-9]|^USE_TCP' | sort -u); \
		mod=$$(strings "$$VOSTIMER_SO" | grep -E '^kamailio [0-9]|^USE_TCP' | sort -u); \
		if [ "$$core" != "$$mod" ]; then \
			echo "$$VOSTIMER_SO's version or compile flags differ from $$tm's - kamailio would not load it:"; \
			echo "  tm.so:       $$core"; echo "  vostimer.so: $$mod"; \
			echo "  (rm -rf build; make deps) or set KAMAILIO_SRC to a tree configured like the binary"; \
			exit 1; fi; \
	fi

tools:
	$(MAKE) -C modules/vostimer/utils/vos2kam

install: all
	@$(KENV); \
	install -m 755 "$$VOSTIMER_SO" "$$KAMAILIO_MPATH/vostimer.so" && \
	install -m 755 "$$VOS2KAM" $(BINDIR)/vos2kam && \
	echo "installed $$KAMAILIO_MPATH/vostimer.so and $(BINDIR)/vos2kam"

unit:
	$(MAKE) -s -C test/unit

e2e: all
	@$(KENV); test/e2e/run.sh

test: deps all
	@$(KENV); echo "== kamailio: $$("$$KAMAILIO_BIN" -v | head -1)"; test/run-all.sh

# each target in test/fuzz for FUZZ_SECONDS from its seed corpus; one line per target
# (runs, findings), a summary line last; non-zero on any finding (test/fuzz/run.sh)
fuzz:
	@./modules/deps.sh --need clang libclang-rt-dev libconfig-dev pkg-config make
	@$(MAKE) -s -C test/fuzz run FUZZ_SECONDS=$(FUZZ_SECONDS)

demo: deps all
	@$(KENV); test/demo.sh

bench: deps all
	@$(KENV); test/bench/bench.sh

# not part of `make test`: about 9 minutes; SOAK_CALLS, SOAK_RATE, ... (test/soak/soak.py)
soak: deps all
	@$(KENV); python3 test/soak/soak.py

# kamailio-vostimer-modules_<version>_<arch>.deb for the installed kamailio, in build/
deb: deps all
	@KAMAILIO='$(KAMAILIO)' debian/build-deb.sh

# modules/vostimer/README from the docbook sources, with Kamailio's own txt.xsl
# (needs xsltproc docbook-xsl docbook-xml lynx)
doc:
	@$(KENV); cd modules/vostimer/doc && xmllint --nonet --xinclude --postvalid --noout vostimer.xml && \
	xsltproc --nonet --novalid --xinclude "$$KAMAILIO_SRC/../doc/docbook/txt.xsl" vostimer.xml \
	  | LANG=C.UTF-8 lynx -nolist -stdin -dump > ../README

format:
	@$(KENV); clang-format -i --style=file:"$$KAMAILIO_SRC/../.clang-format" modules/vostimer/*.[ch] modules/vostimer/utils/vos2kam/*.c test/unit/*.c test/fuzz/*.[ch]

clean:
	@$(KENV); $(MAKE) -C "$$VOSTIMER_DIR" COREPATH="$$KAMAILIO_SRC" clean 2>/dev/null || true
	$(MAKE) -C modules/vostimer/utils/vos2kam clean 2>/dev/null || true
	$(MAKE) -C test/unit clean 2>/dev/null || true
	$(MAKE) -C test/fuzz clean 2>/dev/null || true
	rm -rf test/out
