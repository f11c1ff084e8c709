#!/usr/bin/env bash
# Remakes the committed --call-graph dwarf fixture in this directory (as
# tests/data/script/make-fixture.sh does for frame pointers):
#   perf.data      perf record --call-graph dwarf,512 -F 199 of fixture.c
#                  (freestanding, no frame pointers, inlined functions). Not -a:
#                  other processes' samples would make the expected text depend on
#                  this machine's libraries and debug files.
#   buildid/       the build-id cache entries it needs: the workload's elf and
#                  the kernel's kallsyms, trimmed to the symbols the samples hit
#                  (and their successors, which fix up their ends)
#   expected.txt   perf script's output with that cache (the workload's binary is
#                  deleted, so its symbols come from the cache)
# The trimmed kallsyms is checked: perf --kallsyms=TRIMMED must print the same.
set -euo pipefail
D=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d /tmp/dwarf-fixture.XXXXXX)
# The workload runs from a fixed path: perf.data, the cache's directories and
# expected.txt all name it, so a random one would change with every recording.
W=/tmp/flamescope-dwarf-fixture
rm -rf "$W" && mkdir -p "$W"
trap 'rm -rf "$T" "$W"' EXIT

gcc -O2 -g -fomit-frame-pointer -nostdlib -static -Wl,--eh-frame-hdr -DFX_LOOPS=8000 \
	-o "$W/dwarf_fixture" "$D/fixture.c"
# perf 6.1 takes its cache from the config (buildid.dir), not from PERF_BUILDID_DIR
printf '[buildid]\n\tdir = %s\n' "$T/debug" >"$T/perfconfig"
export PERF_CONFIG=$T/perfconfig
perf record -q --call-graph dwarf,512 -F 199 -o "$T/perf.data" -- "$W/dwarf_fixture" >/dev/null 2>&1
perf script -i "$T/perf.data" >"$T/full.txt" 2>/dev/null
rm "$W/dwarf_fixture"

# The cache as perf record left it, minus every dso but ours and the kernel.
rm -rf "$D/buildid"
mkdir -p "$D/buildid/.build-id"
for link in "$T"/debug/.build-id/*/*; do
	target=$(readlink "$link")
	case "$target" in
	*"[kernel.kallsyms]"*|*dwarf_fixture*) ;;
	*) continue ;;
	esac
	rel=${link#"$T/debug/"}
	mkdir -p "$D/buildid/$(dirname "$rel")"
	cp -P "$link" "$D/buildid/$rel"
	src=$(cd "$(dirname "$link")" && cd "$(dirname "$target")" && pwd)/$(basename "$target")
	dst=${src#"$T/debug/"}
	mkdir -p "$D/buildid/$dst"
	cp -r "$src"/. "$D/buildid/$dst/"
done

# Trim kallsyms to the symbols hit, their successors and the relocation reference.
ks=$(ls "$D"/buildid/\[kernel.kallsyms\]/*/kallsyms)
{ grep -o ' [^ ]*+0x[0-9a-f]* (\[kernel.kallsyms\])' "$T/full.txt" || true; } |
	sed 's/^ //; s/+0x.*//' | sort -u >"$T/hit"
awk -v hit="$T/hit" 'BEGIN { while ((getline s < hit) > 0) want[s] = 1 }
	{ lines[NR] = $0; name[NR] = $3 }
	END {
		for (i = 1; i <= NR; i++)
			if (want[name[i]] || name[i] == "_text" || name[i] == "_stext") {
				keep[i] = 1; keep[i + 1] = 1
			}
		for (i = 1; i <= NR; i++) if (keep[i]) print lines[i]
	}' "$ks" >"$T/kallsyms"
cp "$T/kallsyms" "$ks"
chmod a-x "$ks"		# perf's cache gives it a program's mode

cp "$T/perf.data" "$D/perf.data"
printf '[buildid]\n\tdir = %s\n' "$D/buildid" >"$T/perfconfig"
perf script -i "$D/perf.data" >"$D/expected.txt" 2>/dev/null
perf script -i "$D/perf.data" --kallsyms="$ks" >"$T/trimmed.txt" 2>/dev/null
for f in "$D/expected.txt" "$T/trimmed.txt"; do
	if ! cmp -s "$T/full.txt" "$f"; then
		echo "make-fixture: $f differs from perf's output on the full cache:" >&2
		diff "$T/full.txt" "$f" | head >&2
		exit 1
	fi
done
# The fixture is only worth committing if perf unwound it, inlined frames included.
grep -q 'fx_middle+0x.*dwarf_fixture)' "$D/expected.txt" &&
	grep -q 'fx_step+0x.* (inlined)$' "$D/expected.txt" ||
	{ echo "make-fixture: perf unwound no user stack or printed no inlined frame" >&2; exit 1; }
du -sh "$D"
