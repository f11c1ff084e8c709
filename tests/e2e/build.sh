#!/usr/bin/env bash
# The build as a developer drives it (issue 14): CFLAGS given on the command
# line add to the flags the build needs instead of replacing them; a header
# change rebuilds only the objects that include it (computed dependencies);
# nothing is compiled against a path under build/linux-src. make -n only:
# nothing here builds or changes the tree but one header's mtime, restored.
source "$(dirname "$0")/lib.sh"
cd "$TOP" || exit 1

# make CFLAGS=-O0: our -std, -D and -I flags stay, the user's -O0 replaces -O2 -g.
out=$(make -n -B B="$WORK/b" CFLAGS=-O0 "$WORK/b/obj/core/error.o" 2>&1 | grep ' -c ')
missing=
for f in -std=gnu11 -D_GNU_SOURCE -Icore -Ipng -O0 -MMD; do
	case " $out " in *" $f "*) ;; *) missing="$missing $f" ;; esac
done
case " $out " in *" -O2 "*) missing="$missing (still -O2)" ;; esac
if [ -z "$missing" ] && [ -n "$out" ]; then ok make-cflags-add
else fail make-cflags-add "missing$missing in: $out"; fi

# LDFLAGS likewise add to the link.
out=$(make -n -B B="$WORK/b" LDFLAGS=-Wl,--no-undefined "$WORK/b/flamescope" 2>&1 | grep -- ' -o [^ ]*/flamescope ')
case "$out" in *-Wl,--no-undefined*-lpng16*) ok make-ldflags-add ;;
*) fail make-ldflags-add "$out" ;; esac

# Touching tests/unit/pdwriter.h rebuilds the sources that include it, no others.
hdr=tests/unit/pdwriter.h
touch -r "$hdr" "$WORK/mtime"
trap 'touch -r "$WORK/mtime" "$TOP/$hdr"; rm -rf "$WORK"' EXIT
touch "$hdr"
make -n B="$B" tests-build 2>/dev/null | grep ' -c ' | awk '{ print $NF }' | sort >"$WORK/rebuilt"
touch -r "$WORK/mtime" "$hdr"
grep -l 'pdwriter\.h"' tests/unit/*.c tests/tools/*.c | sort >"$WORK/includers"
if [ -s "$WORK/includers" ]; then same header-change-rebuilds-includers-only "$WORK/includers" "$WORK/rebuilt"
else fail header-change-rebuilds-includers-only "no source includes $hdr"; fi

# Nothing compiles against the extracted kernel tree.
if make -n -B B="$WORK/b" all tests-build 2>/dev/null | grep -q 'linux-src'; then
	fail no-linux-src-path "$(make -n -B B="$WORK/b" all 2>/dev/null | grep -m1 linux-src)"
else
	ok no-linux-src-path
fi

# One all: rule, first in the Makefile (the default goal).
n=$(grep -c '^all:' Makefile)
first=$(make -pn -f Makefile 2>/dev/null | sed -n 's/^\.DEFAULT_GOAL := //p' | head -n 1)
if [ "$n" = 1 ] && [ "$first" = all ]; then ok one-all-rule
else fail one-all-rule "$n all: rules, default goal '$first'"; fi
