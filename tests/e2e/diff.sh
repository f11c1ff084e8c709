#!/usr/bin/env bash
# Differential flame graphs: `flamescope diff` and `flamegraph --compare`.
# A file against itself changes nothing (every frame white); the pattern
# workload's band range against a quiet range of the same recording shows the
# band's leaf red (grew) with --normalize; `diff A B` is `flamegraph -i B
# --compare-input A`, byte for byte.
source "$(dirname "$0")/lib.sh"
DEMO=$TOP/tests/data/demo
SYM=(--buildid-dir "$DEMO/debug")

# fills FILE: the distinct frame colours of an SVG flame graph, background left out.
fills() {
	grep -o '<rect x="[^"]*" y="[^"]*" width="[^"]*" height="[^"]*" fill="rgb([^"]*)"' "$1" |
		sed 's/.*fill="//; s/"$//' | sort -u
}

check diff-self "$FLAMESCOPE" diff "$DEMO/perf.data" "$DEMO/perf.data" "${SYM[@]}" -o "$WORK/self.svg"
if [ -f "$WORK/self.svg" ]; then
	got=$(fills "$WORK/self.svg")
	if [ "$got" = "rgb(255,255,255)" ]; then ok diff-self-all-white
	else fail diff-self-all-white "colours: $(echo "$got" | head -5 | tr '\n' ' ')"; fi
	check diff-self-xml xmllint --noout "$WORK/self.svg"
fi

# diff A B == flamegraph -i B --compare-input A
"$FLAMESCOPE" diff "$DEMO/perf.data" "$DEMO/perf.data" "${SYM[@]}" --normalize -o "$WORK/a.svg" 2>/dev/null
"$FLAMESCOPE" flamegraph -i "$DEMO/perf.data" --compare-input "$DEMO/perf.data" "${SYM[@]}" \
	--normalize -o "$WORK/b.svg" 2>/dev/null
same diff-is-flamegraph-compare-input "$WORK/b.svg" "$WORK/a.svg"

if ! record "$WORK/p.data" -a -g -F 199 -- nice -n -10 "$WORKLOADS/pattern" 8; then
	skip diff-recorded "perf record failed: $(head -c 200 "$WORK/record.err")"
	exit 0
fi
pid=$(sed -n 's/^pattern: pid \([0-9]*\) .*/\1/p' "$WORK/record.err")
s0=$(sed -n 's/^pattern: pid [0-9]* start \([0-9]*\) .*/\1/p' "$WORK/record.err")
origin=$("$FLAMESCOPE" heatmap -i "$WORK/p.data" -o "$WORK/p.json" 2>/dev/null &&
	perf script -i "$WORK/p.data" -F time 2>/dev/null | awk 'NR == 1 { printf "%d", $1 }')
band=$((s0 - origin + 4))	# the band runs through seconds 4 to 6 of the schedule
quiet=$((s0 - origin + 7))	# second 7: only its 60 ms burst at 400-460 ms
check diff-band-vs-quiet "$FLAMESCOPE" flamegraph -i "$WORK/p.data" --pid "$pid" \
	--start "$band" --end "$((band + 2)).999" --compare "$quiet.5,$quiet.99" --normalize -o "$WORK/band.svg"
# band_work's leaf grew: its frame is red (r = 255, g = b < 255); a quiet range has none of it.
if grep -o '<title>spin_leaf[^<]*</title><rect[^>]*>' "$WORK/band.svg" 2>/dev/null |
	grep -q 'fill="rgb(255,\([0-9]*\),\1)"'; then
	ok diff-band-leaf-red
else
	fail diff-band-leaf-red "$(grep -o '<title>spin_leaf[^<]*</title><rect[^>]*>' "$WORK/band.svg" | head -3)"
fi
# --negate swaps: the same frame turns blue.
"$FLAMESCOPE" flamegraph -i "$WORK/p.data" --pid "$pid" --start "$band" --end "$((band + 2)).999" \
	--compare "$quiet.5,$quiet.99" --normalize --negate -o "$WORK/neg.svg" 2>/dev/null
if grep -o '<title>spin_leaf[^<]*</title><rect[^>]*>' "$WORK/neg.svg" 2>/dev/null |
	grep -q 'fill="rgb(\([0-9]*\),\1,255)"'; then
	ok diff-negate-blue
else
	fail diff-negate-blue "$(grep -o '<title>spin_leaf[^<]*</title><rect[^>]*>' "$WORK/neg.svg" | head -3)"
fi
