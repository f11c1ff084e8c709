#!/usr/bin/env bash
# Symbolizer vs perf 6.1: every (dso, address) `perf script` prints is looked
# up with tests/tools/symlookup, which must give the same name (or [unknown]).
source "$(dirname "$0")/lib.sh"
SYMLOOKUP=$(realpath "$B/tests/symlookup")

# compare NAME PERF.DATA: perf's frames against ours.
compare() {
	local name=$1 data=$2
	perf buildid-list -i "$data" 2>/dev/null >"$WORK/bids"
	perf script -i "$data" -F ip,sym,dso 2>/dev/null |
		sed -n -e 's/^[[:space:]]*\([0-9a-f]\+\) \(.*\) (\([^()]* (deleted)\))$/\3\t\1\t\2/p;t' \
			-e 's/^[[:space:]]*\([0-9a-f]\+\) \(.*\) (\([^()]*\))$/\3\t\1\t\2/p' |
		awk -F'\t' '$1 != "[unknown]"' | sort -u >"$WORK/frames"
	if [ ! -s "$WORK/frames" ]; then fail "$name" "perf printed no frames"; return; fi
	awk -F'\t' 'NR == FNR { i = index($0, " "); bid[substr($0, i + 1)] = substr($0, 1, i - 1); next }
		{ print $1 "\t" ($1 in bid ? bid[$1] : "-") "\t" $2 }' "$WORK/bids" "$WORK/frames" >"$WORK/query"
	cut -f3 "$WORK/frames" >"$WORK/want"
	"$SYMLOOKUP" -f "$WORK/query" |
		awk '{ if ($2 == "[unknown]") print "[unknown]"; else { s = $2; for (i = 3; i <= NF - 2; i++) s = s " " $i; print s } }' >"$WORK/got"
	if cmp -s "$WORK/want" "$WORK/got"; then
		ok "$name ($(wc -l <"$WORK/want") frames)"
	else
		fail "$name" "$(paste "$WORK/query" "$WORK/want" "$WORK/got" | awk -F'\t' '$2 != $3' | head -n 8)"
	fi
}

cat >"$WORK/w.c" <<'C'
#include <stdio.h>
#include <string.h>
#include <time.h>
static volatile unsigned long sink;
__attribute__((noinline)) static void leaf(int n) { for (int i = 0; i < n; i++) sink += i * 7; }
__attribute__((noinline)) void work(void)
{
	struct timespec ts;
	char b[64];

	for (int i = 0; i < 2000; i++) {
		leaf(2000);
		clock_gettime(CLOCK_MONOTONIC, &ts);
		snprintf(b, sizeof(b), "%d", i);
		sink += strlen(b);
	}
}
int main(void) { time_t t0 = time(NULL); while (time(NULL) - t0 < 1) work(); return 0; }
C
cat >"$WORK/cxx.cc" <<'C'
#include <map>
#include <string>
#include <cstdio>
namespace outer { namespace { struct Worker { template <typename T> __attribute__((noinline)) T spin(T n)
{ T s = 0; for (T i = 0; i < n; i++) s += i * 3; return s; } }; }
__attribute__((noinline)) long run(int k)
{ Worker w; std::map<std::string, int> m; long t = 0;
  for (int i = 0; i < k; i++) { m[std::to_string(i % 500)] += i; t += w.spin<long>(3000) + (long)w.spin<int>(2000); }
  return t + (long)m.size(); } }
