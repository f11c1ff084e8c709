# libFuzzer harnesses (tests/fuzz/fuzz_*.c), included by the top Makefile.
#   make fuzz        each harness for FUZZ_SECONDS (60) on its corpus
#   make fuzz-smoke  the regression inputs (tests/fuzz/regress/NAME/*) once,
#                    then each harness for FUZZ_SMOKE_SECONDS (10); part of make test
# The core sources are rebuilt with clang and the sanitizers into
# $(FUZZ_B)/obj, apart from the gcc objects. Corpora grow in
# $(FUZZ_B)/corpus-NAME (not committed), seeded from tests/fuzz/seeds/NAME,
# tests/fuzz/mkseeds.c, the fixtures in tests/data and the workloads.

FUZZ_B		:= build/fuzz
FUZZ_CC		:= clang
FUZZ_SECONDS	?= 60
FUZZ_SMOKE_SECONDS ?= 10
FUZZ_JOBS	?= 2
FUZZ_SAN	:= -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS	= -g -O1 -std=gnu11 -D_GNU_SOURCE -Icore -I$(LIBPERF)/include $(FUZZ_SAN) \
		  $(PKG_CFLAGS) -MMD -MP
FUZZ_LIBS	= $(LIBS)

FUZZ_SRC	:= $(wildcard tests/fuzz/fuzz_*.c)
# Harnesses that only replay their regression inputs by default (none: the
# tracepoint ones fuzz too since libtraceevent runs in its worker process).
FUZZ_LIBBUGS	:=
FUZZ_ALL	:= $(FUZZ_SRC:tests/fuzz/fuzz_%.c=%)
FUZZ_NAMES	:= $(filter-out $(FUZZ_LIBBUGS),$(FUZZ_ALL))
FUZZ_BINS	:= $(FUZZ_ALL:%=$(FUZZ_B)/fuzz_%)
FUZZ_CORE_OBJ	:= $(CORE_SRC:%.c=$(FUZZ_B)/obj/%.o) $(B)/obj/core/report-assets.o
FUZZ_SEEDS	:= $(FUZZ_B)/seeds.stamp

$(FUZZ_B)/obj/%.o: %.c | $(DEPS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

-include $(FUZZ_CORE_OBJ:.o=.d) $(FUZZ_ALL:%=$(FUZZ_B)/fuzz_%.d)

$(FUZZ_B)/libflamescope-fuzz.a: $(FUZZ_CORE_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(FUZZ_B)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_B)/libflamescope-fuzz.a
	$(FUZZ_CC) $(FUZZ_CFLAGS) -MF $@.d -Wall -Wextra $(WERROR) -fsanitize=fuzzer -o $@ $< \
		$(FUZZ_B)/libflamescope-fuzz.a $(FUZZ_LIBS)

$(FUZZ_B)/mkseeds: tests/fuzz/mkseeds.c tests/unit/pdwriter.h | $(DEPS)
	@mkdir -p $(dir $@)
	$(CC) -O1 -g -std=gnu11 -Wall -Wextra $(WERROR) -D_GNU_SOURCE -I$(LIBPERF)/include -o $@ $< -lzstd

# Seed corpora: synthetic files, committed seeds, fixtures, small real binaries.
$(FUZZ_SEEDS): $(FUZZ_B)/mkseeds tests/fuzz/seeds.sh $(wildcard tests/fuzz/seeds/*/*)
	bash tests/fuzz/seeds.sh $(FUZZ_B)
	@touch $@

fuzz-build: $(FUZZ_BINS) $(FUZZ_SEEDS)

fuzz: fuzz-build
	bash tests/fuzz/run.sh $(FUZZ_B) $(FUZZ_SECONDS) $(FUZZ_JOBS) $(FUZZ_NAMES)
	bash tests/fuzz/run.sh $(FUZZ_B) 0 1 $(FUZZ_LIBBUGS)

fuzz-smoke: fuzz-build
	bash tests/fuzz/run.sh $(FUZZ_B) $(FUZZ_SMOKE_SECONDS) $(FUZZ_JOBS) $(FUZZ_NAMES)
	bash tests/fuzz/run.sh $(FUZZ_B) 0 1 $(FUZZ_LIBBUGS)

fuzz-%: $(FUZZ_B)/fuzz_% $(FUZZ_SEEDS)
	bash tests/fuzz/run.sh $(FUZZ_B) $(FUZZ_SECONDS) 1 $*

.PHONY: fuzz fuzz-smoke fuzz-build
