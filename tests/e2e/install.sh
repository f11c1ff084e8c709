#!/usr/bin/env bash
# make install into a DESTDIR: the file list, headers that compile alone, the
# pkg-config file building tests/examples/render.c against the staged library
# only (shared and static) with the same PNG as the command, man pages, bash
# completion; then make uninstall leaves no file; install-perf likewise.
source "$(dirname "$0")/lib.sh"

stage=$WORK/stage
prefix=/usr/local
sanflags=
if nm "$FLAMESCOPE" 2>/dev/null | grep -q __asan_init; then
	sanflags="-fsanitize=address,undefined"
	export ASAN_OPTIONS=detect_leaks=0
	mk() { make -s -C "$TOP" B="$B" SAN=1 "$@"; }
else
	mk() { make -s -C "$TOP" B="$B" "$@"; }
fi

files() { (cd "$1" && find . \( -type f -o -type l \) | sed 's|^\./||' | sort); }

check install mk install DESTDIR="$stage" PREFIX=$prefix

# Exactly what the issue asks for, nothing else.
{
	for f in bin/flamescope bin/perf-flamescope lib/flamescope/flamescope-dlfilter.so \
		lib/libflamescope.a lib/libflamescope.so lib/libflamescope.so.0 \
		lib/pkgconfig/flamescope.pc share/bash-completion/completions/flamescope \
		share/bash-completion/completions/perf-flamescope; do
		echo "usr/local/$f"
	done
	for h in api error find flame heatmap profile report symbols timerange view fs_png; do
		echo "usr/local/include/flamescope/$h.h"
	done
	for m in flamescope flamescope-info flamescope-script flamescope-heatmap flamescope-flamegraph \
		flamescope-diff flamescope-find flamescope-report flamescope-top perf-flamescope; do
		echo "usr/local/share/man/man1/$m.1"
	done
} | sort >"$WORK/expected.list"
files "$stage" >"$WORK/installed.list"
same install-file-list "$WORK/expected.list" "$WORK/installed.list"

bin=$stage$prefix/bin lib=$stage$prefix/lib inc=$stage$prefix/include
if [ "$(readlink "$bin/perf-flamescope")" = flamescope ] && "$bin/perf-flamescope" --help | grep -q heatmap
then ok perf-flamescope-link; else fail perf-flamescope-link "$(ls -l "$bin")"; fi
if [ "$(readlink "$lib/libflamescope.so")" = libflamescope.so.0 ] &&
   readelf -d "$lib/libflamescope.so.0" | grep -q 'SONAME.*\[libflamescope.so.0\]'
then ok soname; else fail soname "$(readelf -d "$lib/libflamescope.so.0" | grep SONAME)"; fi

# Each installed header stands alone: no perf, libelf or source-tree headers needed.
bad=
for h in "$inc"/flamescope/*.h; do
	echo "#include <flamescope/$(basename "$h")>" |
		cc -std=gnu11 -Wall -Werror -fsyntax-only -nostdinc -isystem "$(cc -print-file-name=include)" \
			-isystem /usr/include/x86_64-linux-gnu -isystem /usr/include -I"$inc" -x c - \
			2>>"$WORK/hdr.err" || bad="$bad $(basename "$h")"
done
if [ -z "$bad" ]; then ok headers-standalone; else fail headers-standalone "$bad: $(head -c 400 "$WORK/hdr.err")"; fi

# The exported surface (issue 14): libflamescope.so exports exactly the functions the
# installed headers declare with FS_API, each under the library's version, and
# core/libflamescope.map names the same; every function an installed header declares is
# FS_API, and no header that is not installed uses FS_API.
fs_api() {	# fs_api MODE FILE...: FS_API function names (MODE api), or the others (MODE plain)
	python3 - "$@" <<'EOF'
import re, sys
mode, names = sys.argv[1], set()
for path in sys.argv[2:]:
    src = re.sub(r'/\*.*?\*/|//[^\n]*', ' ', open(path).read(), flags=re.S)
    src = re.sub(r'^[ \t]*#.*$', ' ', src, flags=re.M)
    depth, stmt = 0, ''
    for ch in src:
        if ch == '{':
            depth += 1
            stmt = '' if depth == 1 else stmt
        elif ch == '}':
            depth -= 1
            stmt = ''
        elif depth == 0:
            stmt += ch
            if ch == ';':
                s = ' '.join(stmt.split())
                stmt = ''
                m = re.match(r'(.*?)\b(\w+)\s*\(', s)
                if not m or s.startswith('typedef'):

                    continue
                if ('FS_API' in m.group(1).split()) == (mode == 'api'):
                    names.add(m.group(2))
