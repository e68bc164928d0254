# vostimer - VOS3000-style SIP timing for Kamailio's tm.
#   make deps     install packages, fetch + configure the matching Kamailio source
#   make          build modules/vostimer/vostimer.so and the vos2kam tool
#   make install  copy them into the installed Kamailio
#   make test     unit + end-to-end tests (real kamailio, real SIP peers)
#   make demo     build, start kamailio with etc/kamailio.cfg, place calls, print the timeline
#   make bench    send-time accuracy benchmark (vostimer vs tm's own timers)
SHELL := /bin/bash
TOP := $(CURDIR)
# recursive (=): evaluated when a recipe runs, i.e. after `make deps` installed kamailio
KVER = $(shell dpkg-query -W -f='$${Version}' kamailio 2>/dev/null | sed 's/-[^-]*$$//')
# a user's own Kamailio tree (environment or command line) wins over the Debian source
ifeq ($(origin KAMAILIO_SRC),undefined)
KAMAILIO_SRC = $(TOP)/build/kamailio-$(KVER)/src
DEPS_ENV :=
else
DEPS_ENV := KAMAILIO_SRC=$(KAMAILIO_SRC)
endif
KMODDIR ?= $(shell dirname $$(dpkg -L kamailio 2>/dev/null | grep '/modules/tm.so$$' | head -1) 2>/dev/null)
BINDIR ?= /usr/local/bin

.PHONY: all deps module tools install test unit e2e demo bench doc format clean

all: module tools

deps:
	@$(DEPS_ENV) ./modules/deps.sh

module:
	@test -f $(KAMAILIO_SRC)/Makefile.defs || { echo "no Kamailio source at $(KAMAILIO_SRC): run 'make deps' or set KAMAILIO_SRC"; exit 1; }
	$(MAKE) -C modules/vostimer COREPATH=$(KAMAILIO_SRC)
	@core=$$(kamailio -v 2>/dev/null | sed -n 's/^flags: //p' | sed 's/ *$$//'); \
	mod=$$(strings modules/vostimer/vostimer.so | grep -m1 '^USE_TCP' | sed 's/ *$$//'); \
	if [ -n "$$core" ] && [ "$$core" != "$$mod" ]; then \
		echo "vostimer.so's compile flags differ from the installed kamailio's - it would not load:"; \
		echo "  kamailio: $$core"; echo "  module:   $$mod"; \
		echo "  (rm -rf build; make deps) or set KAMAILIO_SRC to a tree configured like the binary"; \
		exit 1; fi

tools:
	$(MAKE) -C modules/vostimer/utils/vos2kam

install: all
	install -m 755 modules/vostimer/vostimer.so $(KMODDIR)/vostimer.so
	install -m 755 modules/vostimer/utils/vos2kam/vos2kam $(BINDIR)/vos2kam
	@echo "installed $(KMODDIR)/vostimer.so and $(BINDIR)/vos2kam"

unit:
	$(MAKE) -s -C test/unit

e2e: all
	@test/e2e/run.sh

test: deps all
	@test/run-all.sh

demo: deps all
	@test/demo.sh

bench: deps all
	@test/bench/bench.sh

# modules/vostimer/README from the docbook sources, with Kamailio's own txt.xsl
# (needs xsltproc docbook-xsl docbook-xml lynx)
doc:
	cd modules/vostimer/doc && xmllint --nonet --xinclude --postvalid --noout vostimer.xml && \
	xsltproc --nonet --novalid --xinclude $(KAMAILIO_SRC)/../doc/docbook/txt.xsl vostimer.xml \
	  | LANG=C.UTF-8 lynx -nolist -stdin -dump > ../README

format:
	clang-format -i --style=file:$(KAMAILIO_SRC)/../.clang-format modules/vostimer/*.[ch] modules/vostimer/utils/vos2kam/*.c test/unit/*.c

clean:
	$(MAKE) -C modules/vostimer COREPATH=$(KAMAILIO_SRC) clean 2>/dev/null || true
	$(MAKE) -C modules/vostimer/utils/vos2kam clean 2>/dev/null || true
	$(MAKE) -C test/unit clean 2>/dev/null || true
	rm -rf test/out
