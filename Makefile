# SPDX-License-Identifier: GPL-2.0-only
# flamescope: FlameScope for Linux perf.
#   make            library, command and perf plugin (into $(B), default build/)
#   make test       every test, then again under ASan+UBSan
#   make demo       the main job on the bundled example profile
#   make install    PREFIX=/usr/local DESTDIR=
# B=DIR builds elsewhere; SAN=1 builds with ASan+UBSan; WERROR= relaxes -Werror while hacking.

B	?= build
PREFIX	?= /usr/local
DESTDIR	?=
SAN	?=
WERROR	?= -Werror
CC	?= cc

LIBPERF	:= build/libperf
DEPS	:= build/.deps-ok

PKGS	:= libpng freetype2 libzstd libelf
CFLAGS	?= -O2 -g
CFLAGS	+= -std=gnu11 -Wall -Wextra $(WERROR) -fPIC -D_GNU_SOURCE \
	   -Icore -Ipng -I$(LIBPERF)/include
LDLIBS	:= $(LIBPERF)/lib64/libperf.a $(LIBPERF)/lib64/libapi.a -liberty -lm
ifneq ($(SAN),)
CFLAGS	+= -O1 -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
LDFLAGS	+= -fsanitize=address,undefined
endif

CORE_SRC	:= $(wildcard core/*.c)
PNG_SRC		:= $(wildcard png/*.c)
CMD_SRC		:= $(filter-out perf-plugin/dlfilter%.c,$(wildcard perf-plugin/*.c))
UNIT_SRC	:= $(wildcard tests/unit/test_*.c)
TOOL_SRC	:= $(wildcard tests/tools/*.c)
WORKLOAD_SRC	:= $(wildcard tests/workloads/*.c)

CORE_OBJ	:= $(CORE_SRC:%.c=$(B)/obj/%.o)
PNG_OBJ		:= $(PNG_SRC:%.c=$(B)/obj/%.o)
CMD_OBJ		:= $(CMD_SRC:%.c=$(B)/obj/%.o)
UNITS		:= $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
TOOLS		:= $(TOOL_SRC:tests/tools/%.c=$(B)/tests/%)
WORKLOADS	:= $(WORKLOAD_SRC:tests/workloads/%.c=$(B)/workloads/%)

LIBFS		:= $(B)/libflamescope.a
LIBPNG		:= $(B)/libflamescope-png.a
FLAMESCOPE	:= $(B)/flamescope

all: $(FLAMESCOPE)

$(DEPS): scripts/deps.sh
	bash scripts/deps.sh build
	@touch $@

$(B)/obj/%.o: %.c $(DEPS) $(wildcard core/*.h png/*.h perf-plugin/*.h tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(shell pkg-config --cflags $(PKGS)) -c -o $@ $<

$(LIBFS): $(CORE_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(LIBPNG): $(PNG_OBJ)
	@rm -f $@
	ar rcs $@ $^

LINK = $(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(shell pkg-config --libs $(PKGS))

$(FLAMESCOPE): $(CMD_OBJ) $(LIBPNG) $(LIBFS)
	$(LINK)

$(B)/tests/%: $(B)/obj/tests/unit/%.o $(LIBPNG) $(LIBFS)
	@mkdir -p $(dir $@)
	$(LINK) -lcmocka

$(B)/tests/%: $(B)/obj/tests/tools/%.o $(LIBFS)
	@mkdir -p $(dir $@)
	$(LINK)

# Test workloads keep frame pointers so perf can walk their stacks.
$(B)/workloads/%: tests/workloads/%.c
	@mkdir -p $(dir $@)
	$(CC) -O1 -g -fno-omit-frame-pointer -fno-inline -o $@ $< -lm

tests-build: $(FLAMESCOPE) $(UNITS) $(TOOLS) $(WORKLOADS)

# Runs every test against the build in $(B).
check: tests-build
	bash tests/run.sh $(B)

test: $(DEPS)
	$(MAKE) check
	$(MAKE) B=build/asan SAN=1 check
	$(MAKE) fuzz-smoke

# libFuzzer harnesses (tests/fuzz): `make fuzz` runs each for FUZZ_SECONDS (60),
# `make test` a short smoke pass.
include tests/fuzz/fuzz.mk

demo: $(FLAMESCOPE)
	bash scripts/demo.sh $(B)

install: $(FLAMESCOPE)
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(FLAMESCOPE) $(DESTDIR)$(PREFIX)/bin/flamescope
	ln -sf flamescope $(DESTDIR)$(PREFIX)/bin/perf-flamescope

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/flamescope $(DESTDIR)$(PREFIX)/bin/perf-flamescope

clean:
	rm -rf $(filter-out build/libperf build/linux-src build/.deps-ok,$(wildcard build/*))
	[ "$(B)" = build ] || rm -rf $(B)

.PHONY: all test check tests-build demo install uninstall clean
.SECONDARY:
