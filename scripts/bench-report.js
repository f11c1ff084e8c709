// SPDX-License-Identifier: GPL-2.0-only
/*
 * bench-report.js REPORT.html RUNS: opens the report RUNS times, each in a fresh
 * headless Chromium, and prints the medians of
 *   - the time from navigation start to the heat map on screen;
 *   - the time from the second of two real clicks on heat-map cells to the
 *     range's flame graph on screen (the page stamps both: the click event's
 *     time and the frame after drawing), for the whole profile, one second,
 *     the busiest half and a 100 ms burst.
 * Lines "range NAME START END MS" let bench-report.sh time the command on the
 * same ranges. Run by scripts/bench-report.sh.
 */
"use strict";
const path = require("path");
const { launch } = require(path.join(__dirname, "..", "tests", "browser", "chromium.js"));

const file = process.argv[2], runs = parseInt(process.argv[3] || "3", 10);

function median(v) {
	const s = v.slice().sort((a, b) => a - b);
	return s[Math.floor(s.length / 2)];
}

/* Two clicks on cells a and b (cell indices of the first view); ms to the flame graph. */
async function clickRange(page, a, b) {
	for (const i of [a, b]) {
		const p = await page.evaluate((k) => window.flamescope.cellBox(k), i);
		await page.mouse.click(p.x, p.y);
	}
	await page.waitForFunction(() => window.flamescope.perf.flamePaintedMs !== null &&
		window.flamescope.perf.flamePaintedMs !== undefined, null, { timeout: 60000 });
	return page.evaluate(() => ({ ms: window.flamescope.perf.flamePaintedMs, cmd: window.flamescope.command(),
		frames: window.flamescope.frames().frames.length, state: window.flamescope.state() }));
}

(async () => {
	const open = [], warm = [], ranges = {};
	let frames = {}, load;

	for (let r = 0; r < runs; r++) {
		const b = await launch();
		try {
			const page = await b.ctx.newPage();
			await page.goto("file://" + path.resolve(file));
			await page.waitForFunction(() => window.flamescope && window.flamescope.ready &&
				(window.flamescope.error || window.flamescope.perf.heatmapPaintedMs), null, { timeout: 120000 });
			/* the page readies the flame graph while a person looks at the heat map */
			await page.waitForFunction(() => window.flamescope.error || window.flamescope.perf.warmMs !== undefined,
				null, { timeout: 120000 });
			const err = await page.evaluate(() => window.flamescope.error);
			if (err)
				throw new Error(err);
			const pf = await page.evaluate(() => window.flamescope.perf);
			open.push(pf.heatmapPaintedMs);
			warm.push(await page.evaluate(() => window.flamescope.perf.warmMs));
			load = pf;
			const v = await page.evaluate(() => window.flamescope.view());
			const rows = v.rows, n = v.columns * rows;
			/* the busiest column, for the one-second and 100 ms ranges */
			let best = 0, bestSum = -1;
			for (let c = 0; c < v.columns; c++) {
				let s = 0;
				for (let k = 0; k < rows; k++)
					s += v.values[c * rows + k];
				if (s > bestSum)
					bestSum = s, best = c;
			}
			const half = Math.max(0, Math.min(v.columns - Math.ceil(v.columns / 2), best - Math.floor(v.columns / 4)));
			const want = {
				whole: [0, n - 1],
				second: [best * rows, best * rows + rows - 1],
				half: [half * rows, Math.min(n - 1, (half + Math.ceil(v.columns / 2)) * rows - 1)],
				burst: [best * rows + 20, best * rows + 24],
			};
			for (const name of Object.keys(want)) {
				const res = await clickRange(page, want[name][0], want[name][1]);
				(ranges[name] = ranges[name] || { ms: [], sel: res.state.sel }).ms.push(res.ms);
				frames[name] = res.frames;
			}
		} finally {
			await b.close();
		}
	}
	console.log("page: decode %d ms (base64 %d, gunzip %d, columns %d), heat map computed in %d ms",
		Math.round(load.parseMs), Math.round(load.base64Ms), Math.round(load.inflateMs - load.base64Ms),
		Math.round(load.parseMs - load.inflateMs), Math.round(load.heatmapMs));
	console.log("heat map on screen %d ms after opening (median of %d; all: %s; target <= 1500)%s",
		Math.round(median(open)), open.length, open.map(Math.round).join(", "),
		load.gridDrawnMs !== undefined ? ": the report's grid, drawn " + Math.round(load.gridDrawnMs) +
		" ms after opening, before the samples are decoded" + (load.gridSame ? "" : " (NOT what they give)") : "");
	console.log("then the whole profile's tree is built once, undrawn, in %d ms (while a person looks)",
		Math.round(median(warm)));
	for (const name of Object.keys(ranges)) {
		const r = ranges[name];
		console.log("flame graph on screen %d ms after the second click: %s %s-%s s, %d frames " +
			"(all: %s; target <= 200)", Math.round(median(r.ms)), name, r.sel.s, r.sel.e, frames[name],
			r.ms.map(Math.round).join(", "));
	}
	for (const name of Object.keys(ranges))
		console.log("range %s %s %s %d", name, ranges[name].sel.s, ranges[name].sel.e, Math.round(median(ranges[name].ms)));
})().catch((err) => {
	console.error("bench-report: " + (err && err.stack || err));
	process.exit(1);
});
