#!/usr/bin/env bash
# The reader and `flamescope info` against perf on real recordings made now:
# record counts by type and samples per event as `perf report --stats` counts
# them, sample counts and times as `perf script` prints them, the delivery
# order of samples and task/mmap records as perf script's, the header lines
# as `perf report --header-only` prints them; and bad input giving exit 1
# with a message naming the file.
source "$(dirname "$0")/lib.sh"
PDWRITE=$(realpath "$B/tests/pdwrite")
cd "$WORK" || exit 1

# The "Aggregated stats" and per-event blocks (perf prints nothing else we compare).
perf_stats() { perf report --stats -i "$1" 2>/dev/null | sed -n '/^Aggregated stats:/,$p' | grep -v '^$'; }
our_stats() { "$FLAMESCOPE" info -i "$1" | sed -n '/^Aggregated stats:/,/^$/p' | grep -v '^$'; }

# perf script's sample count per event name, "NAME COUNT" sorted.
perf_per_event() { perf script -i "$1" -F event 2>/dev/null | grep -E '^ *[^ ]+: *$' | sed -E 's/^ *//; s/: *$//' | sort | uniq -c | awk '{print $2, $1}'; }
our_per_event() {
	"$FLAMESCOPE" info -i "$1" | sed -n '/^Aggregated stats:/,/^$/p' |
		awk '/^Aggregated/ { next } / stats:$/ { name = $1 } /SAMPLE events:/ && name != "" { print name, $3 }' | sort
}

# Sample (tid, time) and task/mmap records in delivery order.
perf_order() {
	perf script -i "$1" -F tid,time --ns --show-task-events --show-mmap-events 2>/dev/null |
		grep -E '^ *-?[0-9]+ +[0-9]+\.[0-9]+: *($|PERF_RECORD_)' |
		sed -E 's/^ *(-?[0-9]+) +([0-9.]+): *$/SAMPLE \1 \2/; s/.*PERF_RECORD_([A-Z0-9]+).*/\1/'
}

check_profile() {
	local name=$1 f=$2

	if [ ! -s "$f" ]; then
		fail "$name-record" "perf record failed: $(head -c 300 "$WORK/record.err")"
		return
	fi
	perf_stats "$f" >"$name.perf-stats"
	our_stats "$f" >"$name.our-stats"
	if [ -s "$name.perf-stats" ]; then
		same "$name-stats" "$name.perf-stats" "$name.our-stats"
	else
		fail "$name-stats" "perf report --stats printed nothing"
	fi
	perf_per_event "$f" >"$name.perf-ev"
	our_per_event "$f" >"$name.our-ev"
	same "$name-samples-per-event" "$name.perf-ev" "$name.our-ev"
	perf_order "$f" >"$name.perf-order"
	"$PDWRITE" order "$f" >"$name.our-order"
	if [ "$(grep -c '^SAMPLE' "$name.perf-order")" -gt 0 ]; then
		same "$name-order" "$name.perf-order" "$name.our-order"
	else
		fail "$name-order" "no samples in perf script output"
	fi
	# first and last sample time (usec) as perf script prints them
	local first last
	first=$(perf script -i "$f" -F time 2>/dev/null | grep -E '^ *[0-9]+\.[0-9]+: *$' | tr -d ' :' | sort -n | head -1)
	last=$(perf script -i "$f" -F time 2>/dev/null | grep -E '^ *[0-9]+\.[0-9]+: *$' | tr -d ' :' | sort -n | tail -1)
	"$FLAMESCOPE" info -i "$f" >"$name.info"
	if grep -qx "# first sample time : $first" "$name.info" &&
	   grep -qx "# last sample time : $last" "$name.info"; then
		ok "$name-sample-times"
	else
		fail "$name-sample-times" "perf: $first..$last; ours: $(grep 'sample time' "$name.info" | tr '\n' ' ')"
	fi
}

# Header lines we print must be perf's, word for word.
check_header() {
	local name=$1 f=$2 missing

	perf report --header-only -i "$f" >"$name.perf-header" 2>/dev/null
	sed -n '/^# ========$/,/^# ========$/p' <("$FLAMESCOPE" info -i "$f") | grep -v '^# ========$' >"$name.our-header"
	missing=$(grep -vxF -f "$name.perf-header" "$name.our-header")
	if [ -s "$name.our-header" ] && [ -z "$missing" ] &&
	   grep -q '^# event : name = ' "$name.our-header"; then
		ok "$name-header"
	else
		fail "$name-header" "lines perf does not print: $missing"
	fi
}

record ag.data -a -g -- sleep 0.6
check_profile a-g ag.data
check_header a-g ag.data

record a.data -a -- sleep 0.5
check_profile a-nog a.data

record busy.data -g -- sh -c 'i=0; while [ $i -lt 150000 ]; do i=$((i+1)); done'
check_profile no-a busy.data

record two.data -e cpu-clock,page-faults -a -g -- sleep 0.5
check_profile two-events two.data
check_header two-events two.data
if [ "$(wc -l <two-events.our-ev)" -ge 2 ] || grep -q cpu-clock two-events.our-ev; then
	ok two-events-names
