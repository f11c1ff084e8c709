#!/usr/bin/env bash
# flamescope report, and the heat-map SVG's click-to-command line, as a person uses them:
# in Debian's chromium driven by playwright-core (tests/browser/report-checks.js).
#
# Reports of: a recording of tests/workloads/pattern (a known schedule: start-up spin,
# a band in seconds 4-6, 60 ms bursts at 400 ms of every second from 2 on), the
# bundled -a -g demo profile (idle samples, other processes), a recording of the
# hostile workload (markup and invalid UTF-8 in symbol, comm and file names), a
# synthetic 16-hour recording (tests/tools/pdwrite long), a synthetic profile
# of stacks up to 40 frames deep (pdwrite big: a graph taller than the page's
# canvas bands, checked pixel by pixel as it is scrolled), one written by perf
# itself through the dlfilter, and one made with --findings of a recording of
# tests/workloads/schedule (a start-up flamescope find finds). The
# page's heat maps, flame trees, frames, colours, search, findings and command
# lines are compared with the flamescope command's own output on the same
# files; see report-checks.js for the list.
#
# Without chromium or playwright-core the browser checks cannot run: a FAIL in CI
# (CI=true), otherwise a skip that tests/run.sh counts and lists.
source "$(dirname "$0")/lib.sh"
PDWRITE=$(realpath "$B/tests/pdwrite")
DLF=$(realpath "$B/flamescope-dlfilter.so")
DEMO=$TOP/tests/data/demo
cd "$WORK" || exit 1
perf_dl() { perf "$@"; }
if nm "$FLAMESCOPE" 2>/dev/null | grep -q __asan_init; then
	# an ASan-built plugin needs the ASan runtime loaded first into (uninstrumented) perf
	export ASAN_OPTIONS=detect_leaks=0
	asan_rt=$(cc -print-file-name=libasan.so)
	perf_dl() { LD_PRELOAD=$asan_rt perf "$@"; }
fi
# the command lines the pages show start with "flamescope": this one
mkdir -p bin && ln -s "$FLAMESCOPE" bin/flamescope
# ... or with "perf script --dlfilter": this perf, with the ASan runtime when the plugin needs it
if [ -n "${asan_rt:-}" ]; then
	printf '#!/bin/sh\nLD_PRELOAD=%s exec %s "$@"\n' "$asan_rt" "$(command -v perf)" >bin/perf
	chmod +x bin/perf
fi

# ---- the command: outputs, errors ----
"$FLAMESCOPE" report -q -i "$DEMO/perf.data" --buildid-dir "$DEMO/debug" -o demo.html 2>demo.err
if [ -s demo.html ] && grep -q '<meta name="generator" content="flamescope report">' demo.html; then
	ok report-written
else
	fail report-written "$(head -c 300 demo.err)"
fi
# every request forbidden; only our own script and style, by hash
csp=$(grep -o '<meta http-equiv="Content-Security-Policy" content="[^"]*"' demo.html)
if [[ $csp == *"default-src 'none'"* && $csp == *"script-src 'sha256-"* && $csp == *"style-src 'sha256-"* &&
      $csp != *unsafe* ]]; then ok report-csp; else fail report-csp "$csp"; fi
(cd "$WORK" && "$FLAMESCOPE" report -q -i "$DEMO/perf.data" --buildid-dir "$DEMO/debug" 2>/dev/null)
[ -s flamescope.html ] && ok report-default-output || fail report-default-output "no flamescope.html"
"$FLAMESCOPE" report -i missing.data -o missing.html 2>missing.err
rc=$?
if [ "$rc" -eq 1 ] && grep -q missing.data missing.err && [ ! -e missing.html ]; then ok report-missing-input
else fail report-missing-input "exit $rc, $(head -c 200 missing.err)"; fi
"$FLAMESCOPE" report -i "$DEMO/perf.data" -o x.svg 2>fmt.err
rc=$?
[ "$rc" -eq 2 ] && grep -q "unknown format" fmt.err && ok report-bad-format ||
	fail report-bad-format "exit $rc, $(head -c 200 fmt.err)"
# the script embedded must not end the <script> element early
if grep -qi '</script' "$TOP/core/report/report.js" || grep -q '<!--' "$TOP/core/report/report.js"
then fail report-js-inline "core/report/report.js holds </script or <!--"; else ok report-js-inline; fi

# ---- recordings ----
have_perf=1
if ! record pattern.data -g -F 499 -- "$WORKLOADS/pattern" 8; then
	skip report-recorded "perf record failed: $(head -c 200 "$WORK/record.err")"
	have_perf=
