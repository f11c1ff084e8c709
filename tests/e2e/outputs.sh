#!/usr/bin/env bash
# Where outputs go: a regular file is replaced whole through a temporary file
# (nothing partial on failure, nothing left behind), while a device or FIFO is
# written in place, never replaced (renaming over /dev/null would destroy it).
source "$(dirname "$0")/lib.sh"
DEMO=$TOP/tests/data/demo
SYM=(--buildid-dir "$DEMO/debug")

# A character device like /dev/null, made in the test's own directory.
if mknod "$WORK/null" c 1 3 2>/dev/null; then
	for cmd in "heatmap --format json" "flamegraph --format folded"; do
		name=device-${cmd%% *}
		# shellcheck disable=SC2086
		check "$name" "$FLAMESCOPE" $cmd -i "$DEMO/perf.data" "${SYM[@]}" -o "$WORK/null"
		if [ -c "$WORK/null" ]; then ok "$name-still-a-device"
		else fail "$name-still-a-device" "$(ls -l "$WORK/null")"; fi
	done
else
	skip outputs-devices "mknod is not permitted here"
fi

# A FIFO is written in place: a reader sees the JSON.
mkfifo "$WORK/fifo"
cat "$WORK/fifo" >"$WORK/fifo.out" &
reader=$!
check fifo-write "$FLAMESCOPE" heatmap -i "$DEMO/perf.data" "${SYM[@]}" --format json -o "$WORK/fifo"
wait "$reader"
check fifo-json python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$WORK/fifo.out"
if [ -p "$WORK/fifo" ]; then ok fifo-still-a-fifo; else fail fifo-still-a-fifo "$(ls -l "$WORK/fifo")"; fi

# A regular file is replaced; a failed run leaves the old one and no temporary file.
mkdir "$WORK/out"
echo old >"$WORK/out/heat.json"
check replace "$FLAMESCOPE" heatmap -i "$DEMO/perf.data" "${SYM[@]}" -o "$WORK/out/heat.json"
check replaced-json python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$WORK/out/heat.json"
cp "$WORK/out/heat.json" "$WORK/before.json"
if "$FLAMESCOPE" heatmap -i "$WORK/missing.data" -o "$WORK/out/heat.json" 2>/dev/null; then
	fail failed-run-exit "exit 0 on a missing input"
else
	ok failed-run-exit
fi
same failed-run-keeps-old-output "$WORK/before.json" "$WORK/out/heat.json"
left=$(find "$WORK/out" -name '*.tmp-*' | head -3)
if [ -z "$left" ]; then ok no-temporary-left; else fail no-temporary-left "$left"; fi
