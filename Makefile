# dialogd: build, test, install and uninstall (issue 6).
#
#   make                      release build of dialogd and dialogctl (static Swift stdlib)
#   sudo make install         binaries, config, systemd units, sysusers.d, tmpfiles.d, man pages
#   sudo make uninstall       removes what install put there; keeps an edited config and all state
#   make test                 swift test
#
# Paths follow the GNU conventions; DESTDIR stages an install (packaging, the e2e test).
# systemd reads units, sysusers.d and tmpfiles.d from /usr/local/lib as well as /usr/lib,
# so both PREFIX=/usr/local (the default) and PREFIX=/usr work without further settings.

PREFIX      ?= /usr/local
BINDIR      ?= $(PREFIX)/bin
DATADIR     ?= $(PREFIX)/share
MANDIR      ?= $(DATADIR)/man
SYSCONFDIR  ?= /etc
UNITDIR     ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
TMPFILESDIR ?= $(PREFIX)/lib/tmpfiles.d
DESTDIR     ?=

SWIFT         ?= swift
# release or debug. Debug builds are for quick staging checks only; they load Swift's shared
# libraries from the toolchain, which an installed service cannot rely on.
CONFIGURATION ?= release
# yes: link the Swift runtime and Foundation statically, so the binaries need only libc-level
# libraries and libsqlite3 (`make check-static`). no: faster link, dialogd needs the toolchain.
# yes also links a release dialogctl fully static (Package.swift, DIALOGD_STATIC_DIALOGCTL): it
# starts in half the time without the dynamic loader (issue 17, docs/benchmarks.md).
STATIC_STDLIB ?= yes
SCRATCH       ?= .build

SWIFT_FLAGS = -c $(CONFIGURATION) --scratch-path $(SCRATCH) $(if $(filter yes,$(STATIC_STDLIB)),--static-swift-stdlib)
BUILT       = $(SCRATCH)/$(CONFIGURATION)
PROGRAMS    = dialogd dialogctl
SOURCES    := Package.swift $(shell find Sources -type f 2>/dev/null)
UNITS      := $(notdir $(wildcard systemd/*.service systemd/*.socket systemd/*.timer))
MANPAGES   := $(notdir $(wildcard docs/man/*.[1-8]))
# The shipped config, kept beside the installed one so install can tell an edited
# /etc/dialogd/dialogd.conf from one it put there itself (as dpkg does for conffiles).
PRISTINE    = $(DATADIR)/dialogd/dialogd.conf
CONF        = $(SYSCONFDIR)/dialogd/dialogd.conf

.PHONY: all build test check-static install install-programs install-config install-systemd \
        install-man uninstall clean

all: build

build: $(addprefix $(BUILT)/,$(PROGRAMS))

# One rule for both binaries: SwiftPM decides what is stale; make only asks when a source changed.
$(addprefix $(BUILT)/,$(PROGRAMS)) &: $(SOURCES)
	$(if $(filter yes,$(STATIC_STDLIB)),DIALOGD_STATIC_DIALOGCTL=1) $(SWIFT) build $(SWIFT_FLAGS) --product dialogd
	$(if $(filter yes,$(STATIC_STDLIB)),DIALOGD_STATIC_DIALOGCTL=1) $(SWIFT) build $(SWIFT_FLAGS) --product dialogctl

test:
	$(SWIFT) test

# Fails when a binary would load a Swift library from the toolchain (only with STATIC_STDLIB=yes).
check-static: build
	@for p in $(PROGRAMS); do \
	  if ldd $(BUILT)/$$p 2>&1 | grep -E 'libswift|libFoundation|libdispatch|libBlocksRuntime|/opt/swift|not found'; then \
	    echo "check-static: $(BUILT)/$$p needs the libraries above"; exit 1; fi; \
	done; echo "check-static: $(PROGRAMS) need no Swift libraries at run time"

install: install-programs install-config install-systemd install-man
	@echo
	@echo "Installed under $(DESTDIR)$(PREFIX). Next, as root (README.md, 'Running as a service'):"
	@echo "  systemd-sysusers && systemd-tmpfiles --create && systemctl daemon-reload"
	@echo "  systemctl enable --now dialogd.socket dialogd.service dialogd-report.timer"
	@echo "  (a site reporting to a central daemon also: systemctl enable --now dialogd-ship.timer)"

install-programs: build
	install -d $(DESTDIR)$(BINDIR)
	install -m 0755 $(addprefix $(BUILT)/,$(PROGRAMS)) $(DESTDIR)$(BINDIR)/

# A missing config is installed; one still equal to the previously shipped file is updated;
# an edited one is kept and the new default goes beside it as dialogd.conf.new.
install-config:
	install -d -m 0755 $(DESTDIR)$(SYSCONFDIR)/dialogd $(DESTDIR)$(DATADIR)/dialogd
	@conf=$(DESTDIR)$(CONF); pristine=$(DESTDIR)$(PRISTINE); \
	if [ ! -e "$$conf" ] || cmp -s "$$conf" "$$pristine"; then \
	  install -m 0644 config/dialogd.conf "$$conf"; echo "installed $$conf"; \
	elif cmp -s "$$conf" config/dialogd.conf; then \
	  echo "$$conf is up to date"; \
	else \
	  install -m 0644 config/dialogd.conf "$$conf.new"; \
	  echo "NOTE: $$conf was edited and is kept as it is; the new default is $$conf.new"; \
	fi
	install -m 0644 config/dialogd.conf $(DESTDIR)$(PRISTINE)

# Units name the installed paths: /usr/local/bin and /etc/dialogd are replaced by BINDIR and
# SYSCONFDIR/dialogd, so the units always start the binary this install put in place.
install-systemd:
	install -d $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(TMPFILESDIR)
	@for u in $(UNITS); do \
	  echo "install systemd/$$u -> $(DESTDIR)$(UNITDIR)/$$u"; \
	  sed -e 's|/usr/local/bin/|$(BINDIR)/|g' -e 's|/etc/dialogd/|$(SYSCONFDIR)/dialogd/|g' \
	    systemd/$$u > $(DESTDIR)$(UNITDIR)/$$u.tmp && chmod 0644 $(DESTDIR)$(UNITDIR)/$$u.tmp && \
	  mv $(DESTDIR)$(UNITDIR)/$$u.tmp $(DESTDIR)$(UNITDIR)/$$u || exit 1; \
	done
	install -m 0644 systemd/dialogd.sysusers $(DESTDIR)$(SYSUSERSDIR)/dialogd.conf
	install -m 0644 systemd/dialogd.tmpfiles $(DESTDIR)$(TMPFILESDIR)/dialogd.conf

install-man:
	@for m in $(MANPAGES); do \
	  s=$${m##*.}; install -d $(DESTDIR)$(MANDIR)/man$$s && \
	  install -m 0644 docs/man/$$m $(DESTDIR)$(MANDIR)/man$$s/$$m && echo "install docs/man/$$m -> $(DESTDIR)$(MANDIR)/man$$s/$$m" || exit 1; \
	done

# Stop the service first (systemctl disable --now dialogd.socket dialogd.service). The spool,
# the database and an edited config are data, not installed files: they stay.
uninstall:
	rm -f $(addprefix $(DESTDIR)$(BINDIR)/,$(PROGRAMS))
	rm -f $(addprefix $(DESTDIR)$(UNITDIR)/,$(UNITS))
	rm -f $(DESTDIR)$(SYSUSERSDIR)/dialogd.conf $(DESTDIR)$(TMPFILESDIR)/dialogd.conf
	@for m in $(MANPAGES); do rm -f $(DESTDIR)$(MANDIR)/man$${m##*.}/$$m; done
	@conf=$(DESTDIR)$(CONF); pristine=$(DESTDIR)$(PRISTINE); \
	if [ -e "$$conf" ] && cmp -s "$$conf" "$$pristine"; then rm -f "$$conf"; \
	elif [ -e "$$conf" ]; then echo "kept $$conf: it was edited"; fi; \
	if [ -e "$$conf.new" ] && cmp -s "$$conf.new" "$$pristine"; then rm -f "$$conf.new"; fi
	rm -f $(DESTDIR)$(PRISTINE)
	@for d in $(DESTDIR)$(DATADIR)/dialogd $(DESTDIR)$(SYSCONFDIR)/dialogd; do \
	  if [ -d "$$d" ]; then rmdir --ignore-fail-on-non-empty "$$d"; fi; done
	@echo "State in /var/lib/dialogd, /var/spool/dialogd, /var/lib/dialogd-reports and /var/lib/dialogd-ship, and the dialogd users and groups, are left in place."

clean:
	$(SWIFT) package clean --scratch-path $(SCRATCH)