fi
if [ -n "$have_perf" ]; then
	read -r ppid s0 < <(sed -n 's/^pattern: pid \([0-9]*\) start \([0-9]*\) .*/\1 \2/p' record.err)
	"$FLAMESCOPE" report -q -i pattern.data -o pattern.html && ok report-pattern-written ||
		fail report-pattern-written "exit $?"
	"$FLAMESCOPE" script -i pattern.data >pattern.txt 2>/dev/null
	# the hostile workload, its comm and the file's name markup
	EVIL="evil <img src=x onerror=alert(1)>.data"
	COMM="<b>&\"'x"
	mkdir -p hb && cp "$WORKLOADS/hostile" "hb/$COMM"
	if record "$EVIL" -g -F 499 -- "hb/$COMM" 1 && "$FLAMESCOPE" report -q -i "$EVIL" -o hostile.html
	then ok report-hostile-written; else fail report-hostile-written "$(head -c 200 record.err)"; fi
	# perf script with the dlfilter writes one too
	if perf_dl script -i pattern.data --dlfilter "$DLF" --dlarg report=dl.html >/dev/null 2>dl.err &&
	   grep -q 'content="flamescope report"' dl.html; then ok report-dlfilter-written
	else fail report-dlfilter-written "$(head -c 300 dl.err)"; fi
	# two events: the page picks the event and the weight
	if record two.data -g -e cpu-clock -e task-clock -F 499 -- "$WORKLOADS/pattern" 3 &&
	   "$FLAMESCOPE" report -q -i two.data -o two.html; then ok report-two-events-written
	else fail report-two-events-written "$(head -c 200 record.err)"; fi
	# the heat map SVG, made with options and a relative input, from another folder
	mkdir -p sub && (cd sub && "$FLAMESCOPE" heatmap -q -i ../pattern.data --comm pattern --max-stack 64 -o ../hm.svg)
	# --findings: a known start-up (tests/workloads/schedule, recorded as tests/e2e/find.sh
	# records it: the workload's clock, a sample every 5 ms of its CPU time). These checks are
	# of the page, find.sh's of the finder: a recording a busy machine starved is made again, once.
	for try in 1 2; do
		nice -n -10 perf record -q -k CLOCK_MONOTONIC -e cpu-clock -c 5000000 -g -o found.data -- \
			"$WORKLOADS/schedule" -d 6 'beta:startup=2;noise=0.05' >/dev/null 2>record.err &&
			"$FLAMESCOPE" find -i found.data --format json -o found.json || break
		grep -q '"name": "start-up"' found.json && break
	done
	if "$FLAMESCOPE" report -q --findings -i found.data -o found.html &&
	   "$FLAMESCOPE" heatmap -q --findings -i found.data -o found.svg
	then ok report-findings-written; else fail report-findings-written "$(head -c 300 record.err)"; fi
fi
"$PDWRITE" long long.data 16 && "$FLAMESCOPE" report -q -i long.data -o long.html &&
	ok report-long-written || fail report-long-written "pdwrite or report failed"
# a flame graph taller than the page's canvas bands: stacks up to 40 frames deep
"$PDWRITE" big deep.data 1 && "$FLAMESCOPE" report -q -i deep.data -o deep.html &&
	ok report-deep-written || fail report-deep-written "pdwrite or report failed"

# ---- in the browser ----
pattern=null hostile=null found=null
if [ -n "$have_perf" ] && [ -s found.html ]; then
	found="{ \"html\": \"$WORK/found.html\", \"data\": \"$WORK/found.data\", \"json\": \"$WORK/found.json\",
		\"svg\": \"$WORK/found.svg\" }"
fi
if [ -n "$have_perf" ]; then
	pattern="{ \"html\": \"$WORK/pattern.html\", \"data\": \"$WORK/pattern.data\", \"pid\": $ppid,
		\"s0\": $s0, \"script\": \"$WORK/pattern.txt\", \"svg\": \"$WORK/hm.svg\", \"dl\": \"$WORK/dl.html\",
		\"two\": \"$WORK/two.html\", \"twodata\": \"$WORK/two.data\" }"
	hostile="{ \"html\": \"$WORK/hostile.html\" }"
fi
cat >config.json <<EOF
{ "work": "$WORK", "flamescope": "$FLAMESCOPE", "top": "$TOP", "path": "$WORK/bin:$PATH",
  "demo": { "html": "$WORK/demo.html", "data": "$DEMO/perf.data", "args": ["--buildid-dir", "$DEMO/debug"] },
  "pattern": $pattern, "hostile": $hostile, "found": $found,
  "long": { "html": "$WORK/long.html", "data": "$WORK/long.data" },
  "deep": { "html": "$WORK/deep.html" } }
EOF
why=$(node -e 'const r = require(process.argv[1]).unavailable(); if (r) console.log(r)' "$TOP/tests/browser/chromium.js")
if [ -n "$why" ]; then
	if [ "${CI:-}" = true ]; then fail report-browser "cannot run: $why"; else skip report-browser "$why"; fi
	exit 0
fi
timeout 900 node "$TOP/tests/browser/report-checks.js" config.json