for n in sorted(names):
    print(n)
EOF
}
nm -D --defined-only "$lib/libflamescope.so.0" | awk '$2 != "A" { print $3 }' >"$WORK/exported.raw"
sed 's/@.*//' "$WORK/exported.raw" | sort >"$WORK/exported"
fs_api api "$inc"/flamescope/*.h >"$WORK/declared"
n=$(wc -l <"$WORK/declared")
if [ "$n" -gt 20 ]; then same "exported-are-the-fs-api-functions ($n)" "$WORK/declared" "$WORK/exported"
else fail exported-are-the-fs-api-functions "only $n FS_API declarations found"; fi
unversioned=$(grep -v '@@FLAMESCOPE_0\.1$' "$WORK/exported.raw")
[ -z "$unversioned" ] && ok exported-are-versioned || fail exported-are-versioned "$unversioned"
sed -n '/global:/,/local:/p' "$TOP/core/libflamescope.map" | sed 's|/\*.*\*/||' |
	grep -oE '^[[:space:]]*fs_[a-z0-9_]+;' | tr -d ' \t;' | sort >"$WORK/map"
same version-script-lists-the-fs-api-functions "$WORK/declared" "$WORK/map"
plain=$(fs_api plain "$inc"/flamescope/*.h)
[ -z "$plain" ] && ok installed-declarations-are-fs-api || fail installed-declarations-are-fs-api "$plain"
stray=
for h in "$TOP"/core/*.h "$TOP"/png/*.h; do
	[ -e "$inc/flamescope/$(basename "$h")" ] || [ "$(basename "$h")" = api.h ] || \
		! grep -q 'FS_API' "$h" || stray="$stray $(basename "$h")"
done
[ -z "$stray" ] && ok fs-api-only-in-installed-headers || fail fs-api-only-in-installed-headers "$stray"

# pkg-config against the stage (the sysroot prefixes -I and -L).
export PKG_CONFIG_PATH=$lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$stage
pc_cflags=$(pkg-config --cflags flamescope) pc_libs=$(pkg-config --libs flamescope)
# (libpng's and freetype's own -I follow, from Requires.private.)
if [ "${pc_cflags%% *}" = "-I$inc" ] && [ "$(echo $pc_libs)" = "-L$lib -lflamescope" ]; then ok pkg-config
else fail pkg-config "cflags '$pc_cflags' libs '$pc_libs'"; fi

# Built from a copy outside the tree, so nothing can come from core/ or png/.
cp "$TOP/tests/examples/render.c" "$WORK/render.c"
check example-build cc -std=gnu11 -Wall -Wextra -Werror $sanflags -o "$WORK/render" "$WORK/render.c" \
	$pc_cflags $pc_libs
check example-build-static cc -std=gnu11 -Wall -Werror $sanflags -o "$WORK/render-static" \
	"$WORK/render.c" $pc_cflags "$lib/libflamescope.a" \
	$(pkg-config --static --libs flamescope | sed 's/ *-lflamescope\b//; s/-L[^ ]*//')
if LD_LIBRARY_PATH=$lib ldd "$WORK/render" | grep -q "libflamescope.so.0 => $lib/"; then ok example-uses-staged-lib
else fail example-uses-staged-lib "$(LD_LIBRARY_PATH=$lib ldd "$WORK/render" | grep flamescope)"; fi

record "$WORK/p.data" -g -F 199 -- "$WORKLOADS/pattern" 3 2>/dev/null ||
	fail record "$(head -c 300 "$WORK/record.err")"
"$FLAMESCOPE" heatmap -q -i "$WORK/p.data" -o "$WORK/cmd.png"
check example-run env LD_LIBRARY_PATH="$lib" "$WORK/render" "$WORK/p.data" "$WORK/lib.png"
same example-png-equals-command "$WORK/cmd.png" "$WORK/lib.png"
check example-static-run "$WORK/render-static" "$WORK/p.data" "$WORK/static.png"
same example-static-png-equals-command "$WORK/cmd.png" "$WORK/static.png"
LD_LIBRARY_PATH=$lib "$WORK/render" >/dev/null 2>&1; usage_rc=$?
LD_LIBRARY_PATH=$lib "$WORK/render" "$WORK/none.data" "$WORK/x.png" 2>"$WORK/none.err"; none_rc=$?
if [ "$usage_rc" = 2 ] && [ "$none_rc" = 1 ] && grep -q 'render: .*none.data' "$WORK/none.err" &&
   [ ! -e "$WORK/x.png" ]
then ok example-errors; else fail example-errors "usage $usage_rc, missing file $none_rc: $(cat "$WORK/none.err")"; fi
unset PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR

# Man pages: one per command, rendered by man without warnings, found by name.
for m in "$stage$prefix"/share/man/man1/*.1; do
	MANWIDTH=80 man --warnings -l "$m" >"$WORK/man.out" 2>"$WORK/man.err"
	if [ -s "$WORK/man.err" ] || ! grep -q NAME "$WORK/man.out"; then
		fail "man-$(basename "$m")" "$(head -c 300 "$WORK/man.err")"
	else
		ok "man-$(basename "$m")"
	fi
done
if MANWIDTH=80 man -M "$stage$prefix/share/man" flamescope-heatmap 2>/dev/null | grep -q -- '--rows'
then ok man-by-name; else fail man-by-name "man -M could not find flamescope-heatmap"; fi

# Bash completion of commands, options and option values, from the staged program.
complete_words() {
	PATH=$bin:$PATH bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1));
		_flamescope; echo "${COMPREPLY[*]}"' _ "$stage$prefix/share/bash-completion/completions/flamescope" "$@"
}
[ "$(complete_words flamescope fl)" = flamegraph ] && ok completion-command ||
	fail completion-command "'$(complete_words flamescope fl)'"
[ "$(complete_words perf-flamescope heatmap --ro)" = --rows ] && ok completion-option ||
	fail completion-option "'$(complete_words perf-flamescope heatmap --ro)'"
[ "$(complete_words flamescope flamegraph --format f)" = folded ] && ok completion-value ||
	fail completion-value "'$(complete_words flamescope flamegraph --format f)'"
[ "$(complete_words flamescope top --win)" = --window ] && ok completion-top-option ||
	fail completion-top-option "'$(complete_words flamescope top --win)'"

check uninstall mk uninstall DESTDIR="$stage" PREFIX=$prefix
left=$(files "$stage")
[ -z "$left" ] && ok uninstall-leaves-nothing || fail uninstall-leaves-nothing "$left"

# install-perf into a staged exec path, and uninstall-perf.
pstage=$WORK/pstage
check install-perf mk install-perf DESTDIR="$pstage" PERF_EXEC_PATH=/usr/lib/perf-core
files "$pstage" >"$WORK/perf.list"
printf '%s\n' usr/lib/perf-core/dlfilters/flamescope-dlfilter.so \
	usr/lib/perf-core/scripts/python/bin/flamescope-record \
	usr/lib/perf-core/scripts/python/bin/flamescope-report | sort >"$WORK/perf.expected"
same install-perf-file-list "$WORK/perf.expected" "$WORK/perf.list"
check uninstall-perf mk uninstall-perf DESTDIR="$pstage" PERF_EXEC_PATH=/usr/lib/perf-core
left=$(files "$pstage")
[ -z "$left" ] && ok uninstall-perf-leaves-nothing || fail uninstall-perf-leaves-nothing "$left"
