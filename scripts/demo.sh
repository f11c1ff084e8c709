#!/usr/bin/env bash
# make demo: the main job on the bundled example profile (tests/data/demo, recorded with
# `perf record -a -g` of tests/workloads/pattern and shipped with its build-id cache, so it
# resolves on any machine). Writes the heat map and flame graphs under $B/demo.
set -euo pipefail
B=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
fs=$top/$B/flamescope
data=$top/tests/data/demo
out=$top/$B/demo
mkdir -p "$out"
sym=(--buildid-dir "$data/debug")

echo "== flamescope info -i tests/data/demo/perf.data"
"$fs" info -i "$data/perf.data"

echo
echo "== heat map (terminal rendering; the PNG and SVG are written below)"
"$fs" heatmap -i "$data/perf.data" "${sym[@]}" --rows 25 --format txt -o -
"$fs" heatmap -i "$data/perf.data" "${sym[@]}" -o "$out/heatmap.png"
"$fs" heatmap -i "$data/perf.data" "${sym[@]}" -o "$out/heatmap.svg"

# The ranges worth a flame graph: the band and one 60 ms burst (offsets the recording
# script wrote down from the workload's own schedule).
read -r _ band_start band_end < <(grep '^band ' "$data/ranges")
read -r _ burst_start burst_end < <(grep '^burst ' "$data/ranges")
"$fs" flamegraph -i "$data/perf.data" "${sym[@]}" -o "$out/flamegraph.svg" \
	--title "Whole profile"
"$fs" flamegraph -i "$data/perf.data" "${sym[@]}" -o "$out/band.svg" \
	--start "$band_start" --end "$band_end" --title "The band: offsets $band_start-$band_end s"
"$fs" flamegraph -i "$data/perf.data" "${sym[@]}" -o "$out/band.png" \
	--start "$band_start" --end "$band_end" --title "The band: offsets $band_start-$band_end s"
"$fs" flamegraph -i "$data/perf.data" "${sym[@]}" -o "$out/burst.svg" \
	--start "$burst_start" --end "$burst_end" --title "A 60 ms burst: offsets $burst_start-$burst_end s"
# FlameScope in one page, opening on the band
"$fs" report -q -i "$data/perf.data" "${sym[@]}" -o "$out/flamescope.html" \
	--start "$band_start" --end "$band_end" --title "The demo profile"
echo
echo "Wrote:"
for f in flamescope.html heatmap.png heatmap.svg flamegraph.svg band.svg band.png burst.svg; do
	echo "  $B/demo/$f"
done
echo
echo "Open $B/demo/flamescope.html in a browser (offline, nothing to install): the heat map,"
echo "and the flame graph of the band below it. Click a start cell and an end cell (or drag)"
echo "for any other range; Shift+click a second range to compare; search to light the cells"
echo "where a function ran. The link keeps the view: flamescope.html#start=$burst_start&end=$burst_end"
echo "opens on a burst. The SVGs: hover a cell for its time and count, click two for the"
echo "flamescope flamegraph command of that range."
