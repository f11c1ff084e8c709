#!/usr/bin/env bash
# Seeds the fuzzers' corpora in $1 (build/fuzz): $1/corpus-NAME gets the
# synthetic files of mkseeds, tests/fuzz/seeds/NAME, tests/fuzz/regress/NAME,
# the perf.data fixture, small real recordings (when perf record works) and
# small ELF files built from the test workloads.
set -eu
FB=$1
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
for f in tests/fuzz/fuzz_*.c; do
	n=$(basename "$f" .c); n=${n#fuzz_}
	mkdir -p "$FB/corpus-$n"
	for d in tests/fuzz/seeds/$n tests/fuzz/regress/$n; do
		[ -d "$d" ] && cp -f "$d"/* "$FB/corpus-$n/" 2>/dev/null || true
	done
done
"$FB/mkseeds" "$FB"
cp -f tests/data/script/perf.data "$FB/corpus-reader/fixture.data"
cp -f tests/data/script/perf.data "$FB/corpus-profile/fixture.data"

# Real recordings: a short call-graph profile of dd, plain, -z and pipe mode.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rec() {
	timeout 20 perf record -q -g -e cpu-clock -c 200000 "$@" -- \
		dd if=/dev/zero of=/dev/null bs=4k count=30000 2>/dev/null
}
if rec -o "$tmp/real.data" >/dev/null 2>&1; then
	cp "$tmp/real.data" "$FB/corpus-reader/real.data"
	cp "$tmp/real.data" "$FB/corpus-profile/real.data"
	if rec -z -o "$tmp/real-z.data" >/dev/null 2>&1; then
		cp "$tmp/real-z.data" "$FB/corpus-reader/real-z.data"
		cp "$tmp/real-z.data" "$FB/corpus-profile/real-z.data"
	fi
	if rec -o - >"$tmp/real-pipe.data" 2>/dev/null; then
		tail -c +17 "$tmp/real-pipe.data" >"$FB/corpus-reader_pipe/real-pipe.data"
		cp "$tmp/real-pipe.data" "$FB/corpus-profile/real-pipe.data"
	fi
else
	echo "seeds: perf record failed, no real recordings in the corpora" >&2
fi

# ELF: a workload with its symtab, stripped to .dynsym, as a shared object, and the fixture's binary.
E=$FB/corpus-elf
${CC:-cc} -O1 -g -fno-omit-frame-pointer -o "$E/pattern" tests/workloads/pattern.c -lm
strip -o "$E/pattern-stripped" "$E/pattern"
${CC:-cc} -O1 -shared -fPIC -o "$E/pattern.so" tests/workloads/pattern.c -lm
${CC:-cc} -O1 -o "$tmp/pattern-nodebug" tests/workloads/pattern.c -lm
strip --only-keep-debug -o "$E/pattern.debug" "$E/pattern"
find tests/data/script -name elf -size -64k -exec cp {} "$E/fixture-elf" \; -quit
# kallsyms: an excerpt of this machine's, when readable.
if [ -r /proc/kallsyms ] && [ "$(head -c 16 /proc/kallsyms)" != 0000000000000000 ]; then
	awk 'NR % 500 == 1' /proc/kallsyms | head -n 300 >"$FB/corpus-kallsyms/proc-excerpt"
fi
