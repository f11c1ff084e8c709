// SPDX-License-Identifier: GPL-2.0-only
/*
 * report-checks.js CONFIG.json: the report pages and the heat-map SVG in
 * headless chromium, against the flamescope command's own output on the same
 * files (run by tests/e2e/report.sh, which writes the config). Prints one
 * "ok NAME" or "FAIL NAME: why" line per check.
 *
 * The page is driven as a person drives it (mouse clicks on heat-map cells,
 * keys, the search box, buttons) and read back through what it shows and
 * through window.flamescope, the numbers it drew with.
 */
"use strict";
const cp = require("child_process");
const fs = require("fs");
const path = require("path");
const { launch } = require("./chromium.js");

const cfg = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const FS = cfg.flamescope;

function ok(name) { console.log("ok " + name); }
function fail(name, why) { console.log("FAIL " + name + ": " + String(why).replace(/\s+/g, " ").slice(0, 700)); }

async function check(name, fn) {
	try {
		const r = await fn();
		if (r === undefined || r === null || r === true)
			ok(name);
		else
			fail(name, r);
	} catch (err) {
		fail(name, err && err.stack ? err.stack : err);
	}
}

function assert(cond, why) {
	if (!cond)
		throw new Error(typeof why === "function" ? why() : why);
}

function flamescope(args) {
	return cp.execFileSync(FS, args, { maxBuffer: 1 << 30, stdio: ["ignore", "pipe", "pipe"] }).toString();
}

/* A command line the page shows, run as a person would paste it, with extra words. */
function shell(line, extra) {
	return cp.execFileSync("bash", ["-c", line + " " + extra], { cwd: cfg.work, maxBuffer: 1 << 30,
		env: Object.assign({}, process.env, { PATH: cfg.path }), stdio: ["ignore", "pipe", "pipe"] }).toString();
}

function xmlText(s) {
	return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);/g, (m, e) => e[0] === "#" ?
		String.fromCodePoint(e[1] === "x" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)) :
		{ lt: "<", gt: ">", amp: "&", quot: "\"", apos: "'" }[e]);
}

/* The frames of a flame-graph SVG the command wrote, as its text has them. */
function svgFrames(svg) {
	const re = /<g data-t="\d+" data-v="\d+"><title>([^<]*)<\/title><rect x="([^"]*)" y="([^"]*)" width="([^"]*)" height="([^"]*)" fill="([^"]*)" rx="2" ry="2"\/><text x="([^"]*)" y="([^"]*)">([^<]*)<\/text><\/g>/g;
	const height = parseFloat(svg.match(/<svg [^>]*height="([0-9.]+)"/)[1]), frames = [];
	let m;

	while ((m = re.exec(svg)))
		frames.push({ title: xmlText(m[1]), x: m[2], y: m[3], width: m[4], height: m[5], fill: m[6],
			      tx: m[7], ty: m[8], label: xmlText(m[9]) });
	return { height, frames };
}

/* The cells of a heat-map SVG: fill and title, in time order. */
function svgCells(svg) {
	const cells = svg.slice(svg.indexOf("<g id=\"cells\""), svg.indexOf("</g>", svg.indexOf("<g id=\"cells\"")));
	const re = /<rect x="\d+" y="\d+" width="\d+" height="\d+" fill="(#[0-9a-f]{6})"><title>([^<]*)<\/title><\/rect>/g;
	const out = [];
	let m;

	while ((m = re.exec(cells)))
		out.push({ fill: m[1], title: xmlText(m[2]) });
	return out;
}

function canon(n) {
	return { n: n.n, l: n.l, v: n.v, d: n.d, c: n.c.map(canon) };
}

/* Deep equality of two flame trees, naming the first difference. */
function sameTree(a, b, where) {
	where = where || "root";
	for (const k of ["n", "l", "v", "d"])
		if (a[k] !== b[k])
			return where + ": " + k + " " + JSON.stringify(a[k]) + " != " + JSON.stringify(b[k]);
	if (a.c.length !== b.c.length)
		return where + ": " + a.c.length + " children != " + b.c.length + " (" + a.c.map((c) => c.n).join(",") +
			" / " + b.c.map((c) => c.n).join(",") + ")";
	for (let i = 0; i < a.c.length; i++) {
		const r = sameTree(a.c[i], b.c[i], where + ";" + a.c[i].n);
		if (r)
			return r;
	}
	return null;
}

/* Opens a report; collects every request, console error, policy violation and dialog. */
async function open(b, file, hash, viewport) {
	const page = await b.ctx.newPage();
	const seen = { requests: [], errors: [] };

	if (viewport)
		await page.setViewportSize(viewport);
	page.on("request", (r) => seen.requests.push(r.url()));
	page.on("console", (m) => {
		if (m.type() === "error" || /Content.Security.Policy|Refused/i.test(m.text()))
			seen.errors.push(m.text());
	});
	page.on("pageerror", (e) => seen.errors.push(e.message));
	page.on("dialog", (d) => { seen.errors.push("dialog: " + d.message()); d.dismiss().catch(() => {}); });
	await page.goto("file://" + file + (hash || ""));
	await page.waitForFunction(() => window.flamescope && window.flamescope.ready, null, { timeout: 120000 });
	const err = await page.evaluate(() => window.flamescope.error);
	assert(!err, () => "the page failed: " + err);
	return { page, seen };
}

/*
 * The page drew the report's own grid before decoding the samples, and the
 * grid it then computed from them is that one, in the same place.
 */
async function gridFirst(page) {
	const pf = await page.evaluate(() => window.flamescope.perf);
	assert(typeof pf.gridDrawnMs === "number", "the report's grid was not drawn first");
	assert(pf.gridSame === true, "the grid computed from the samples differs from the report's");
}

async function pageTree(page) {
	const t = await page.evaluate(() => window.flamescope.flameJSON());
	return t ? canon(JSON.parse(t)) : null;
}

/* The page's tree against its own command line's, run with --format json. */
async function treeMatchesCommand(page) {
	const line = await page.evaluate(() => window.flamescope.command());
	const cli = canon(JSON.parse(shell(line, "--format json -o -")));
	const diff = sameTree(await pageTree(page), cli);
	return diff ? line + ": " + diff : null;
}

async function clickCell(page, i, opts) {
	const p = await page.evaluate((k) => window.flamescope.cellBox(k), i);
	await page.mouse.click(p.x, p.y, opts);
}

/* Two clicks, start and end cell, then wait for the flame graph. */
async function clickRange(page, a, b, modifiers) {
	if (modifiers)
		await page.keyboard.down(modifiers);
	await clickCell(page, a);
	await clickCell(page, b);
	if (modifiers)
		await page.keyboard.up(modifiers);
	await page.waitForFunction(() => window.flamescope.perf.flamePaintedMs !== null &&
		window.flamescope.perf.flamePaintedMs !== undefined, null, { timeout: 60000 });
}

/* Page frames against the command's SVG of the same range, frame by frame. */
function sameFrames(mine, theirs) {
	const cliPad = 34;	/* flame-svg.c's ypad2 at font size 12: frames count up from it */

	if (mine.frames.length !== theirs.frames.length)
		return mine.frames.length + " frames drawn, the command's SVG has " + theirs.frames.length;
	for (let i = 0; i < mine.frames.length; i++) {
		const a = mine.frames[i], b = theirs.frames[i];
		const rise = (f, h, pad) => (h - pad - parseFloat(f.y)).toFixed(1);
		for (const k of ["title", "x", "width", "height", "fill", "tx", "label"])
			if (a[k] !== b[k])
				return "frame " + i + " (" + b.title + "): " + k + " " + JSON.stringify(a[k]) + " != " + JSON.stringify(b[k]);
		if (rise(a, mine.height, mine.ypad2) !== rise(b, theirs.height, cliPad))
			return "frame " + i + " (" + b.title + "): at another height";
	}
	return null;
}

/* The heat map the page shows against `flamescope heatmap --format json` with the same view. */
async function heatmapMatches(page, data, args) {
	const v = await page.evaluate(() => window.flamescope.view());
	const json = JSON.parse(flamescope(["heatmap", "-q", "-i", data, "--format", "json", "-o", "-"].concat(args)));

	if (json.values.length !== v.columns)
		return v.columns + " columns, the command has " + json.values.length;
	for (let c = 0; c < v.columns; c++)
		for (let r = 0; r < v.rows; r++)
			if (json.values[c][v.rows - 1 - r] !== v.values[c * v.rows + r])
				return "cell " + c + "/" + r + ": " + v.values[c * v.rows + r] + " != " + json.values[c][v.rows - 1 - r];
	return null;
}

function viewArgs(v) {
	const a = ["--step", String(v.step)];

	if (v.fromS !== null)
		a.push("--from", v.fromS);
	if (v.toS !== null)
		a.push("--to", v.toS);
	return a;
}

/* ---- the checks ---- */

async function demoChecks(b) {
	const d = cfg.demo;
	let page, seen;

	await check("page-opens-offline", async () => {
		({ page, seen } = await open(b, d.html));
		const own = "file://" + d.html;
		const others = seen.requests.filter((u) => u !== own);
		assert(!others.length, () => "requests: " + others.join(" "));
		assert(!seen.errors.length, () => "errors: " + seen.errors.join(" | "));
	});
	if (!page)
		return;
	await check("heatmap-equals-command", () => heatmapMatches(page, d.data, d.args));
	await check("heatmap-grid-first", () => gridFirst(page));
	await check("no-findings-without-option", async () => {
		const st = await page.evaluate(() => ({ hidden: document.getElementById("findings").hidden,
			items: document.querySelectorAll("#findings-list li").length,
			marks: window.flamescope.marks().shapes.length }));
		assert(st.hidden && !st.items && !st.marks, () => JSON.stringify(st));
	});
	/* colours and hover text as heatmap-svg.c writes them; pixels as the canvas shows them */
	const svg = flamescope(["heatmap", "-q", "-i", d.data, "-o", "-", "--format", "svg"].concat(d.args));
	const cells = svgCells(svg);
	await check("heatmap-colours-equal-svg", async () => {
		const mine = await page.evaluate((n) => {
			const out = [];
			for (let i = 0; i < n; i++)
				out.push(window.flamescope.colour(i));
			return out;
		}, cells.length);
		for (let i = 0; i < cells.length; i++)
			assert(mine[i] === cells[i].fill, () => "cell " + i + ": " + mine[i] + " != " + cells[i].fill);
	});
	await check("heatmap-pixels", async () => {
		const bad = await page.evaluate(() => {
			const v = window.flamescope.view(), c = document.getElementById("heatmap");
			const ctx = c.getContext("2d"), dpr = window.devicePixelRatio || 1, l = v.layout;
			const img = ctx.getImageData(0, 0, c.width, c.height).data;
			for (let i = 0; i < v.columns * v.rows; i++) {
				const x = Math.floor((l.x0 + Math.floor(i / v.rows) * l.cw + l.cw / 2) * dpr);
				const y = Math.floor((l.y0 + (v.rows - 1 - i % v.rows) * l.ch + l.ch / 2) * dpr);
				const k = (y * c.width + x) * 4, want = window.flamescope.colour(i);
				const got = "#" + [img[k], img[k + 1], img[k + 2]].map((n) => n.toString(16).padStart(2, "0")).join("");
				if (got !== want)
					return "cell " + i + " shows " + got + ", not " + want;
			}
			return null;
		});
		assert(!bad, bad);
	});
	await check("heatmap-hover-text", async () => {
		/* the busiest cell, and an empty one */
		const v = await page.evaluate(() => window.flamescope.view());
		const busy = v.values.indexOf(Math.max(...v.values)), empty = v.values.indexOf(0);
		for (const i of [busy, empty]) {
			const p = await page.evaluate((k) => window.flamescope.cellBox(k), i);
			await page.mouse.move(p.x, p.y);
			const text = await page.textContent("#heat-details");
			assert(text === cells[i].title, () => "cell " + i + ": '" + text + "' != '" + cells[i].title + "'");
		}
	});
	/* ranges and filters, against the command: the tree, then every frame of the graph */
	for (const [name, hash] of [["idle", "#start=0.000&end=12.000&idle=1"], ["leaf-rule", "#start=4&end=9.5&idle=0&rule=leaf"],
				    ["comm", "#start=0&end=13&comm=pattern"], ["compare-normalize", "#start=4&end=7&compare=0,3.5&normalize=1"]]) {
		await check("flame-equals-command-" + name, async () => {
			const { page: p } = await open(b, d.html, hash);
			try {
				const diff = await treeMatchesCommand(p);
				assert(!diff, diff);
				const line = await p.evaluate(() => window.flamescope.command());
				const mine = await p.evaluate(() => window.flamescope.frames());
				const theirs = svgFrames(shell(line, "--width " + mine.width + " --format svg -o -"));
				const fd = sameFrames(mine, theirs);
				assert(!fd, fd);
			} finally {
				await p.close();
			}
		});
	}
	await page.close();
}

/* Cells of the pattern's heat map: first cell of a column, last cell of another. */
function cellOf(v, second, row) {
	return (second - v.from) / v.step * v.rows + row;
}

async function patternChecks(b) {
	const pt = cfg.pattern;
	let page, v, band, shift;

	await check("pattern-opens", async () => {
		({ page } = await open(b, pt.html));
		v = await page.evaluate(() => window.flamescope.view());
	});
	if (!page)
		return;
	/* the workload's second k is offset k + shift: its schedule starts at s0 */
	const origin = await page.evaluate(() => window.flamescope.origin());
	shift = pt.s0 - origin;
	await check("pattern-heatmap-equals-command", () => heatmapMatches(page, pt.data, []));
	/* click the band's first cell (second 4, row 0) and last (second 6, row 49) */
	await check("band-click-flame", async () => {
		await clickRange(page, cellOf(v, 4 + shift, 0), cellOf(v, 6 + shift, v.rows - 1));
		band = await page.evaluate(() => window.flamescope.state().sel);
		const diff = await treeMatchesCommand(page);
		assert(!diff, diff);
		/* the widest of the workload's functions is the band's */
		const fr = (await page.evaluate(() => window.flamescope.frames())).frames;
		const work = fr.filter((f) => /^(startup|band|burst)_work /.test(f.title));
		work.sort((x, y) => parseFloat(y.width) - parseFloat(x.width));
		assert(work.length && work[0].title.startsWith("band_work "), () => "widest: " + (work[0] && work[0].title));
		/* its name is text in the page, for find and copy */
		const named = await page.evaluate(() => Array.from(document.querySelectorAll("#flame-labels span"))
			.some((s) => s.textContent === "band_work"));
		assert(named, "no label reads band_work");
	});
	if (!band)
		return;
	await check("fragment-opens-range", async () => {
		const { page: p } = await open(b, pt.html, "#start=" + band.s + "&end=" + band.e);
		try {
			const diff = sameTree(await pageTree(p), await pageTree(page));
			assert(!diff, diff);
			/* a range in the address leaves the heat map the report's */
			await gridFirst(p);
		} finally {
			await p.close();
		}
	});
	await check("search-match-percent", async () => {
		await page.fill("#search", "burst");
		await page.press("#search", "Enter");
		const mine = await page.textContent("#matched");
		/* the command's SVG of the range, searched by its own script (?s=) */
		const line = await page.evaluate(() => window.flamescope.command());
		const width = (await page.evaluate(() => window.flamescope.frames())).width;
		fs.writeFileSync(path.join(cfg.work, "band.svg"), shell(line, "--width " + width + " --format svg -o -"));
		const p = await b.ctx.newPage();
		await p.goto("file://" + path.join(cfg.work, "band.svg") + "?s=burst");
		const theirs = await p.textContent("#matched");
		await p.close();
		assert(/^Matched: [0-9.]+%$/.test(mine) && parseFloat(mine.slice(9)) > 0, "page: " + mine);
		assert(mine === theirs, mine + " != " + theirs);
	});
	await check("search-lights-cells", async () => {
		await page.fill("#search", "burst_work");
		await page.press("#search", "Enter");
		const lit = (await page.evaluate(() => window.flamescope.view())).lit;
		/* perf script's text: the cells where burst_work is on a sample's stack */
		const want = new Array(v.columns * v.rows).fill(0);
		const text = fs.readFileSync(pt.script, "utf8").split("\n");
		let t = null, hit = false;
		const flush = () => {
			if (t !== null && hit) {
				const off = t - origin;
				want[Math.floor(off) * v.rows + Math.floor(v.rows * (off % 1))]++;
			}
			t = null;
			hit = false;
		};
		for (const line of text) {
			const m = line.match(/ +([0-9]+\.[0-9]+): +[0-9]+ +\S+:/);
			if (m) {
				flush();
				t = parseFloat(m[1]);
			} else if (/^\s+[0-9a-f]+ burst_work\+/.test(line)) {
				hit = true;
			} else if (!line.trim()) {
				flush();
			}
		}
		flush();
		assert(want.some((n) => n > 0), "no burst_work samples in perf script's text");
		for (let i = 0; i < want.length; i++)
			assert(lit[i] === want[i], () => "cell " + i + ": lit " + lit[i] + ", burst_work samples " + want[i]);
	});
	await check("search-only-matching", async () => {
		await page.check("#only");
		const tree = await pageTree(page);
		const leaves = [];
		const walk = (n, trail) => {
			const t = trail.concat(n.n);
			if (n.v)
				leaves.push(t);
			n.c.forEach((c) => walk(c, t));
		};
		walk(tree, []);
		assert(leaves.length && leaves.every((l) => l.includes("burst_work")),
		       () => "a stack without burst_work: " + leaves.find((l) => !l.includes("burst_work")));
		await page.uncheck("#only");
		await page.fill("#search", "");
		await page.press("#search", "Enter");
	});
	await check("keyboard-moves-and-draws", async () => {
		await page.focus("#heat-scroll");
		await page.keyboard.press("ArrowLeft");
		const moved = await page.evaluate(() => window.flamescope.state().sel);
		assert(parseFloat(moved.s) === parseFloat(band.s) - 1 && parseFloat(moved.e) === parseFloat(band.e) - 1,
		       () => "moved to " + moved.s + "-" + moved.e);
		await page.keyboard.press("Enter");
		await page.waitForFunction((s) => window.flamescope.command() &&
			window.flamescope.command().indexOf("--start " + s + " ") >= 0, moved.s);
		const diff = await treeMatchesCommand(page);
		assert(!diff, diff);
		await page.keyboard.press("Escape");
		const sel = await page.evaluate(() => window.flamescope.state().sel);
		assert(sel === null && await page.$("#flame.empty") && !await page.$("#flame-canvas"),
		       "Escape left a selection");
	});
	await check("compare-shift-click", async () => {
		/* the band, compared with the start-up (Shift+click its cells) */
		await clickRange(page, cellOf(v, 4 + shift, 0), cellOf(v, 6 + shift, v.rows - 1));
		await clickRange(page, cellOf(v, shift, 0), cellOf(v, 1 + shift, v.rows - 1), "Shift");
		const st = await page.evaluate(() => window.flamescope.state());
		assert(st.cmp && st.sel, "no compare range");
		const diff = await treeMatchesCommand(page);
		assert(!diff, diff);
		const mine = await page.evaluate(() => window.flamescope.frames());
		const line = await page.evaluate(() => window.flamescope.command());
		const fd = sameFrames(mine, svgFrames(shell(line, "--width " + mine.width + " --format svg -o -")));
		assert(!fd, fd);
		/* the band's stacks grew (red), none shrank (blue): colours go by a frame's own samples */
		const rgb = (f) => f.fill.match(/\d+/g).map(Number);
		const leaves = mine.frames.filter((f) => /^spin_(leaf|tick) /.test(f.title));
		assert(leaves.some((f) => rgb(f)[0] === 255 && rgb(f)[1] < 255 && rgb(f)[1] === rgb(f)[2]) &&
		       !mine.frames.some((f) => rgb(f)[2] === 255 && rgb(f)[0] < 255),
		       () => leaves.map((f) => f.title + " " + f.fill).join(", "));
	});
	await check("compare-fragment", async () => {
		const st = await page.evaluate(() => window.flamescope.state());
		const { page: p } = await open(b, pt.html, "#start=" + st.sel.s + "&end=" + st.sel.e + "&compare=" +
					       st.cmp.s + "," + st.cmp.e);
		try {
			const diff = sameTree(await pageTree(p), await pageTree(page));
			assert(!diff, diff);
		} finally {
			await p.close();
		}
	});
	await check("screenshot", async () => {
		/* the band selected: its heat-map cell and its flame frame on screen, in their colours */
		await page.keyboard.press("Escape");
		await clickRange(page, cellOf(v, 4 + shift, 0), cellOf(v, 6 + shift, v.rows - 1));
		const shot = path.join(cfg.work, "report.png");
		await page.screenshot({ path: shot, fullPage: true });
		const cell = cellOf(v, 5 + shift, 10);
		const at = await page.evaluate((k) => {
			const c = window.flamescope.cellBox(k), f = window.flamescope.frames();
			const bw = f.frames.find((x) => x.title.startsWith("band_work "));
			return { cx: c.x + window.scrollX, cy: c.y + window.scrollY, colour: window.flamescope.colour(k),
				 fx: f.left + bw.px + 2 + window.scrollX, fy: f.top + parseFloat(bw.y) + 2 + window.scrollY,
				 fill: bw.fill };
		}, cell);
		const out = cp.execFileSync("python3", ["-c", `
import sys; sys.path.insert(0, sys.argv[1] + "/tests/oracle"); import png
w, h, bpp, rows = png.read(sys.argv[2])
for x, y in ((int(float(sys.argv[3])), int(float(sys.argv[4]))), (int(float(sys.argv[5])), int(float(sys.argv[6])))):
    p = rows[y][x * bpp:x * bpp + 3]
    print("#%02x%02x%02x" % (p[0], p[1], p[2]))
`, cfg.top, shot, at.cx, at.cy, at.fx, at.fy]).toString().trim().split("\n");
		/* the selection tints the cell: it shows through the overlay, so check the frame exactly */
		const fill = "#" + at.fill.match(/\d+/g).map((n) => Number(n).toString(16).padStart(2, "0")).join("");
		assert(out[1] === fill, "the band_work frame shows " + out[1] + ", not " + fill);
		assert(out[0] !== "#ffffff", "the band's cell shows white");
	});
	await page.close();

	await check("dlfilter-report", async () => {
		const { page: p, seen } = await open(b, pt.dl, "#start=" + band.s + "&end=" + band.e);
		try {
			assert(!seen.errors.length, () => seen.errors.join(" | "));
			const line = await p.evaluate(() => window.flamescope.command());
			assert(/^perf script -i \/.* --dlfilter .* --dlarg start=/.test(line), line);
			/* perf's own command, with its output as JSON */
			shell(line.replace("flamegraph=flamegraph.svg", "flamegraph=dl.json"), ">/dev/null 2>&1");
			const diff = sameTree(await pageTree(p), canon(JSON.parse(fs.readFileSync(path.join(cfg.work, "dl.json")))));
			assert(!diff, diff);
		} finally {
			await p.close();
		}
	});
}