else
	fail two-events-names "$(cat two-events.our-ev)"
fi

record z.data -z -a -g -- sleep 0.6
check_profile zstd z.data
check_header zstd z.data
if grep -q 'COMPRESSED events' zstd.our-stats; then ok zstd-has-compressed; else fail zstd-has-compressed "no COMPRESSED records counted"; fi

# perf record -o - piped into a file, read as a file and from stdin
perf record -q -a -g -o - -- sleep 0.5 2>"$WORK/record.err" >pipe.data
check_profile pipe pipe.data
if cat pipe.data | "$FLAMESCOPE" info -i - >pipe.stdin.info 2>&1 &&
   cmp -s <(sed -n '/^Aggregated/,$p' pipe.stdin.info) <(sed -n '/^Aggregated/,$p' pipe.info); then
	ok pipe-stdin
else
	fail pipe-stdin "$(head -c 300 pipe.stdin.info)"
fi
# live: perf record's stream read as it is written (a real pipe), a copy kept for perf
perf record -q -a -g -o - -- sleep 0.5 2>"$WORK/record.err" | tee live.data |
	"$FLAMESCOPE" info -i - >live.info 2>&1
perf_stats live.data >live.perf-stats
sed -n '/^Aggregated stats:/,/^$/p' live.info | grep -v '^$' >live.our-stats
if [ -s live.perf-stats ]; then
	same live-pipe-stats live.perf-stats live.our-stats
else
	fail live-pipe-stats "perf report --stats printed nothing"
fi
if grep -q '^# event : name = cpu-clock' pipe.info; then ok pipe-event-names; else fail pipe-event-names "$(grep '# event' pipe.info)"; fi

# the default input is ./perf.data
cp a.data perf.data
if "$FLAMESCOPE" info >default.info 2>&1 && cmp -s <(sed -n '/^Aggregated/,$p' default.info) <(sed -n '/^Aggregated/,$p' a-nog.info); then
	ok default-input
else
	fail default-input "$(head -c 300 default.info)"
fi

# synthetic file with known content: 20 samples of alpha, 10 of beta
"$PDWRITE" good good.data
printf 'alpha 20\nbeta 10\n' >good.want
our_per_event good.data >good.ev
same synthetic-per-event good.want good.ev
"$PDWRITE" compressed comp.data
our_per_event comp.data >comp.ev
same synthetic-compressed good.want comp.ev

# bad input: exit 1, one line naming the file (and the offset where there is one)
bad() {
	local name=$1 file=$2 want=$3 out rc
	out=$("$FLAMESCOPE" info -i "$file" 2>&1 >/dev/null)
	rc=$?
	if [ $rc -eq 1 ] && [ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] &&
	   [[ "$out" == "flamescope info: $file"* ]] && [[ "$out" == *"$want"* ]]; then
		ok "$name"
	else
		fail "$name" "exit $rc: $out"
	fi
}
: >empty.data
bad bad-empty empty.data "empty"
mkdir -p adir
bad bad-directory adir "directory"
size=$(stat -c %s ag.data)
head -c $((size / 2)) ag.data >trunc.data
bad bad-truncated trunc.data "truncated"
# cut at the first record boundary past the middle: no record is cut, the data section still is
python3 -c '
import struct, sys
d = open(sys.argv[1], "rb").read()
pos, size = struct.unpack_from("<QQ", d, 40)
while pos < len(d) // 2:
    pos += max(8, struct.unpack_from("<H", d, pos + 6)[0])
open(sys.argv[2], "wb").write(d[:pos])' ag.data trunc-b.data
bad bad-truncated-at-record trunc-b.data "the data section should end at"
head -c $(( $(stat -c %s pipe.data) / 2 + 3 )) pipe.data >trunc.pipe
# A pipe stream cut inside a record is read as perf reads it: the records
# before the cut, and one line saying where it ends (issue 18).
out=$("$FLAMESCOPE" info -i trunc.pipe 2>&1 >/dev/null)
rc=$?
if [ $rc -eq 0 ] && [ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] &&
   [[ "$out" == "flamescope info: trunc.pipe: the stream ends inside the record at offset 0x"* ]]; then
	ok cut-pipe-read-as-perf
else
	fail cut-pipe-read-as-perf "exit $rc: $out"
fi
off=$("$PDWRITE" zero-size zero.data)
bad bad-zero-size zero.data "offset $off has size 0"
bad bad-missing no-such.data "cannot open"

if "$FLAMESCOPE" info --help | grep -q 'usage: flamescope info'; then ok help; else fail help "no usage"; fi

# A pipe stream that ends right after its 16-byte header holds no attr at all:
# info still prints what there is (no events), with no undefined behaviour.
head -c 16 pipe.data >p16.data
"$FLAMESCOPE" info -i p16.data >p16.info 2>&1
if grep -qE 'runtime error|Sanitizer' p16.info; then fail pipe-header-only "$(grep -m1 -E 'runtime error|Sanitizer' p16.info)"
elif grep -q '^# ========' p16.info; then ok pipe-header-only
else fail pipe-header-only "$(head -c 200 p16.info)"; fi
