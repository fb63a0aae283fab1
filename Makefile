# SPDX-License-Identifier: GPL-2.0
# socktap: build, run, test, bench. All outputs go to $(OUTPUT); V=1 shows commands.

# SANITIZE=1: userspace built with AddressSanitizer and UndefinedBehaviorSanitizer
# (into build-sanitize/, apart from the normal build), for `make test SANITIZE=1`
ifeq ($(SANITIZE),1)
OUTPUT ?= build-sanitize
SANITIZE_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer
else
OUTPUT ?= build
SANITIZE_FLAGS :=
endif
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
	-DSOCKTAP_VERSION='"$(VERSION)"' $(SANITIZE_FLAGS)
override LDFLAGS += $(SANITIZE_FLAGS)
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
	user/lsofspec.c user/sockfmt.c user/procnet.c user/ifconfig_fmt.c user/sockdiag_parse.c user/netstat_fmt.c \
	user/columns.c user/services.c user/iter_decode.c user/ssfmt.c \
	user/sockjson.c user/procfd.c user/format.c user/flows.c user/units.c user/ifstats.c user/linkmsg.c \
	user/nload_config.c user/keytab.c user/ifsplit.c user/prom.c user/privilege.c user/kbugs.c)
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
TEST_BINS := $(OUTPUT)/tests/unit_tests $(TEST_PROGS) $(OUTPUT)/tests/floor

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
	$(Q)$(CC) $(CFLAGS) $^ $(LIBBPF_LIBS) $(CURSES_LIBS) -lpthread $(LDFLAGS) -o $@

$(OUTPUT)/tests/unit/%.o: tests/unit/%.c | $(OUTPUT)/tests/unit
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -Itests/unit -MMD -MP -c $< -o $@

$(OUTPUT)/tests/unit_tests: $(UNIT_OBJS) $(PURE_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ -o $@

$(TEST_PROGS): $(OUTPUT)/tests/%: tests/%.c | $(OUTPUT)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -MMD -MP $< -o $@

# The benchmarks' floor arm (tests/bench/floor.c): do-nothing programs on
# socktap's attach points, in a skeleton of their own.
$(OUTPUT)/tests/floor.bpf.o: tests/bench/floor.bpf.c $(VMLINUX_H) | $(OUTPUT)/tests
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -MMD -MP -c $< -o $@

$(OUTPUT)/tests/floor.skel.h: $(OUTPUT)/tests/floor.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name floor_bpf > $@.tmp && mv $@.tmp $@

# the listings' floors: iterators that do nothing (floor_files) or read the
# least a row needs (floor_rows), as light skeletons, as socktap loads its
# iterators
.PRECIOUS: $(OUTPUT)/tests/floor_%.bpf.o $(OUTPUT)/tests/floor_%.lbpf.o
$(OUTPUT)/tests/floor_%.bpf.o: tests/bench/floor_%.bpf.c $(VMLINUX_H) | $(OUTPUT)/tests
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -MMD -MP -c $< -o $@

$(OUTPUT)/tests/floor_%.lbpf.o: $(OUTPUT)/tests/floor_%.bpf.o
	$(call msg,BPFLINK,$@)
	$(Q)$(BPFTOOL) gen object $@ $<

$(OUTPUT)/tests/floor_%.lskel.h: $(OUTPUT)/tests/floor_%.lbpf.o
	$(call msg,LSKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton -L $< name floor_$* > $@.tmp && mv $@.tmp $@

$(OUTPUT)/tests/floor: tests/bench/floor.c $(OUTPUT)/tests/floor.skel.h $(OUTPUT)/tests/floor_files.lskel.h $(OUTPUT)/tests/floor_rows.lskel.h
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(LIBBPF_CFLAGS) -Itests -I$(OUTPUT)/tests -MMD -MP $< $(LIBBPF_LIBS) -lpthread $(LDFLAGS) -o $@

tests: $(TEST_BINS)

# The main view: who is using the network, live.
run: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)exec $(BIN) top

# under the sanitizers: leaks reported, and a small quarantine for freed
# memory, so that the tests' flat-memory checks measure socktap, not ASan
test: deps
	$(Q)$(MAKE) --no-print-directory all tests
	$(Q)$(if $(filter 1,$(SANITIZE)),ASAN_OPTIONS=detect_leaks=1:quarantine_size_mb=8 \
		UBSAN_OPTIONS=print_stacktrace=1,) \
		SOCKTAP=$(abspath $(BIN)) TESTBIN=$(abspath $(OUTPUT)/tests) tests/run.sh

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

# ---- fuzzing (tests/fuzz/) --------------------------------------------------
# One libFuzzer target per parser of outside input: tests/fuzz/fuzz_NAME.c,
# its seeds in tests/fuzz/corpus/NAME/ (tests/fuzz/README.md). Built with
# clang's libFuzzer, ASan and UBSan (any UBSan finding aborts, so libFuzzer
# keeps the input) into $(OUTPUT)/fuzz/, from objects of the pure sources
# (and http.c) compiled again with those flags into $(OUTPUT)/fuzz/obj/: the
# normal build in $(OUTPUT)/user/ is not touched.
#   make fuzz-build     the targets (FUZZ_TARGETS="ssfilter parse": some)
#   make -j2 fuzz       each target for FUZZ_SECONDS (600) on a copy of its
#                       seeds, $(OUTPUT)/fuzz/corpus/NAME/, kept across runs
#                       (what a run finds seeds the next); crashes go to
#                       $(OUTPUT)/fuzz/crashes/NAME/, logs to fuzz/run/NAME.log;
#                       fails at the end if any target crashed
#   make -j2 fuzz-smoke each for FUZZ_SMOKE_SECONDS (5), seeds read only
#                       (new inputs to a scratch directory): make test's run
#                       (tests/integration/t_fuzz.sh)
FUZZ_CC ?= $(CLANG)
FUZZ_SECONDS ?= 600
FUZZ_SMOKE_SECONDS ?= 5
# an input slower than this (seconds) is a hang, kept as a crash
FUZZ_TIMEOUT ?= 10
FUZZ_DIR := $(OUTPUT)/fuzz
# clang's -Wextra warns of designated and positional initializers that leave
# fields zero (gcc's, the normal build's, does not); the code relies on that
FUZZ_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) -Wno-missing-field-initializers \
	-g -O1 -fno-omit-frame-pointer \
	-fsanitize=address,undefined -fno-sanitize-recover=all \
	-Iinclude -Iuser -Itests/fuzz -Itests/unit -I$(OUTPUT) -DSOCKTAP_VERSION='"$(VERSION)"'
FUZZ_OBJS := $(patsubst user/%.c,$(FUZZ_DIR)/obj/%.o,$(PURE_SRCS) user/http.c)
FUZZ_LIB := $(FUZZ_DIR)/libsocktap-fuzz.a
FUZZ_ALL := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_TARGETS ?= $(FUZZ_ALL)
# libraries a target needs beyond the pure objects
FUZZ_LIBS_http_listen = $(MHD_LIBS)
FUZZ_LIBS_http_request = $(MHD_LIBS)
FUZZ_RUN_FLAGS = -timeout=$(FUZZ_TIMEOUT) -rss_limit_mb=2048 -print_final_stats=1

.PHONY: fuzz fuzz-build fuzz-smoke
fuzz-build: $(addprefix $(FUZZ_DIR)/fuzz_,$(FUZZ_TARGETS))

$(FUZZ_DIR)/obj:
	$(Q)mkdir -p $@

$(FUZZ_DIR)/obj/%.o: user/%.c | $(FUZZ_DIR)/obj
	$(call msg,FUZZCC,$@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@

$(FUZZ_DIR)/obj/fuzz-common.o: tests/fuzz/common.c | $(FUZZ_DIR)/obj
	$(call msg,FUZZCC,$@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@

$(FUZZ_DIR)/obj/fake-resolver.o: tests/unit/fake_resolver.c | $(FUZZ_DIR)/obj
	$(call msg,FUZZCC,$@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@

$(FUZZ_LIB): $(FUZZ_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_DIR)/obj/fuzz-common.o $(FUZZ_DIR)/obj/fake-resolver.o $(FUZZ_LIB)
	$(call msg,FUZZLD,$@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -MMD -MP $< \
		$(FUZZ_DIR)/obj/fuzz-common.o $(FUZZ_DIR)/obj/fake-resolver.o $(FUZZ_LIB) $(FUZZ_LIBS_$*) -lm -o $@

# fuzz_run MODE NAME SECONDS CRASHDIR CORPUS...: runs target NAME, writes
# $(FUZZ_DIR)/MODE/NAME.status ("ok N", N inputs run, or "FAIL why") and .log
# and prints one line; the recipe itself never fails, so every target runs.
define fuzz_run
	$(Q)mkdir -p $(FUZZ_DIR)/$(1) $(4) && rm -f $(FUZZ_DIR)/$(1)/$(2).status
	$(Q)log=$(FUZZ_DIR)/$(1)/$(2).log; \
	$(FUZZ_DIR)/fuzz_$(2) $(FUZZ_RUN_FLAGS) -max_total_time=$(3) -artifact_prefix=$(4)/ \
		$(5) >$$log 2>&1; rc=$$?; \
	runs=$$(sed -n 's/^stat::number_of_executed_units: *//p' $$log | tail -n 1); \
	if [ $$rc -eq 0 ]; then \
		echo "ok $${runs:-0}" >$(FUZZ_DIR)/$(1)/$(2).status; \
		printf '  %-8s %s: %s runs in %ss, no crash\n' FUZZ "$(2)" "$${runs:-0}" "$(3)"; \
	else \
		why=$$(grep -m1 -E '^SUMMARY|invariant failed|^==[0-9]+== ?ERROR' $$log); \
		echo "FAIL exit $$rc: $${why:-see the log} (log $$log, input in $(4)/)" \
			>$(FUZZ_DIR)/$(1)/$(2).status; \
		printf '  %-8s %s: CRASH after %s runs: %s\n' FUZZ "$(2)" "$${runs:-?}" "$$why"; \
	fi
endef

# the seeds (tests/fuzz/corpus/NAME) copied into the run's corpus, which keeps what runs add
fuzz-run-%: $(FUZZ_DIR)/fuzz_%
	$(Q)mkdir -p $(FUZZ_DIR)/corpus/$*
	$(Q)[ ! -d tests/fuzz/corpus/$* ] || cp -Rn tests/fuzz/corpus/$*/. $(FUZZ_DIR)/corpus/$*/
	$(call fuzz_run,run,$*,$(FUZZ_SECONDS),$(FUZZ_DIR)/crashes/$*,$(FUZZ_DIR)/corpus/$*)

# the seeds read only: new inputs go to a scratch directory
fuzz-smoke-%: $(FUZZ_DIR)/fuzz_%
	$(Q)rm -rf $(FUZZ_DIR)/smoke/new-$* $(FUZZ_DIR)/smoke/crashes-$* && \
		mkdir -p $(FUZZ_DIR)/smoke/new-$*
	$(call fuzz_run,smoke,$*,$(FUZZ_SMOKE_SECONDS),$(FUZZ_DIR)/smoke/crashes-$*,$(FUZZ_DIR)/smoke/new-$* $(wildcard tests/fuzz/corpus/$*))

# fuzz_summary MODE: fails when a target of this run did not end "ok"
fuzz_summary = $(Q)bad=0; for t in $(FUZZ_TARGETS); do \
		s=$$(cat $(FUZZ_DIR)/$(1)/$$t.status 2>/dev/null || echo "FAIL did not run"); \
		case $$s in ok*) ;; *) echo "fuzz $$t: $$s"; bad=1 ;; esac; done; exit $$bad

fuzz: $(addprefix fuzz-run-,$(FUZZ_TARGETS))
	$(call fuzz_summary,run)

fuzz-smoke: $(addprefix fuzz-smoke-,$(FUZZ_TARGETS))
	$(call fuzz_summary,smoke)

-include $(wildcard $(FUZZ_DIR)/obj/*.d $(FUZZ_DIR)/*.d)
# ---- end of fuzzing ---------------------------------------------------------

vmlinux:
	$(call msg,GEN,$(VMLINUX_H))
	$(Q)mkdir -p $(dir $(VMLINUX_H))
	$(Q)$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > $(VMLINUX_H).tmp
	$(Q)mv $(VMLINUX_H).tmp $(VMLINUX_H)

format:
	$(Q)clang-format -i bpf/*.c bpf/*.h user/*.c user/*.h include/*.h tests/*.c tests/bench/*.c tests/unit/*.[ch]

clean:
	$(call msg,CLEAN,$(OUTPUT))
	$(Q)rm -rf $(OUTPUT)

-include $(wildcard $(OUTPUT)/bpf/*.d $(OUTPUT)/user/*.d $(OUTPUT)/tests/*.d $(OUTPUT)/tests/unit/*.d)

.DELETE_ON_ERROR:
.SECONDARY:
