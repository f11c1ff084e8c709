#!/usr/bin/env bash
# Truncation and corruption sweep. Three recordings made now (perf record -a
# -g, the same with -z, and pipe mode) are cut at record boundaries (up to
# CORRUPT_CUTS of them, spread over the file) and at random offsets, and get
# single bits flipped at random positions. On every variant, info, script,
# heatmap -o x.json and flamegraph -o x.folded run under timeout 10 and must
# end with exit 0 (and an output file) or exit 1 with one line on stderr
# naming the file; never a signal, a timeout, another status or a sanitizer
# report (run against build/asan, this is the ASan+UBSan sweep); a failed run
# leaves no output file (nor its temporary) and no run changes its input.
# Pipe files cut at a record boundary are whole streams: there our script
# must print what perf script prints. Random choices are seeded (CORRUPT_SEED)
# so a failure can be replayed.
source "$(dirname "$0")/lib.sh"
cd "$WORK" || exit 1

# The counts keep make test's budget: deeper sweeps are scripts/fuzz-campaign.sh's
# and the libFuzzer harnesses' job. Under the sanitizers a run costs ~2.5x.
SEED=${CORRUPT_SEED:-7}
CUTS=${CORRUPT_CUTS:-50}
RANDOM_CUTS=${CORRUPT_RANDOM:-25}
FLIPS=${CORRUPT_FLIPS:-30}
case "$B" in *asan*|*san*) CUTS=$((CUTS * 3 / 5)) RANDOM_CUTS=$((RANDOM_CUTS * 3 / 5)) FLIPS=$((FLIPS * 3 / 5)) ;; esac

if ! command -v perf >/dev/null || ! perf record -q -o probe.data -- true >/dev/null 2>&1; then
	skip corrupt-sweep "perf record is not available"
	exit 0
fi

rec() { perf record -q -a -g -F 499 "$@" -- sleep 0.5 2>record.err; }
rec -o sys.data >/dev/null || fail record-sys "$(head -c 300 record.err)"
rec -z -o sysz.data >/dev/null || fail record-z "$(head -c 300 record.err)"
rec -o - >pipe.data || fail record-pipe "$(head -c 300 record.err)"

# plan.py FILE PREFIX: one variant a line, "NAME cut N" or "NAME flip POS BYTE".
cat >plan.py <<'EOF'
import random, struct, sys
path, prefix, cuts, rcuts, flips, seed = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:7])
data = open(path, 'rb').read()
rnd = random.Random(seed)
magic, hsize = struct.unpack_from('<QQ', data, 0)
if hsize == 16:			# pipe mode: records from offset 16 to the end
    start, end = 16, len(data)
else:				# file mode: the data section
    start, size = struct.unpack_from('<QQ', data, 40)
    end = start + size
bounds, pos = [], start
while pos + 8 <= end:
    bounds.append(pos)
    size = struct.unpack_from('<H', data, pos + 6)[0]
    if size < 8:
        break
    pos += size
bounds.append(min(pos, end))
if len(bounds) > cuts:		# spread over the file, first and last kept
    step = (len(bounds) - 1) / (cuts - 1)
    bounds = sorted({bounds[round(i * step)] for i in range(cuts)})
print(f'{prefix}-w cut {len(data)}')
for b in bounds:
    print(f'{prefix}-b{b} cut {b}')
for i in range(rcuts):
    print(f'{prefix}-r{i} cut {rnd.randrange(len(data))}')
for i in range(flips):
    p = rnd.randrange(len(data))
    print(f'{prefix}-f{i} flip {p} {data[p] ^ (1 << rnd.randrange(8))}')
EOF

: >plan
for f in sys sysz pipe; do
	[ -s $f.data ] || continue
	python3 plan.py $f.data $f "$CUTS" "$RANDOM_CUTS" "$FLIPS" "$SEED" >>plan ||
		fail plan-$f "cannot walk the records of $f.data"
done
mkdir -p v out

# worker.sh NAME KIND ARG [BYTE]: makes the variant, runs the four commands,
# prints "NAME CMD verdict" lines; verdict "ok0", "ok1" or "bad: why".
cat >worker.sh <<'EOF'
FLAMESCOPE=$1; shift
name=$1 kind=$2 arg=$3 byte=${4:-}
src=${name%%-*}.data
v=v/$name.data
if [ "$kind" = cut ]; then
	head -c "$arg" "$src" >"$v"
else
	cp "$src" "$v"
	printf "$(printf '\\%03o' "$byte")" | dd of="$v" bs=1 seek="$arg" conv=notrunc status=none
fi
sum=$(md5sum <"$v")
o=out/$name
mkdir -p "$o"
run() {
	local cmd=$1 out=$2; shift 2
	local err=$o/$cmd.err rc why=
	timeout 10 "$FLAMESCOPE" "$cmd" -i "$v" "$@" >"$o/$cmd.stdout" 2>"$err"
	rc=$?
	if grep -qE 'Sanitizer|runtime error|LeakSanitizer' "$err"; then
		why="sanitizer: $(grep -m1 -E 'ERROR|runtime error' "$err")"
	elif [ $rc -eq 124 ]; then
		why="timeout"
	elif [ $rc -eq 0 ]; then
		if [ -n "$out" ] && [ ! -e "$out" ]; then why="exit 0 without $out"; fi	# empty is fine: a cut may leave only idle samples
	elif [ $rc -eq 1 ]; then
		if [ "$(wc -l <"$err")" -ne 1 ]; then
			why="exit 1 with $(wc -l <"$err") stderr lines: $(head -c 200 "$err" | tr '\n' '|')"
		elif ! grep -qF "$v" "$err"; then
			why="error does not name the file: $(cat "$err")"
		elif [ -n "$out" ] && ls "$out"* >/dev/null 2>&1; then
			why="failed run left $(ls "$out"*)"
		fi
	else
		why="exit $rc: $(head -c 200 "$err" | tr '\n' '|')"
	fi
	if [ "$(md5sum <"$v")" != "$sum" ]; then why="input modified $why"; fi
	if [ -n "$why" ]; then echo "$name $cmd bad: $why"; else echo "$name $cmd ok$rc"; fi
}
run info ""
run script ""
run heatmap "$o/x.json" -o "$o/x.json"
run flamegraph "$o/x.folded" -o "$o/x.folded"
# keep only what a failure needs
rm -f "$o"/*.stdout "$o"/x.*
[ "$kind" = cut ] && [ "${name#*-b}" != "$name" ] || rm -f "$v"
EOF

start=$SECONDS
xargs -P 2 -L 1 bash worker.sh "$FLAMESCOPE" <plan >results 2>worker.err
echo "# $(wc -l <plan) variants, $(wc -l <results) runs in $((SECONDS - start)) s" \
	"($(grep -c ' ok0$' results) exit 0, $(grep -c ' ok1$' results) exit 1)"

for f in sys sysz pipe; do
	for k in b r f; do
		case $k in b) what=boundary-cuts ;; r) what=random-cuts ;; f) what=bit-flips ;; esac
		n=$(grep -c "^$f-$k[0-9]" results)
		[ "$n" -gt 0 ] || continue
		bad=$(grep "^$f-$k[0-9]" results | grep ' bad: ')
		if [ -z "$bad" ]; then
			ok "corrupt-$f-$what ($n runs)"
		else
			fail "corrupt-$f-$what" "$(echo "$bad" | wc -l) of $n runs: $(echo "$bad" | head -n 5)"
		fi
	done
done
[ -s worker.err ] && fail corrupt-worker "$(head -c 300 worker.err)"

# The whole file gives exit 0 for every command.
for f in sys sysz pipe; do
	[ -s $f.data ] || continue
	n=$(grep -c "^$f-w .* ok0$" results)
	[ "$n" -eq 4 ] && ok "corrupt-$f-whole-file-exit-0" ||
		fail "corrupt-$f-whole-file-exit-0" "$(grep "^$f-w " results)"
done

# Pipe streams cut at a record boundary are valid streams: perf script's text.
nb=0 bad=
for v in $(ls v/pipe-b*.data 2>/dev/null | shuf -n 6 --random-source=<(yes "$SEED")); do
	perf script -i "$v" >"$v.perf" 2>/dev/null
	"$FLAMESCOPE" script -i "$v" >"$v.fs" 2>"$v.fs.err"
	nb=$((nb + 1))
	cmp -s "$v.perf" "$v.fs" || bad="$bad $v: $(diff "$v.perf" "$v.fs" | head -n 4 | tr '\n' '|')"
done
if [ "$nb" -gt 0 ]; then
	[ -z "$bad" ] && ok "corrupt-pipe-cut-matches-perf-script ($nb cuts)" ||
		fail corrupt-pipe-cut-matches-perf-script "$bad"
fi