int main() { long t = 0; for (int i = 0; i < 30; i++) t += outer::run(2000); std::printf("%ld\n", t); }
C
# JIT: code copied into anonymous memory, described by overlapping and
# duplicate perf-map entries, so perf's rb-tree decides which name wins.
cat >"$WORK/jit.c" <<'C'
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
int main(void)
{
	/* loop: mov ecx, 100000; dec ecx; jnz -4; ret */
	static const unsigned char code[] = { 0xb9, 0xa0, 0x86, 0x01, 0x00, 0xff, 0xc9, 0x75, 0xfc, 0xc3 };
	unsigned char *m = mmap(NULL, 65536, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char path[64];
	FILE *f;
	time_t t0;

	for (int i = 0; i < 64; i++)
		memcpy(m + i * 256, code, sizeof(code));
	snprintf(path, sizeof(path), "/tmp/perf-%d.map", getpid());
	f = fopen(path, "w");
	for (int i = 0; i < 64; i++) {
		fprintf(f, "%lx %x jit_fn_%d\n", (unsigned long)(m + i * 256), 256, i);
		if (i % 3 == 0)
			fprintf(f, "%lx %x jit_dup_%d\n", (unsigned long)(m + i * 256), 256, i);
		if (i % 5 == 0)
			fprintf(f, "%lx %x jit_span_%d\n", (unsigned long)(m + i * 256), 1024, i);
		if (i % 7 == 0)
			fprintf(f, "%lx 0 jit_empty_%d\n", (unsigned long)(m + i * 256 + 5), i);
	}
	fclose(f);
	t0 = time(NULL);
	while (time(NULL) - t0 < 1)
		for (int i = 0; i < 64; i++)
			((void (*)(void))(m + i * 256))();
	return 0;
}
C
# Aliases at one address: perf's choose_best_symbol() compares the demangled
# names ("ab" vs "xy": equal lengths, so the first in the table wins; "SyS"
# loses), with -rdynamic also against their .dynsym duplicates.
cat >"$WORK/alias.c" <<'C'
#include <time.h>
static volatile unsigned long sink;
__attribute__((noinline)) void xy(void) { for (int i = 0; i < 20000; i++) sink += i; }
void _Z2abv(void) __attribute__((alias("xy")));
__attribute__((noinline)) void _Z2cdv(void) { for (int i = 0; i < 20000; i++) sink += i * 3; }
void uv(void) __attribute__((alias("_Z2cdv")));
__attribute__((noinline)) void _Z3SySv(void) { for (int i = 0; i < 20000; i++) sink += i * 5; }
void SyZ(void) __attribute__((alias("_Z3SySv")));
__attribute__((noinline)) void _ZN1a1bEv(void) { for (int i = 0; i < 20000; i++) sink += i * 7; }
void a__b(void) __attribute__((alias("_ZN1a1bEv")));
int main(void)
{
	time_t t0 = time(NULL);

	while (time(NULL) - t0 < 1) {
		xy();
		_Z2cdv();
		_Z3SySv();
		_ZN1a1bEv();
	}
	return 0;
}
C
cd "$WORK" || exit 1
cc -O1 -g -fno-omit-frame-pointer -o w w.c &&
	cc -O1 -fno-omit-frame-pointer -no-pie -o wnp w.c &&
	cc -O1 -fno-omit-frame-pointer -Wl,--build-id=sha1 -DSTRIPPED -o ws w.c && strip ws &&
	c++ -O1 -g -fno-omit-frame-pointer -o cxx cxx.cc &&
	cc -O1 -o jit jit.c &&
	cc -O1 -fno-omit-frame-pointer -o alias alias.c &&
	cc -O1 -fno-omit-frame-pointer -rdynamic -o aliasdyn alias.c ||
	{ fail build "cannot compile the fixtures"; exit 0; }

if record p.data -g -- sh -c './w; ./wnp; ./ws'; then
	compare "pie, non-pie, stripped, libc, kernel, vdso" p.data
	mv w w.gone
	compare "moved away: build-id cache" p.data
	mv w.gone w
else
	fail record "perf record failed: $(head -c 300 "$WORK/record.err")"
fi
if record c.data -g ./cxx; then compare "c++ demangling" c.data; fi
if record a.data -g -- sh -c './alias; ./aliasdyn'; then
	compare "aliases: demangled names decide" a.data
	grep -qw -e ab -e xy "$WORK/want" && grep -qw -e cd -e uv "$WORK/want" ||
		fail "aliases: frames" "perf printed none of the aliased functions"
fi
if record j.data -g ./jit; then
	compare "jit perf map" j.data
	awk -F'\t' '$1 ~ /^\/tmp\/perf-[0-9]+\.map$/ { print $1 }' "$WORK/frames" | sort -u | xargs -r rm -f
fi
