# SPDX-License-Identifier: GPL-2.0-only
# flamescope: FlameScope for Linux perf.
#   make            library, command, perf plugin and man pages (into $(B), default build/)
#   make test       installs what is missing, every test, again under ASan+UBSan, fuzz smoke
#   make check      every test once, against the build in $(B) (tests-build: just build them)
#   make demo       the main job on the bundled example profile
#   make install    PREFIX=/usr/local DESTDIR=   (make uninstall undoes it)
#   make install-perf   the dlfilter and record/report scripts into perf's exec path (root)
#   make fuzz, make fuzz-smoke   libFuzzer harnesses (tests/fuzz/fuzz.mk)
# B=DIR builds elsewhere; SAN=1 builds with ASan+UBSan; WERROR= relaxes -Werror while hacking.
# CFLAGS and LDFLAGS are yours (default -O2 -g): they add to the flags the build needs,
# never replace them (as git's ALL_CFLAGS = BASIC_CFLAGS + CFLAGS).
#
# A new module: core/NAME.c (or png/NAME.c) with its API in NAME.h next to it; the
# wildcards below pick the source up, and each object's header dependencies are computed
# by the compiler (-MMD -MP), so nothing here changes. Declarations only the library's own
# files share go to NAME-int.h (as core/reader-int.h), never installed.
# A new public function: declare it FS_API (core/api.h) in an installed header (HEADERS
# below) and add its name to core/libflamescope.map; everything else is hidden in
# libflamescope.so. tests/e2e/install.sh checks that the library exports exactly the
# FS_API functions of the installed headers.

B	?= build
PREFIX	?= /usr/local
DESTDIR	?=
SAN	?=
WERROR	?= -Werror
CFLAGS	?= -O2 -g
LIBPERF	?= build/libperf
# scripts/deps.sh installs packages and builds libperf; this stamp says it ran.
DEPS	:= build/.deps-ok

PKGS	:= libpng freetype2 libzstd libelf libtraceevent zlib
# --call-graph dwarf: libunwind, as Debian's perf 6.1 unwinds (core/unwind.c)
PKGS	+= libunwind-generic
# addr2line's inline frames read in process (core/inlines-dw.c)
PKGS	+= libdw
# pkg-config runs once, when first needed (after deps.sh on a fresh machine).
PKG_CFLAGS = $(eval PKG_CFLAGS := $$(shell pkg-config --cflags $(PKGS)))$(PKG_CFLAGS)
PKG_LIBS = $(eval PKG_LIBS := $$(shell pkg-config --libs $(PKGS)))$(PKG_LIBS)

BASIC_CFLAGS = -std=gnu11 -Wall -Wextra $(WERROR) -fPIC -fvisibility=hidden -D_GNU_SOURCE \
	       -Icore -Ipng -I$(LIBPERF)/include $(PKG_CFLAGS)
ifneq ($(SAN),)
SAN_FLAGS := -O1 -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
endif
ALL_CFLAGS = $(BASIC_CFLAGS) $(SAN_FLAGS) $(CFLAGS) -MMD -MP
ALL_LDFLAGS = $(SAN_FLAGS) $(LDFLAGS)
LIBS = -liberty -lm $(PKG_LIBS)
# libperf's perf_event API: only the live source (and so the command) links it.
PERFLIBS = $(LIBPERF)/lib64/libperf.a $(LIBPERF)/lib64/libapi.a

