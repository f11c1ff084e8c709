// SPDX-License-Identifier: GPL-2.0-only
/*
 * A minimal DOM for the scripts our SVG writers embed, so test_writers can
 * drive zoom, search and cell selection under node without a browser.
 * Usage: node svgdom.js FILE.svg SCENARIO.js [QUERY]
 * The scenario runs with: document, window, click(el), over(el), key(code,
 * ctrl), byTitle(prefix) (the frame or cell element whose <title> starts so),
 * answer(s) (the next prompt() result) and check(cond, what). Exit 1 on the
 * first failed check.
 */
"use strict";
const fs = require("fs");

function decode(s) {
	return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);/g, (m, e) => {
		if (e[0] === "#")
			return String.fromCodePoint(e[1] === "x" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
		return { lt: "<", gt: ">", amp: "&", quot: "\"", apos: "'" }[e];
	});
}

class Text {
	constructor(data) { this.nodeType = 3; this.data = data; this.parentNode = null; }
	get textContent() { return this.data; }
}

class Element {
	constructor(tag, attrs) {
		this.nodeType = 1;
		this.tagName = tag;
		this.attrs = attrs;
		this.children = [];
		this.parentNode = null;
		this.listeners = {};
		const self = this;
		this.classList = {
			list() { return (self.attrs["class"] || "").split(/\s+/).filter(Boolean); },
			set(l) { self.attrs["class"] = l.join(" "); },
			contains(c) { return this.list().includes(c); },
			add(c) { const l = this.list(); if (!l.includes(c)) l.push(c); this.set(l); },
			remove(c) { this.set(this.list().filter((x) => x !== c)); },
			toggle(c, force) {
				const on = force === undefined ? !this.contains(c) : force;
				if (on) this.add(c); else this.remove(c);
				return on;
			},
		};
	}
	getAttribute(n) { return n in this.attrs ? this.attrs[n] : null; }
	setAttribute(n, v) { this.attrs[n] = String(v); }
	appendChild(c) { c.parentNode = this; this.children.push(c); return c; }
	get textContent() { return this.children.map((c) => c.textContent).join(""); }
	set textContent(s) { this.children = []; this.appendChild(new Text(String(s))); }
	getElementsByTagName(t) {
		const out = [];
		const walk = (e) => {
			for (const c of e.children) {
				if (c.nodeType !== 1) continue;
				if (c.tagName === t) out.push(c);
				walk(c);
			}
		};
		walk(this);
		return out;
	}
	addEventListener(type, fn) { (this.listeners[type] = this.listeners[type] || []).push(fn); }
}

function parse(xml) {
	const re = /<!\[CDATA\[([\s\S]*?)\]\]>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<\/([\w:-]+)\s*>|<([\w:-]+)((?:\s+[\w:-]+\s*=\s*"[^"]*")*)\s*(\/?)>|([^<]+)/g;
	const root = new Element("#document", {});
	let cur = root, m;
	while ((m = re.exec(xml))) {
		if (m[1] !== undefined) {
			cur.appendChild(new Text(m[1]));
		} else if (m[2]) {
			if (cur.tagName !== m[2]) throw new Error("mismatched </" + m[2] + ">");
			cur = cur.parentNode;
		} else if (m[3]) {
			const attrs = {}, ar = /([\w:-]+)\s*=\s*"([^"]*)"/g;
			let a;
			while ((a = ar.exec(m[4]))) attrs[a[1]] = decode(a[2]);
			const e = cur.appendChild(new Element(m[3], attrs));
			if (!m[5]) cur = e;
		} else if (m[6] !== undefined) {
			cur.appendChild(new Text(decode(m[6])));
		}
	}
	return root.children.find((c) => c.nodeType === 1);
}

const svgText = fs.readFileSync(process.argv[2], "utf8");
const scenario = fs.readFileSync(process.argv[3], "utf8");
const svg = parse(svgText);
const byId = (e, id) => {
	if (e.nodeType !== 1) return null;
	if (e.attrs.id === id) return e;
	for (const c of e.children) { const r = byId(c, id); if (r) return r; }
	return null;
};
const winListeners = {};
const location = { search: process.argv[4] || "", pathname: "/graph.svg", hash: "" };
const window = {
	location,
	addEventListener(type, fn) { (winListeners[type] = winListeners[type] || []).push(fn); },
};
const history = {
	replaceState(s, t, url) {
		const q = url.indexOf("?");
		location.search = q >= 0 ? url.slice(q).replace(/#.*$/, "") : "";
	},
};
const document = { documentElement: svg, getElementById: (id) => byId(svg, id) };
let answers = [];
const prompt = () => (answers.length ? answers.shift() : null);

function dispatch(target, type, extra) {
	const ev = Object.assign({ target, type, defaultPrevented: false,
		preventDefault() { this.defaultPrevented = true; } }, extra || {});
	for (let n = target; n; n = n.parentNode)
		for (const fn of n.listeners[type] || []) fn.call(n, ev);
	for (const fn of winListeners[type] || []) fn.call(window, ev);
	return ev;
}

for (const s of svg.getElementsByTagName("script"))
	new Function("document", "window", "history", "prompt", s.textContent)(document, window, history, prompt);

function byTitle(prefix) {
	for (const t of svg.getElementsByTagName("title"))
		if (t.textContent.startsWith(prefix)) return t.parentNode;
	throw new Error("no element titled " + prefix);
}
function check(cond, what) {
	if (!cond) {
		console.error("FAILED: " + what);
		process.exit(1);
	}
}
const api = {
	document, window, location, byTitle, check,
	click: (el) => dispatch(el, "click"),
	over: (el) => dispatch(el, "mouseover"),
	key: (code, ctrl) => dispatch(svg, "keydown", { keyCode: code, ctrlKey: !!ctrl }),
	answer: (s) => answers.push(s),
	rect: (g) => g.getElementsByTagName("rect")[0],
	num: (e, n) => parseFloat(e.getAttribute(n)),
	hidden: (g) => g.classList.contains("hide"),
};
new Function(...Object.keys(api), scenario)(...Object.values(api));
console.log("scenario passed");