async function eventChecks(b) {
	const pt = cfg.pattern;

	await check("event-and-weight", async () => {
		const { page, seen } = await open(b, pt.two, "#start=0&end=100&event=task-clock&weight=period");
		try {
			assert(!seen.errors.length, () => seen.errors.join(" | "));
			const ui = await page.evaluate(() => ({
				events: Array.from(document.querySelectorAll("#event option")).map((o) => o.textContent),
				eventShown: !document.getElementById("event-box").hidden,
				weightShown: !document.getElementById("weight-box").hidden,
				event: document.getElementById("event").selectedOptions[0].textContent,
				weight: document.getElementById("weight").value }));
			assert(ui.eventShown && ui.weightShown && ui.events.length === 2 && /^task-clock/.test(ui.event) &&
			       ui.weight === "period", () => JSON.stringify(ui));
			const line = await page.evaluate(() => window.flamescope.command());
			assert(/ --event task-clock .*--weight period /.test(line), line);
			let diff = await treeMatchesCommand(page);
			assert(!diff, diff);
			/* the heat map of that event, weighted, is the command's too */
			diff = await heatmapMatches(page, pt.twodata, ["--event", "task-clock", "--weight", "period"]);
			assert(!diff, diff);
			/* the pickers switch back */
			await page.selectOption("#event", { index: 0 });
			await page.selectOption("#weight", "samples");
			diff = await treeMatchesCommand(page);
			assert(!diff, diff);
			diff = await heatmapMatches(page, pt.twodata, ["--event", "cpu-clock"]);
			assert(!diff, diff);
		} finally {
			await page.close();
		}
	});
}

async function svgChecks(b) {
	const pt = cfg.pattern;

	await check("svg-heatmap-command", async () => {
		const page = await b.ctx.newPage();
		await b.ctx.grantPermissions(["clipboard-read", "clipboard-write"]);
		await page.setViewportSize({ width: 700, height: 900 });
		await page.goto("file://" + pt.svg);
		const cells = await page.evaluate(() => Array.from(document.querySelectorAll("#cells rect")).map((r) => {
			const b = r.getBoundingClientRect();
			return { x: b.x + b.width / 2, y: b.y + b.height / 2, n: parseInt(r.textContent.split(": ")[1], 10) };
		}));
		/* from the busiest column's first cell to the next column's last */
		const rows = 50;
		let best = 0;
		for (let c = 0, top = -1; c + 1 < cells.length / rows; c++) {
			let s = 0;
			for (let r = 0; r < rows; r++)
				s += cells[c * rows + r].n;
			if (s > top)
				top = s, best = c;
		}
		const a = best * rows, z = best * rows + 2 * rows - 1;
		await page.mouse.click(cells[a].x, cells[a].y);
		await page.mouse.click(cells[z].x, cells[z].y);
		await page.mouse.click(2, 2);	/* elsewhere: the line stays */
		const shown = await page.evaluate(() => {
			const svg = document.documentElement, w = parseFloat(svg.getAttribute("width"));
			const lines = Array.from(document.querySelectorAll("#command tspan")).map((t) => t.getBoundingClientRect());
			return { text: document.getElementById("command").textContent, w,
				 right: Math.max(...lines.map((r) => r.right)), lines: lines.length,
				 bottom: Math.max(...lines.map((r) => r.bottom)), h: parseFloat(svg.getAttribute("height")) };
		});
		assert(shown.lines > 1 && shown.right <= shown.w && shown.bottom <= shown.h,
		       () => "the line does not fit: " + JSON.stringify(shown));
		assert(/^flamescope flamegraph -i \/\S+\/pattern\.data --comm pattern --max-stack 64 --start \S+ --end \S+ -o flamegraph\.svg$/
		       .test(shown.text), "command: " + shown.text);
		const copy = await page.evaluate(() => {
			const r = document.getElementById("copy").getBoundingClientRect();
			return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
		});
		await page.mouse.click(copy.x, copy.y);
		await page.waitForTimeout(100);
		const clip = await page.evaluate(() => navigator.clipboard.readText());
		assert(clip === shown.text, "clipboard: " + clip);
		/* run from anywhere, it draws exactly the selected cells' samples */
		let sum = 0;
		for (let i = a; i <= z; i++)
			sum += cells[i].n;
		const folded = cp.execFileSync("bash", ["-c", clip + " --format folded -o -"], { cwd: "/",
			env: Object.assign({}, process.env, { PATH: cfg.path }) }).toString();
		const total = folded.split("\n").filter(Boolean).reduce((s, l) => s + parseInt(l.slice(l.lastIndexOf(" ") + 1), 10), 0);
		assert(total === sum && sum > 0, "the command's graph holds " + total + " samples, the cells " + sum);
		await page.close();
	});
}

async function hostileChecks(b) {
	await check("hostile-names-stay-text", async () => {
		const { page, seen } = await open(b, cfg.hostile.html, "#start=0&end=100&search=amp%26");
		try {
			await page.waitForTimeout(200);
			const r = await page.evaluate(() => ({
				labels: Array.from(document.querySelectorAll("#flame-labels span")).map((s) => s.textContent),
				options: Array.from(document.querySelectorAll("#pid option, #comm option")).map((o) => o.textContent),
				injected: document.querySelectorAll("img, b, iframe, object, embed").length,
				scripts: document.querySelectorAll("script").length,
				pwned: document.documentElement.hasAttribute("data-pwned"),
				command: document.getElementById("command").textContent,
				matched: document.getElementById("matched").textContent,
			}));
			/* the folded name: stackcollapse-perf.pl cuts it at its first "(" */
			assert(r.labels.some((l) => l === "evil</text><script>alert"),
			       () => "no label reads the script name: " + r.labels.join(" | "));
			assert(r.options.some((o) => o.includes("<b>&\"'x")), () => "the comm: " + r.options.join(" | "));
			/* the page's code, its heat-map grid and its data block: no other script */
			assert(!r.injected && r.scripts === 3 && !r.pwned, () => JSON.stringify(r));
			assert(r.command.includes("evil <img src=x onerror=alert(1)>.data'"), "command: " + r.command);
			assert(/^Matched: /.test(r.matched), "search of a name with & found nothing: " + r.matched);
			assert(!seen.errors.length, () => seen.errors.join(" | "));
		} finally {
			await page.close();
		}
	});
}

async function longChecks(b) {
	const lg = cfg.long;
	let page;

	await check("long-recording-opens", async () => {
		({ page } = await open(b, lg.html));
		const v = await page.evaluate(() => window.flamescope.view());
		assert(v.scales.length >= 3 && v.scales[0] === 1 && v.step >= 30 && v.raised,
		       () => "scales " + v.scales + ", step " + v.step);
	});
	if (!page)
		return;
	await check("long-heatmap-equals-command", () => heatmapMatches(page, lg.data, []));
	await check("long-heatmap-grid-first", () => gridFirst(page));
	await check("long-zoom-in-out", async () => {
		const v0 = await page.evaluate(() => window.flamescope.view());
		/* a day's overview down to 1 s columns, each view the command's with --step/--from/--to */
		for (const step of [300, 10, 1]) {
			await page.click("#scales button:text-is('" + step + " s')");
			const v = await page.evaluate(() => window.flamescope.view());
			assert(v.step === step, () => "step " + v.step + " after clicking " + step);
			const diff = await heatmapMatches(page, lg.data, viewArgs(v));
			assert(!diff, () => step + " s: " + diff);
		}
		await page.click("#pan-right");
		const panned = await page.evaluate(() => window.flamescope.view());
		assert(panned.step === 1 && parseFloat(panned.fromS) > 0, () => "pan: " + JSON.stringify(panned.fromS));
		const diff = await heatmapMatches(page, lg.data, viewArgs(panned));
		assert(!diff, () => "panned: " + diff);
		await page.click("#whole");
		const back = await page.evaluate(() => window.flamescope.view());
		assert(back.step === v0.step && back.columns === v0.columns, "the whole profile is not back");
	});
	await check("long-range-flame", async () => {
		/* the first hour's busy five minutes: hourly's samples */
		await page.evaluate(() => window.flamescope.select("0", "299.999999"));
		const diff = await treeMatchesCommand(page);
		assert(!diff, diff);
	});
	await page.close();
}

/* The colours a screenshot of the page's viewport shows at points [x, y] (CSS px, device pixel ratio 1). */
async function pixels(page, name, points) {
	const shot = path.join(cfg.work, name + ".png");
	await page.screenshot({ path: shot });
	fs.writeFileSync(shot + ".json", JSON.stringify(points));
	return cp.execFileSync("python3", ["-c", `
import json, sys; sys.path.insert(0, sys.argv[1] + "/tests/oracle"); import png
w, h, bpp, rows = png.read(sys.argv[2])
for x, y in json.load(open(sys.argv[3])):
    p = rows[y][x * bpp:x * bpp + 3]
    print("rgb(%d,%d,%d)" % (p[0], p[1], p[2]))
`, cfg.top, shot, shot + ".json"]).toString().trim().split("\n");
}

/*
 * The flame graph on screen is its frames, as a person sees them: every frame
 * wide enough and wholly in the viewport shows its colour down its left side
 * and at its right end, and not in the pixel row above it (the 1 px gap
 * between rows) nor just right of its end (when no frame is there): a band
 * not drawn, drawn at another height or left from an earlier drawing fails.
 * The labels are hidden meanwhile (their text is not the canvas's) and the
 * mouse is off the graph. Returns the frames checked, with their indices.
 */
async function framesOnScreen(page, name) {
	await page.mouse.move(0, 0);
	const g = await page.evaluate(() => {
		const f = window.flamescope.frames();
		document.getElementById("flame-labels").style.visibility = "hidden";
		return { left: f.left, top: Math.round(f.top), vh: window.innerHeight,
			 frames: f.frames.map((q, i) => Object.assign(q, { i })) };
	});
	const want = [], points = [], frames = [];
	const rgb = (f) => f.match ? "rgb(230,0,230)" : f.fill;
	for (const f of g.frames) {
		const y1 = g.top + parseFloat(f.y), y2 = y1 + parseFloat(f.height), x = Math.floor(g.left + f.px);
		const end = g.left + f.px + f.pw;
		if (f.hide || f.fade || f.pw < 8 || y1 < 1 || y2 > g.vh)
			continue;
		frames.push(f);
		for (let y = y1 + 1; y < y2 - 1; y++) {
			points.push([x + 2, y]);
			want.push([rgb(f), "left side, row " + (y - y1)]);
		}
		points.push([Math.floor(end) - 3, y1 + 7]);
		want.push([rgb(f), "right end"]);
		points.push([x + 2, y1 - 1]);
		want.push(["!" + rgb(f), "row above"]);
		const next = g.frames.some((q) => q !== f && !q.hide && q.depth === f.depth && q.px < end + 6 && q.px + q.pw > end);
		if (!next) {
			points.push([Math.floor(end) + 3, y1 + 7]);
			want.push(["!" + rgb(f), "right of its end"]);
		}
	}
	const got = await pixels(page, name, points);
	await page.evaluate(() => { document.getElementById("flame-labels").style.visibility = ""; });
	for (let i = 0; i < points.length; i++) {
		const bad = want[i][0][0] === "!" ? got[i] === want[i][0].slice(1) : got[i] !== want[i][0];
		assert(!bad, () => name + ": at " + points[i] + " (" + want[i][1] + ") the screen shows " + got[i] +
		       ", the frame is " + want[i][0]);
	}
	return { frames, top: g.top, vh: g.vh };
}

/*
 * A graph taller than the page's canvas bands (pdwrite big: stacks up to 40
 * frames deep, 684 px): drawn where it is on screen at once, the rest as it
 * is scrolled to, and again (not an older picture) after a zoom or a search
 * repaints it. Chosen in a 1000 px high window, then looked at through a
 * 150 px high one, so that the first band is wholly out of view at the bottom.
 */
async function deepChecks(b) {
	const dp = cfg.deep;
	let page;

	await check("tall-flame-bands-drawn", async () => {
		({ page } = await open(b, dp.html));
		const v = await page.evaluate(() => window.flamescope.view());
		await clickRange(page, 0, v.columns * v.rows - 1);
		const { height: h, band } = await page.evaluate(() => window.flamescope.frames());
		assert(h > band + 150, "the graph is " + h + " px tall, not more than a band (" + band + ") and the window");
		await page.setViewportSize({ width: 1400, height: 150 });
		/* its top, then its bottom (the root) in view: the rows that cross band edges too */
		const seen = new Set();
		for (const [where, at] of [["top", 0], ["bottom", 1]]) {
			await page.evaluate((a) => {
				const r = document.getElementById("flame-canvas").getBoundingClientRect();
				window.scrollTo(0, window.scrollY + r.top + a * (r.height - window.innerHeight));
			}, at);
			await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
			const s = await framesOnScreen(page, "tall-" + where);
			s.frames.forEach((f) => seen.add(Math.floor(parseFloat(f.y) / band)));
		}
		assert(seen.has(0) && seen.has(Math.floor((h - 1) / band)), () => "frames checked in bands " + Array.from(seen));
	});
	if (!page)
		return;
	await check("tall-flame-zoom-repaints-bands", async () => {
		/* the bottom in view: click a frame of the second row; the rows above it, out of view, are drawn anew */
		const before = (await page.evaluate(() => window.flamescope.frames())).frames;
		const z = await page.evaluate(() => {
			const f = window.flamescope.frames(), q = f.frames.filter((x) => x.depth === 2)
				.sort((x, y) => x.pw - y.pw)[0];
			return { x: f.left + q.px + q.pw / 2, y: f.top + parseFloat(q.y) + 7 };
		});
		await page.mouse.click(z.x, z.y);
		const st = await page.evaluate(() => window.flamescope.state());
		assert(st.zoom, "the click did not zoom");
		await page.evaluate(() => window.scrollTo(0, window.scrollY +
			document.getElementById("flame-canvas").getBoundingClientRect().top));
		await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
		const s = await framesOnScreen(page, "tall-zoom");
		/* the zoomed frame's descendants are wider than they were */
		assert(s.frames.length && s.frames.every((f) => f.pw > before[f.i].pw),
		       () => "the frames on screen are not the zoomed ones: " + s.frames.map((f) => f.i + " " + f.pw + " was " +
								before[f.i].pw).join(", "));
	});
	await check("tall-flame-search-repaints-bands", async () => {
		/* the top in view, the search lights frames below it, out of view; then scrolled to */
		await page.evaluate(() => window.scrollTo(0, window.scrollY +
			document.getElementById("flame-canvas").getBoundingClientRect().top));
		await page.fill("#search", "unknown");
		await page.press("#search", "Enter");
		await page.waitForFunction(() => /^Matched: /.test(document.getElementById("matched").textContent));
		await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
		await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
		const s = await framesOnScreen(page, "tall-search");
		const band = await page.evaluate(() => window.flamescope.frames().band);
		assert(s.frames.some((f) => f.match && parseFloat(f.y) > band), "no lit frame below the first band checked");
	});
	await page.close();
}

/* %.3f as flamescope find prints its command lines' ranges */
function f3(x) {
	return cp.execFileSync("printf", ["%.3f", String(x)]).toString();
}

/*
 * report --findings on a recording with a known start-up (and a spike):
 * the list is flamescope find's, the outlines are heatmap --findings', and
 * a click on a finding selects what clicks on its cells would, drawing the
 * flame graph of the command line find prints for it.
 */
async function findingsChecks(b) {
	const fd = cfg.found, json = JSON.parse(fs.readFileSync(fd.json, "utf8")).findings;
	const startup = json.findIndex((f) => f.name === "start-up" && f.frames.length &&
				       f.frames[0].name === "startup_work");
	let page;

	await check("findings-known", () => {
		assert(startup >= 0, () => "flamescope find has no start-up explained by startup_work: " +
		       JSON.stringify(json.map((f) => [f.description, f.frames.map((q) => q.name)])));
	});
	await check("findings-opens", async () => {
		({ page } = await open(b, fd.html, "", { width: 1400, height: 1000 }));
	});
	if (!page || startup < 0)
		return;
	await check("findings-listed", async () => {
		const items = await page.$$eval("#findings-list li", (li) => li.map((e) => ({
			what: e.querySelector(".what").textContent, frames: e.querySelector(".frames").textContent,
			x: e.getBoundingClientRect().left })));
		const heat = await page.$eval("#heat-scroll", (e) => e.getBoundingClientRect().right);
		assert(items.length === json.length, () => items.length + " listed, flamescope find has " + json.length);
		/* in find's order (strongest first), each with its description and culprit */
		json.forEach((f, k) => {
			const want = (k + 1) + ". " + f.description.charAt(0).toUpperCase() + f.description.slice(1);
			assert(items[k].what === want, () => "item " + k + ": '" + items[k].what + "' != '" + want + "'");
			assert(!f.frames.length || items[k].frames.includes(f.frames[0].name + " "),
			       () => "item " + k + " does not name " + f.frames[0].name + ": " + items[k].frames);
		});
		assert(/startup_work \d+% vs \d+%/.test(items[startup].frames), items[startup].frames);
		assert(items[0].x >= heat, "the list is not beside the heat map");
	});
	await check("findings-outlined", async () => {
		/* heatmap --findings' SVG paths, in cells, against the page's outlines */
		const svg = fs.readFileSync(fd.svg, "utf8"), g = svg.match(/<g id="cells" ([^>]*)>/)[1];
		const attr = (k) => parseFloat(g.match(new RegExp("data-" + k + "=\"([^\"]*)\""))[1]);
		const x0 = attr("x0"), y0 = attr("y0"), cw = attr("cw"), ch = attr("ch"), rows = attr("rows");
		const paths = [...svg.matchAll(/<path data-label="\d+" d="([^"]*)"/g)].map((m) => m[1].split("M").slice(1)
			.map((sub) => sub.replace(/Z\s*$/, "").split(/ ?L/).map((q) => {
				const [x, y] = q.trim().split(" ").map(Number);
				return [(x - x0) / cw, rows - (y - y0) / ch];
			})));
		const m = await page.evaluate(() => window.flamescope.marks());
		const mine = [].concat(...m.shapes).filter((polys) => polys.length);
		assert(paths.length && JSON.stringify(mine) === JSON.stringify(paths),
		       () => "page " + JSON.stringify(mine) + " != SVG " + JSON.stringify(paths));
		/* drawn: the middle of every edge is the mark colour on the marks canvas */
		const bad = await page.evaluate((polys) => {
			const c = document.getElementById("marks"), v = window.flamescope.view(), l = v.layout;
			const dpr = window.devicePixelRatio || 1, img = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
			const want = window.flamescope.marks().colour;
			for (const poly of polys)
				for (let i = 0; i < poly.length; i++) {
					const a = poly[i], z = poly[(i + 1) % poly.length];
					const x = l.x0 + (a[0] + z[0]) / 2 * l.cw, y = l.y0 + (v.rows - (a[1] + z[1]) / 2) * l.ch;
					const k = (Math.floor(y * dpr) * c.width + Math.floor(x * dpr)) * 4;
					const got = "#" + [img[k], img[k + 1], img[k + 2]].map((n) => n.toString(16).padStart(2, "0")).join("");
					if (got !== want || img[k + 3] !== 255)
						return "edge at " + x + "," + y + " is " + got + " alpha " + img[k + 3];
				}
			return null;
		}, [].concat(...mine));
		assert(!bad, bad);
	});
	const f = json[startup];
	const base = ["flamegraph", "-q", "-i", fd.data, "--start", f3(f.look[0]), "--end", f3(f.look[1])];
	let sel, own;
	await check("finding-click-selects", async () => {
		await page.click("#findings-list li:nth-child(" + (startup + 1) + ") button");
		await page.waitForFunction(() => window.flamescope.perf.flamePaintedMs !== null &&
			window.flamescope.perf.flamePaintedMs !== undefined, null, { timeout: 60000 });
		const st = await page.evaluate(() => window.flamescope.state());
		sel = st.sel;
		assert(st.sel && st.sel.s === f3(f.look[0]) && st.sel.e === f3(f.look[1]),
		       () => "selected " + JSON.stringify(st.sel) + ", find's range " + f.look);
		assert(f.compare ? st.cmp && st.cmp.s === f3(f.compare[0]) && st.cmp.e === f3(f.compare[1]) : !st.cmp,
		       () => "compared with " + JSON.stringify(st.cmp) + ", find's " + f.compare);
		assert(await page.$eval("#findings-list li:nth-child(" + (startup + 1) + ") button",
					(e) => e.getAttribute("aria-pressed")) === "true", "the finding is not shown pressed");
		/* the differential graph: the tree of find's --compare command line */
		const cmp = f.compare ? ["--compare", f3(f.compare[0]) + "," + f3(f.compare[1])] : [];
		const diff = sameTree(await pageTree(page), canon(JSON.parse(flamescope(base.concat(cmp, ["--format", "json", "-o", "-"])))));
		assert(!diff, diff);
	});
	await check("finding-flame-equals-command", async () => {
		/* Esc drops the comparison: the range's own graph, frame by frame as the command draws it */
		await page.focus("#heat-scroll");
		await page.keyboard.press("Escape");
		const st = await page.evaluate(() => window.flamescope.state());
		assert(st.sel && st.sel.s === sel.s && !st.cmp, () => "after Esc: " + JSON.stringify(st));
		own = await pageTree(page);
		const diff = sameTree(own, canon(JSON.parse(flamescope(base.concat(["--format", "json", "-o", "-"])))));
		assert(!diff, diff);
		const mine = await page.evaluate(() => window.flamescope.frames());
		const fr = sameFrames(mine, svgFrames(flamescope(base.concat(["--width", String(mine.width), "--format", "svg", "-o", "-"]))));
		assert(!fr, fr);
		assert(mine.frames.some((q) => q.title.startsWith("startup_work ")), "no startup_work frame");
	});
	await check("finding-click-is-cells-click", async () => {
		/*
		 * clicking the first and last cell of find's range selects it (a
		 * start-up's starts at the first sample, inside its cell: the same
		 * samples, to the cell) and draws the same graph
		 */
		await page.keyboard.press("Escape");
		const cells = await page.evaluate((r) => {
			const v = window.flamescope.view(), at = (t) => {
				const off = t - v.from, c = Math.floor(off / v.step);
				return c * v.rows + Math.floor(v.rows * ((off % v.step) / v.step));
			};
			return [at(r[0]), at(r[1] - 1e-9)];
		}, f.look);
		await clickRange(page, cells[0], cells[1]);
		const st = await page.evaluate(() => window.flamescope.state());
		const v = await page.evaluate(() => window.flamescope.view()), cell = v.step / v.rows;
		const a = parseFloat(sel.s) - st.sel.start, z = st.sel.end - parseFloat(sel.e);
		assert(a >= 0 && a < cell && z >= 0 && z < cell, () => "cells select " + JSON.stringify(st.sel) +
		       ", the finding " + JSON.stringify(sel));
		const diff = own ? sameTree(await pageTree(page), own) : "no graph of the finding";
		assert(!diff, diff);
	});
	await page.close();
}

(async () => {
	const b = await launch();
	try {
		await demoChecks(b);
		if (cfg.pattern) {
			await patternChecks(b);
			await eventChecks(b);
			await svgChecks(b);
		}
		if (cfg.hostile)
			await hostileChecks(b);
		if (cfg.found)
			await findingsChecks(b);
		await longChecks(b);
		if (cfg.deep)
			await deepChecks(b);
	} finally {
		await b.close();
	}
})().catch((err) => {
	fail("report-checks", err && err.stack ? err.stack : err);
	process.exitCode = 1;
});
