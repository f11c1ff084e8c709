# bench-lib.sh: what the scripts/bench-*.sh share; source it after setting T (a private
# temp dir). Output goes to a null device: we time the tools, not the disk.
#
#   measure NAME CMD...   runs CMD once (stdout to the null device, stderr kept in
#                         $T/NAME.err), appends its wall seconds, CPU seconds (user +
#                         sys, of it and its children) and peak RSS (KB) to the lists
#                         WALL[NAME], CPU[NAME], RSS[NAME]; a failure stops the bench.
#   median LIST           the median of a space-separated list of numbers.
#   ratio A B             A / B with one decimal.

declare -A WALL CPU RSS

bench_null() {
	# a /dev/null something replaced by a regular file would add the cost of writing
	# every output to it (and shrink the ratios): our own node then
	NULL=/dev/null
	if [ ! -c /dev/null ]; then
		NULL=$T/null
		mknod -m 666 "$NULL" c 1 3 || { echo "bench: /dev/null is no device and mknod failed" >&2; exit 1; }
	fi
}

measure() {
	local name=$1 key wall user sys rss; shift
	key=${name//[^A-Za-z0-9]/_}
	/usr/bin/time -f "%e %U %S %M" -o "$T/$key.time" "$@" >"${NULL:-/dev/null}" 2>"$T/$key.err" || {
		echo "bench: $name failed: $(head -3 "$T/$key.err")" >&2; exit 1; }
	read -r wall user sys rss <"$T/$key.time"
	WALL[$name]+="$wall "
	CPU[$name]+="$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }') "
	RSS[$name]+="$rss "
}

median() {
	tr ' ' '\n' <<<"$1" | grep . | sort -g | awk '{ v[NR] = $1 } END {
		if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }'
}