LIVE_SRC	:= core/live.c core/synth.c
CORE_SRC	:= $(filter-out $(LIVE_SRC),$(wildcard core/*.c))
PNG_SRC		:= $(wildcard png/*.c)
CMD_SRC		:= $(filter-out perf-plugin/dlfilter%.c,$(wildcard perf-plugin/*.c))
UNIT_SRC	:= $(wildcard tests/unit/test_*.c)
TOOL_SRC	:= $(wildcard tests/tools/*.c)
WORKLOAD_SRC	:= $(wildcard tests/workloads/*.c)

CORE_OBJ	:= $(CORE_SRC:%.c=$(B)/obj/%.o) $(B)/obj/core/report-assets.o
LIVE_OBJ	:= $(LIVE_SRC:%.c=$(B)/obj/%.o)
PNG_OBJ		:= $(PNG_SRC:%.c=$(B)/obj/%.o)
CMD_OBJ		:= $(CMD_SRC:%.c=$(B)/obj/%.o)
UNITS		:= $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
TOOLS		:= $(TOOL_SRC:tests/tools/%.c=$(B)/tests/%)
WORKLOADS	:= $(WORKLOAD_SRC:tests/workloads/%.c=$(B)/workloads/%)

LIBFS		:= $(B)/libflamescope.a
LIBPNG		:= $(B)/libflamescope-png.a
LIBLIVE		:= $(B)/libflamescope-live.a
FLAMESCOPE	:= $(B)/flamescope
# flamescope-dlfilter.so: perf script --dlfilter plugin, built against Debian's perf's own
# perf_dlfilter.h (/usr/include/perf, linux-perf). Only perf's entry points are exported,
# so our static copies never interpose on perf's.
DLFILTER	:= $(B)/flamescope-dlfilter.so
DLFILTER_OBJ	:= $(B)/obj/perf-plugin/dlfilter.o $(B)/obj/perf-plugin/options.o \
		   $(B)/obj/perf-plugin/formats.o $(B)/obj/perf-plugin/cmdline.o
SOVER		:= 0
VERSION		:= 0.1
LIBSO		:= $(B)/libflamescope.so.$(SOVER)
LIBDIST		:= $(B)/dist/libflamescope.a
PCFILE		:= $(B)/flamescope.pc
MAN_SRC		:= $(wildcard perf-plugin/man/*.scd)
MANS		:= $(MAN_SRC:perf-plugin/man/%.scd=$(B)/man/%)
# Installed headers: the library's API (FS_API functions, core/api.h), needing no perf
# or libelf headers. Its exported names: LIBMAP (core/libflamescope.map).
HEADERS		:= core/api.h core/error.h core/find.h core/flame.h core/heatmap.h core/profile.h \
		   core/report.h core/symbols.h core/timerange.h core/view.h png/fs_png.h
LIBMAP		:= core/libflamescope.map

all: $(FLAMESCOPE) $(DLFILTER) $(LIBSO) $(PCFILE) $(MANS)

$(DEPS): scripts/deps.sh
	bash scripts/deps.sh build
	@touch $@

# Objects remember the flags they were built with (as git's GIT-CFLAGS): other
# flags, or a build tree from before header dependencies were computed, rebuild them.
# Checked when the Makefile is read, so `make -n` shows only what would be rebuilt.
FLAGS_ID := $(CC) $(SAN_FLAGS) $(CFLAGS) $(WERROR) deps=MMD
$(shell mkdir -p $(B) && { [ "$$(cat $(B)/CFLAGS 2>/dev/null)" = '$(FLAGS_ID)' ] || \
	echo '$(FLAGS_ID)' >$(B)/CFLAGS; })

$(B)/obj/%.o: %.c $(B)/CFLAGS | $(DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The header dependencies each compile wrote (-MMD -MP).
-include $(patsubst %.o,%.d,$(CORE_OBJ) $(LIVE_OBJ) $(PNG_OBJ) $(CMD_OBJ) $(DLFILTER_OBJ) \
	 $(UNIT_SRC:%.c=$(B)/obj/%.o) $(TOOL_SRC:%.c=$(B)/obj/%.o))

# The report page's files (core/report/) go into the library as they are, with the
# SHA-256 its Content-Security-Policy admits them by (coreutils only).
$(B)/obj/core/report/%.sha256: core/report/%
	@mkdir -p $(dir $@)
	sha256sum <$< | cut -c1-64 | tr a-f A-F | basenc --base16 -d | base64 -w0 >$@.tmp && mv $@.tmp $@

$(B)/obj/core/report-assets.o: core/report-assets.S $(wildcard core/report/*) \
		$(B)/obj/core/report/report.js.sha256 $(B)/obj/core/report/report.css.sha256
	$(CC) -c -o $@ -Wa,-I,core/report -Wa,-I,$(B)/obj/core/report $<

$(LIBFS): $(CORE_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(LIBPNG): $(PNG_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(LIBLIVE): $(LIVE_OBJ)
	@rm -f $@
	ar rcs $@ $^

LINK = $(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(FLAMESCOPE): $(CMD_OBJ) $(LIBLIVE) $(LIBPNG) $(LIBFS)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PERFLIBS) $(LIBS)

$(B)/tests/%: $(B)/obj/tests/unit/%.o $(LIBPNG) $(LIBFS)
	@mkdir -p $(dir $@)
	$(LINK) -lcmocka

$(B)/tests/%: $(B)/obj/tests/tools/%.o $(LIBFS)
	@mkdir -p $(dir $@)
	$(LINK)

# Test workloads keep frame pointers so perf can walk their stacks.
$(B)/workloads/%: tests/workloads/%.c | $(DEPS)
	@mkdir -p $(dir $@)
	$(CC) -O1 -g -fno-omit-frame-pointer -fno-inline -o $@ $< -lm

# Workloads without frame pointers, for --call-graph dwarf (tests/e2e/dwarf.sh):
# a C program with threads and a shared library, and a C++ one.
NOFP		:= -O2 -g -fomit-frame-pointer
NOFP_BINS	:= $(B)/workloads/dwarf_c $(B)/workloads/dwarf_cxx
$(B)/workloads/libdwarf_lib.so: tests/workloads/nofp/dwarf_lib.c | $(DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(NOFP) -fPIC -shared -o $@ $<
$(B)/workloads/dwarf_c: tests/workloads/nofp/dwarf_c.c $(B)/workloads/libdwarf_lib.so
	$(CC) $(NOFP) -pthread -o $@ $< -L$(B)/workloads -ldwarf_lib -Wl,-rpath,'$$ORIGIN'
$(B)/workloads/dwarf_cxx: tests/workloads/nofp/dwarf_cxx.cc | $(DEPS)
	@mkdir -p $(dir $@)
	$(CXX) $(NOFP) -o $@ $<
tests-build: $(NOFP_BINS)

$(DLFILTER): $(DLFILTER_OBJ) $(LIBPNG) $(LIBFS) perf-plugin/dlfilter.map
	$(CC) $(ALL_LDFLAGS) -shared -Wl,--version-script=perf-plugin/dlfilter.map -Wl,-z,defs \
		-o $@ $(DLFILTER_OBJ) $(LIBPNG) $(LIBFS) -liberty -lm $(PKG_LIBS)

$(LIBSO): $(CORE_OBJ) $(PNG_OBJ) $(LIBMAP)
	$(CC) $(ALL_LDFLAGS) -shared -Wl,-soname,libflamescope.so.$(SOVER) -Wl,-z,defs \
		-Wl,--version-script=$(LIBMAP) -o $@ $(CORE_OBJ) $(PNG_OBJ) -liberty -lm $(PKG_LIBS)

# One static library for users: core and png together (png needs core).
$(LIBDIST): $(CORE_OBJ) $(PNG_OBJ)
	@mkdir -p $(dir $@)
	@rm -f $@
	ar rcs $@ $^

# Rewritten when PREFIX or LIBDIR change (kept when equal, so installs stay incremental).
$(PCFILE): FORCE
	@mkdir -p $(dir $@)
	@printf '%s\n' 'prefix=$(PREFIX)' 'includedir=$${prefix}/include' 'libdir=$(patsubst $(PREFIX)%,$${prefix}%,$(LIBDIR))' '' \
		'Name: flamescope' \
		'Description: FlameScope heat maps and flame graphs of Linux perf profiles' \
		'Version: $(VERSION)' 'Requires.private: $(PKGS)' 'Cflags: -I$${includedir}' \
		'Libs: -L$${libdir} -lflamescope' 'Libs.private: -liberty -lm' >$@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@

# Man pages from scdoc sources (Debian's scdoc package).
$(B)/man/%: perf-plugin/man/%.scd | $(DEPS)
	@mkdir -p $(dir $@)
	scdoc <$< >$@.tmp && mv $@.tmp $@

# ---- tests ----
tests-build: all $(UNITS) $(TOOLS) $(WORKLOADS)

# Runs every test against the build in $(B).
check: tests-build
	bash tests/run.sh $(B)

# Builds use every core (CI runs plain `make test`); the tests themselves run one at a time.
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
test: $(DEPS)
	$(MAKE) -j$(JOBS) tests-build
	$(MAKE) check
	$(MAKE) -j$(JOBS) B=build/asan SAN=1 tests-build
	$(MAKE) B=build/asan SAN=1 check
	$(MAKE) -j$(JOBS) fuzz-build
	$(MAKE) fuzz-smoke

# libFuzzer harnesses (tests/fuzz): `make fuzz` runs each for FUZZ_SECONDS (60),
# `make test` a short smoke pass.
include tests/fuzz/fuzz.mk

demo: $(FLAMESCOPE)
	bash scripts/demo.sh $(B)

# ---- install ----
LIBDIR		?= $(PREFIX)/lib
PERF_EXEC_PATH	?= $(shell perf --exec-path 2>/dev/null || echo /usr/lib/perf-core)
COMPLETIONDIR	?= $(PREFIX)/share/bash-completion/completions
INST_BIN	= $(DESTDIR)$(PREFIX)/bin
INST_LIB	= $(DESTDIR)$(LIBDIR)
INST_INC	= $(DESTDIR)$(PREFIX)/include/flamescope
INST_MAN	= $(DESTDIR)$(PREFIX)/share/man/man1
INST_COMP	= $(DESTDIR)$(COMPLETIONDIR)

# perf-flamescope.1: `perf flamescope --help` runs `man perf-flamescope`.
install: $(FLAMESCOPE) $(DLFILTER) $(LIBSO) $(LIBDIST) $(PCFILE) $(MANS)
	install -d $(INST_BIN) $(INST_LIB)/flamescope $(INST_LIB)/pkgconfig $(INST_INC) \
		$(INST_MAN) $(INST_COMP)
	install -m 755 $(FLAMESCOPE) $(INST_BIN)/flamescope
	ln -sf flamescope $(INST_BIN)/perf-flamescope
	install -m 644 $(DLFILTER) $(INST_LIB)/flamescope/flamescope-dlfilter.so
	install -m 644 $(LIBDIST) $(INST_LIB)/libflamescope.a
	install -m 755 $(LIBSO) $(INST_LIB)/libflamescope.so.$(SOVER)
	ln -sf libflamescope.so.$(SOVER) $(INST_LIB)/libflamescope.so
	install -m 644 $(PCFILE) $(INST_LIB)/pkgconfig/flamescope.pc
	install -m 644 $(HEADERS) $(INST_INC)/
	install -m 644 $(MANS) $(INST_MAN)/
	ln -sf flamescope.1 $(INST_MAN)/perf-flamescope.1
	install -m 644 perf-plugin/flamescope.bash-completion $(INST_COMP)/flamescope
	ln -sf flamescope $(INST_COMP)/perf-flamescope

uninstall:
	rm -f $(INST_BIN)/flamescope $(INST_BIN)/perf-flamescope
	rm -f $(INST_LIB)/flamescope/flamescope-dlfilter.so $(INST_LIB)/libflamescope.a \
		$(INST_LIB)/libflamescope.so.$(SOVER) $(INST_LIB)/libflamescope.so \
		$(INST_LIB)/pkgconfig/flamescope.pc
	rm -f $(addprefix $(INST_INC)/,$(notdir $(HEADERS)))
	rm -f $(addprefix $(INST_MAN)/,$(notdir $(MANS))) $(INST_MAN)/perf-flamescope.1
	rm -f $(INST_COMP)/flamescope $(INST_COMP)/perf-flamescope
	rmdir $(INST_LIB)/flamescope $(INST_INC) 2>/dev/null || true

# Into perf's exec path (as root): the dlfilter by name and `perf script record/report flamescope`.
INST_PERF	= $(DESTDIR)$(PERF_EXEC_PATH)

install-perf: $(DLFILTER)
	install -d $(INST_PERF)/dlfilters $(INST_PERF)/scripts/python/bin
	install -m 644 $(DLFILTER) $(INST_PERF)/dlfilters/flamescope-dlfilter.so
	install -m 755 perf-plugin/flamescope-record perf-plugin/flamescope-report \
		$(INST_PERF)/scripts/python/bin/

uninstall-perf:
	rm -f $(INST_PERF)/dlfilters/flamescope-dlfilter.so \
		$(INST_PERF)/scripts/python/bin/flamescope-record \
		$(INST_PERF)/scripts/python/bin/flamescope-report

# Keeps what scripts/deps.sh made under build/ (libperf and the kernel source it came from).
clean:
	rm -rf $(filter-out $(LIBPERF) build/linux-src $(DEPS),$(wildcard build/*))
	[ "$(B)" = build ] || rm -rf $(B)

.PHONY: all test check tests-build demo install uninstall install-perf uninstall-perf clean FORCE
.SECONDARY:
