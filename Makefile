# SPDX-License-Identifier: GPL-2.0
# socktap: build, run, test, bench. All outputs go to $(OUTPUT); V=1 shows commands.

OUTPUT ?= build
PREFIX ?= /usr/local
DESTDIR ?=
VERSION := 0.1.0

CLANG ?= clang
BPFTOOL ?= bpftool
CC ?= cc
PKG_CONFIG ?= pkg-config
ARCH := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/' \
	-e 's/ppc64le/powerpc/' -e 's/mips.*/mips/' -e 's/riscv64/riscv/' -e 's/s390x/s390/')
VMLINUX_H := vmlinux/$(ARCH)/vmlinux.h

ifeq ($(V),1)
	Q =
	msg =
else
	Q = @
	msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

# Evaluated lazily, so that `make test` can install pkg-config first.
LIBBPF_CFLAGS = $(shell $(PKG_CONFIG) --cflags libbpf 2>/dev/null)
LIBBPF_LIBS = $(shell $(PKG_CONFIG) --libs libbpf 2>/dev/null || echo -lbpf) -lelf -lz
# top's screen (user/top_screen.c, the only ncurses user)
CURSES_LIBS = $(shell $(PKG_CONFIG) --libs ncursesw 2>/dev/null || echo -lncursesw)
MHD_LIBS = $(shell $(PKG_CONFIG) --libs libmicrohttpd 2>/dev/null || echo -lmicrohttpd)

WARN := -Wall -Wextra -Werror
CFLAGS ?= -O2 -g
override CFLAGS += -std=c11 -D_GNU_SOURCE $(WARN) -Iinclude -Iuser -I$(OUTPUT) \
	-DSOCKTAP_VERSION='"$(VERSION)"'
# -mcpu=v3: atomic OR for flags (Linux 5.12+)
BPF_CFLAGS := -g -O2 -target bpf -mcpu=v3 -D__TARGET_ARCH_$(ARCH) $(WARN) -Wno-unused-parameter \
	-Iinclude -Ibpf -I$(dir $(VMLINUX_H))

# maps.bpf.c first: libbpf 1.1's linker mislays maps whose definition comes
# after an extern declaration of them.
# The listing iterators (bpf/iter_*.bpf.c) are one light skeleton each: a
# one-shot listing loads only the iterators it reads, creates no maps, and
# leaves the CO-RE relocations to the kernel, which holds its BTF parsed.
ITER_SRCS := $(wildcard bpf/iter_*.bpf.c)
BPF_SRCS := bpf/maps.bpf.c $(filter-out bpf/maps.bpf.c $(ITER_SRCS),$(wildcard bpf/*.bpf.c))
BPF_OBJS := $(patsubst bpf/%.bpf.c,$(OUTPUT)/bpf/%.bpf.o,$(BPF_SRCS))
ITER_SKELS := $(patsubst bpf/%.bpf.c,$(OUTPUT)/%.lskel.h,$(ITER_SRCS))
SKEL := $(OUTPUT)/socktap.skel.h

# Userspace code with no libbpf and no root: also linked into the unit tests.
PURE_SRCS := $(wildcard user/json_writer.c user/print.c user/escape.c user/util.c user/strbuf.c \
	user/tcpstate.c user/parse.c user/ladder.c user/events.c user/sockets.c user/ssfilter.c \
	user/lsofspec.c user/sockfmt.c user/procnet.c user/sockdiag_parse.c user/netstat_fmt.c \
	user/columns.c user/services.c user/iter_decode.c user/ssfmt.c \
	user/sockjson.c user/procfd.c user/format.c user/flows.c user/units.c user/ifstats.c user/linkmsg.c \
	user/nload_config.c user/keytab.c user/ifsplit.c user/prom.c)
PURE_OBJS := $(patsubst user/%.c,$(OUTPUT)/user/%.o,$(PURE_SRCS))
USER_SRCS := $(filter-out $(PURE_SRCS),$(wildcard user/*.c))
USER_OBJS := $(patsubst user/%.c,$(OUTPUT)/user/%.o,$(USER_SRCS))
# Only the loader touches the skeleton.
SKEL_USERS := $(OUTPUT)/user/loader.o
ITER_SKEL_USERS := $(OUTPUT)/user/loader_iter.o

UNIT_SRCS := $(wildcard tests/unit/*.c)
UNIT_OBJS := $(patsubst tests/unit/%.c,$(OUTPUT)/tests/unit/%.o,$(UNIT_SRCS))

BIN := $(OUTPUT)/socktap
# Test helper programs: one file each (trafgen, sockmix, ...).
TEST_PROGS := $(patsubst tests/%.c,$(OUTPUT)/tests/%,$(wildcard tests/*.c))
TEST_BINS := $(OUTPUT)/tests/unit_tests $(TEST_PROGS)

.PHONY: all run test bench install clean vmlinux deps tests format
all: $(BIN)

deps:
	$(Q)scripts/install-deps.sh

$(OUTPUT) $(OUTPUT)/bpf $(OUTPUT)/user $(OUTPUT)/tests $(OUTPUT)/tests/unit:
	$(Q)mkdir -p $@

$(OUTPUT)/bpf/%.bpf.o: bpf/%.bpf.c $(VMLINUX_H) | $(OUTPUT)/bpf
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -MMD -MP -c $< -o $@

# Link all BPF objects into one, so one skeleton holds every program and map.
$(OUTPUT)/socktap.bpf.o: $(BPF_OBJS)
	$(call msg,BPFLINK,$@)
	$(Q)$(BPFTOOL) gen object $@ $^

$(SKEL): $(OUTPUT)/socktap.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name socktap_bpf > $@.tmp && mv $@.tmp $@

$(OUTPUT)/%.lbpf.o: $(OUTPUT)/bpf/%.bpf.o
	$(call msg,BPFLINK,$@)
	$(Q)$(BPFTOOL) gen object $@ $<

$(OUTPUT)/%.lskel.h: $(OUTPUT)/%.lbpf.o
	$(call msg,LSKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton -L $< name lskel_$* > $@.tmp && mv $@.tmp $@

$(SKEL_USERS): $(SKEL)
$(ITER_SKEL_USERS): $(ITER_SKELS)

$(OUTPUT)/user/%.o: user/%.c | $(OUTPUT)/user
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(LIBBPF_CFLAGS) -MMD -MP -c $< -o $@

$(BIN): $(USER_OBJS) $(PURE_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ $(LIBBPF_LIBS) $(CURSES_LIBS) $(MHD_LIBS) -lpthread $(LDFLAGS) -o $@

$(OUTPUT)/tests/unit/%.o: tests/unit/%.c | $(OUTPUT)/tests/unit
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -Itests/unit -MMD -MP -c $< -o $@

$(OUTPUT)/tests/unit_tests: $(UNIT_OBJS) $(PURE_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ -o $@

$(TEST_PROGS): $(OUTPUT)/tests/%: tests/%.c | $(OUTPUT)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -MMD -MP $< -o $@

tests: $(TEST_BINS)

# The main view: who is using the network, live.
run: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)exec $(BIN) top

test: deps
	$(Q)$(MAKE) --no-print-directory all tests
	$(Q)SOCKTAP=$(abspath $(BIN)) TESTBIN=$(abspath $(OUTPUT)/tests) tests/run.sh

bench: deps
	$(Q)$(MAKE) --no-print-directory all tests
	$(Q)SOCKTAP=$(abspath $(BIN)) TESTBIN=$(abspath $(OUTPUT)/tests) \
		OUTPUT=$(abspath $(OUTPUT)) tests/bench/run.sh

# ---- man pages (man/*.8) ----------------------------------------------------
# mdoc(7) written by hand: nothing is generated, and `make install` copies
# man/*.8 as they are, so `all` neither builds nor needs them (nor mandoc).
# `make man` checks them in place: mandoc's lint at warning level (Debian's
# mandoc, from `make deps`) and man's own warnings must say nothing.
# tests/integration/t_man.sh checks the same, and that each page's OPTIONS
# are exactly the options its command's --help prints.
MAN_PAGES := $(wildcard man/*.8)
.PHONY: man
man:
	$(call msg,MANLINT,man/*.8)
	$(Q)command -v mandoc >/dev/null || { echo "make man: mandoc is not installed (make deps)" >&2; exit 1; }
	$(Q)out=$$(mandoc -T lint -W warning $(MAN_PAGES) 2>&1); [ -z "$$out" ] || { echo "$$out" >&2; exit 1; }
	$(Q)for p in $(MAN_PAGES); do \
		w=$$(MANWIDTH=80 man --warnings -l "$$p" 2>&1 >/dev/null); \
		[ -z "$$w" ] || { echo "$$p: $$w" >&2; exit 1; }; done
# ---- end of man pages -------------------------------------------------------

# ---- install / uninstall ----------------------------------------------------
# make install [PREFIX=/usr/local] [DESTDIR=]: the binary, then whichever of
# these the tree has: man pages (man/*.8), bash and zsh completions, the
# systemd unit (its ExecStart pointed at the installed binary), README.md,
# and contrib/prometheus and contrib/grafana as examples under the doc
# directory. `make uninstall` (same PREFIX and DESTDIR) removes exactly those
# paths, then socktap's own doc directories if empty, and nothing shared.
# install builds nothing beyond `all`: after a user's `make`, a root
# `make install` finds everything up to date and only copies.
SBINDIR ?= $(PREFIX)/sbin
MAN8DIR ?= $(PREFIX)/share/man/man8
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/vendor-completions
# Debian bookworm's debhelper wants /lib/systemd/system (debian/rules sets it)
SYSTEMD_UNITDIR ?= $(PREFIX)/lib/systemd/system
DOCDIR ?= $(PREFIX)/share/doc/socktap
INST_MAN = $(wildcard man/*.8)
INST_UNITS = $(wildcard contrib/systemd/*.service)
INST_CONTRIB = $(wildcard contrib/prometheus/* contrib/grafana/*)
INST_DOCS = $(wildcard README.md)
# "source destination" pairs of the files copied as they are, mode 0644
INST_FILES = $(foreach f,$(INST_MAN),$(f) $(MAN8DIR)/$(notdir $(f))) \
	$(if $(wildcard contrib/completion/socktap.bash),contrib/completion/socktap.bash \
		$(BASHCOMPDIR)/socktap) \
	$(if $(wildcard contrib/completion/_socktap),contrib/completion/_socktap \
		$(ZSHCOMPDIR)/_socktap) \
	$(foreach f,$(INST_DOCS),$(f) $(DOCDIR)/$(f)) \
	$(foreach f,$(INST_CONTRIB),$(f) $(DOCDIR)/$(f))

.PHONY: uninstall
install: all
	$(call msg,INSTALL,$(DESTDIR)$(SBINDIR)/socktap)
	$(Q)install -D -m 0755 $(BIN) $(DESTDIR)$(SBINDIR)/socktap
	$(Q)set -- $(INST_FILES); while [ $$# -ge 2 ]; do \
		$(if $(Q),printf '  %-8s %s\n' INSTALL "$(DESTDIR)$$2";) \
		install -D -m 0644 "$$1" "$(DESTDIR)$$2" || exit 1; shift 2; done
	$(Q)for f in $(INST_UNITS); do \
		d="$(DESTDIR)$(SYSTEMD_UNITDIR)/$${f##*/}"; \
		$(if $(Q),printf '  %-8s %s\n' INSTALL "$$d";) \
		install -d -m 0755 "$(DESTDIR)$(SYSTEMD_UNITDIR)" && \
		sed 's|^\(ExecStart=[-@+!:]*\)[^ ]*/socktap\( .*\)\{0,1\}$$|\1$(SBINDIR)/socktap\2|' \
			"$$f" >"$$d.tmp" && chmod 0644 "$$d.tmp" && mv "$$d.tmp" "$$d" || exit 1; \
	done

uninstall:
	$(call msg,UNINST,$(DESTDIR)$(PREFIX))
	$(Q)rm -f $(DESTDIR)$(SBINDIR)/socktap \
		$(foreach f,$(INST_UNITS),$(DESTDIR)$(SYSTEMD_UNITDIR)/$(notdir $(f)))
	$(Q)set -- $(INST_FILES); while [ $$# -ge 2 ]; do rm -f "$(DESTDIR)$$2"; shift 2; done
	$(Q)for d in $(DOCDIR)/contrib/prometheus $(DOCDIR)/contrib/grafana \
		$(DOCDIR)/contrib $(DOCDIR); do \
		[ ! -d "$(DESTDIR)$$d" ] || rmdir --ignore-fail-on-non-empty "$(DESTDIR)$$d"; done
# ---- end of install / uninstall ---------------------------------------------

vmlinux:
	$(call msg,GEN,$(VMLINUX_H))
	$(Q)mkdir -p $(dir $(VMLINUX_H))
	$(Q)$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > $(VMLINUX_H).tmp
	$(Q)mv $(VMLINUX_H).tmp $(VMLINUX_H)

format:
	$(Q)clang-format -i bpf/*.c bpf/*.h user/*.c user/*.h include/*.h tests/*.c tests/unit/*.[ch]

clean:
	$(call msg,CLEAN,$(OUTPUT))
	$(Q)rm -rf $(OUTPUT)

-include $(wildcard $(OUTPUT)/bpf/*.d $(OUTPUT)/user/*.d $(OUTPUT)/tests/*.d $(OUTPUT)/tests/unit/*.d)

.DELETE_ON_ERROR:
.SECONDARY:
