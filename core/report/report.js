/*
 * flamescope report: the page's code (embedded by core/report-assets.S; the
 * page's Content-Security-Policy admits this exact text by its hash).
 *
 * It reads the profile core/report.c wrote (see there for the payload) and
 * draws what the flamescope command would, with the same arithmetic:
 *   - the heat map as view.c computes it (times in perf script's microseconds,
 *     FlameScope's float arithmetic, the idle rules, --step raised to fit) and
 *     heatmap-svg.c lays it out and colours it (palette.c);
 *   - a range's flame tree as fold.c builds it (weights summed per folded
 *     stack into a tree that holds every stack) and flame-svg.c draws it:
 *     geometry, pruning, labels, colours and titles, printf's rounding too.
 * Names come from the payload's bytes and reach the DOM only as text nodes
 * and attribute values; nothing from the profile is ever parsed as markup or
 * run as code.
 */
"use strict";
(function () {
	var doc = document;
	function $(id) { return doc.getElementById(id); }

	/* ---------- printf as the C writers use it ---------- */

	/* %.Nf: the exact decimal value rounded half to even, as glibc does (toFixed rounds ties up). */
	function cfixed(x, d) {
		var s = x.toFixed(d), ax = Math.abs(x), e, cut, kept;

		if (!isFinite(x) || ax >= 1e21)
			return s;
		e = ax.toFixed(Math.min(100, d + 40));
		cut = e.indexOf(".") + 1 + d;
		if (e.charAt(cut) !== "5" || !/^0*$/.test(e.slice(cut + 1)))
			return s;
		kept = e.slice(0, d ? cut : cut - 1);
		if ((kept.charCodeAt(kept.length - 1) - 48) % 2 === 0)
			return (x < 0 ? "-" : "") + kept;
		return s;
	}

	/* %.Pg */
	function cg(x, p) {
		var ax = Math.abs(x), e, X, s, m;

		if (x === 0)
			return "0";
		e = ax.toExponential(p - 1);
		X = parseInt(e.slice(e.indexOf("e") + 1), 10);
		if (X < -4 || X >= p) {
			m = e.slice(0, e.indexOf("e"));
			if (m.indexOf(".") >= 0)
				m = m.replace(/0+$/, "").replace(/\.$/, "");
			s = m + "e" + (X < 0 ? "-" : "+") + (Math.abs(X) < 10 ? "0" : "") + Math.abs(X);
		} else {
			s = cfixed(ax, p - 1 - X);
			if (s.indexOf(".") >= 0)
				s = s.replace(/0+$/, "").replace(/\.$/, "");
		}
		return (x < 0 ? "-" : "") + s;
	}

	/* flamegraph.pl's counts: 1,234,567 */
	function thousands(v) {
		var s = String(v), out = "", i;

		for (i = 0; i < s.length; i++) {
			if (i && (s.length - i) % 3 === 0)
				out += ",";
			out += s.charAt(i);
		}
		return out;
	}

	/* ---------- names, as escape.c decodes them ---------- */

	/*
	 * UTF-8 to a string: an invalid byte becomes U+FFFD on its own (as
	 * fs_escape__utf8_next), and for XML text (xml) the characters XML cannot
	 * hold or would hide do too, so the page shows what the SVG writers write.
	 */
	function decode(b, i, end, xml) {
		var out = "", plain = true, k, c, n, cp, min;

		for (k = i; k < end; k++) {
			c = b[k];
			if (c >= 0x80 || (c < 0x20 && (xml || c !== 9)) || c === 0x7f) {
				plain = false;
				break;
			}
		}
		if (plain && end - i < 8192)
			return String.fromCharCode.apply(null, b.subarray(i, end));
		while (i < end) {
			c = b[i];
			n = 1;
			cp = c;
			if (c >= 0x80) {
				if (c >= 0xc2 && c <= 0xdf) {
					n = 2; cp = c & 0x1f; min = 0x80;
				} else if (c >= 0xe0 && c <= 0xef) {
					n = 3; cp = c & 0x0f; min = 0x800;
				} else if (c >= 0xf0 && c <= 0xf4) {
					n = 4; cp = c & 0x07; min = 0x10000;
				} else {
					n = 0;
				}
				if (n && end - i >= n) {
					for (k = 1; k < n; k++) {
						if ((b[i + k] & 0xc0) !== 0x80)
							break;
						cp = cp << 6 | (b[i + k] & 0x3f);
					}
					if (k < n || cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
						cp = 0xfffd;
						n = 1;
					}
				} else {
					cp = 0xfffd;
					n = 1;
				}
			}
			if (xml && ((cp < 0x20 && cp !== 9 && cp !== 10 && cp !== 13) || (cp >= 0x7f && cp < 0xa0) ||
				    cp === 0xfffe || cp === 0xffff))
				cp = 0xfffd;
			out += String.fromCodePoint(cp);
			i += n;
		}
		return out;
	}

	/* fs_escape__xml_trunc: at most chars characters, the last two of a longer name "..". */
	function truncate(name, chars) {
		var cps;

		if (name.length <= chars)
			return name;
		cps = Array.from(name);
		if (cps.length <= chars)
			return name;
		return cps.slice(0, chars - 2).join("") + "..";
	}

	/* ---------- colours (palette.c) ---------- */

	var FLAMESCOPE_STOPS = [[0, [0xff, 0xff, 0xff]], [0.5, [0xff, 0x50, 0x32]], [1, [0xe5, 0x09, 0x14]]];
	var VIRIDIS_STOPS = [
		[0 / 9, [0xfd, 0xe7, 0x25]], [1 / 9, [0xb5, 0xde, 0x2b]], [2 / 9, [0x6e, 0xce, 0x58]],
		[3 / 9, [0x35, 0xb7, 0x79]], [4 / 9, [0x1f, 0x9e, 0x89]], [5 / 9, [0x26, 0x82, 0x8e]],
		[6 / 9, [0x31, 0x68, 0x8e]], [7 / 9, [0x3e, 0x49, 0x89]], [8 / 9, [0x48, 0x28, 0x78]],
		[9 / 9, [0x44, 0x01, 0x54]]];
	/* the search's light: white to the flame graph's search magenta */
	var SEARCH_STOPS = [[0, [0xff, 0xff, 0xff]], [0.5, [0xee, 0x7a, 0xee]], [1, [0xa0, 0x00, 0xa0]]];

	function channel(a, b, t) {
		var v = Math.floor(a + (b - a) * t + 0.5);

		return v < 0 ? 0 : v > 255 ? 255 : v;
	}

	function ramp(s, t) {
		var i, f;

		if (t <= s[0][0])
			return s[0][1];
		for (i = 1; i < s.length - 1 && t > s[i][0]; i++)
			;
		if (t >= s[i][0])
			return s[i][1];
		f = (t - s[i - 1][0]) / (s[i][0] - s[i - 1][0]);
		return [channel(s[i - 1][1][0], s[i][1][0], f), channel(s[i - 1][1][1], s[i][1][1], f),
			channel(s[i - 1][1][2], s[i][1][2], f)];
	}

	function heatColour(palette, value, max) {
		var t;

		if (!value || !max)
			return [0xff, 0xff, 0xff];
		t = value >= max ? 1.0 : value / max;
		if (palette === "viridis") {
			t = max > 1 ? (value >= max ? max - 1 : value - 1) / (max - 1) : 1.0;
			return ramp(VIRIDIS_STOPS, t);
		}
		if (palette === "search")
			return ramp(SEARCH_STOPS, t);
		return ramp(FLAMESCOPE_STOPS, t);
	}

	function hex(c) {
		return "#" + ((1 << 24) | (c[0] << 16) | (c[1] << 8) | c[2]).toString(16).slice(1);
	}

	/*
	 * Perl's rand(1) right after srand(seed): drand48 seeded as FreeBSD's,
	 * x = (seed << 16) + 0x330e, x = (x * 0x5deece66d + 0xb) mod 2^48, in
	 * 24-bit halves so every product stays exact in a double.
	 */
	function perlRand(seed) {
		var xl = ((seed & 0xff) << 16) + 0x330e, xh = Math.floor(seed / 256);
		var al = 0xece66d, ah = 0x5de, lo, hi;

		lo = xl * al + 0xb;
		hi = (xh * al + xl * ah + Math.floor(lo / 16777216)) % 16777216;
		lo %= 16777216;
		return (hi * 16777216 + lo) / 281474976710656;
	}

	function sumRand(b) {
		var sum = 0, i;

		for (i = 0; i < b.length; i++)
			sum = (sum + b[i]) >>> 0;
		return perlRand(sum);
	}

	/* flamegraph.pl's namehash(), on the name's bytes (backwards when rev) */
	function namehash(b, rev) {
		var len = b.length, vector = 0, weight = 1, max = 1, mod = 10, i, k, c;
		var cutFrom = 0, cutTo = 0;

		function at(j) { return b[rev ? len - 1 - j : j]; }
		for (i = 0; i < len && !cutTo; i = k + 1) {
			k = i;
			if (at(i) === 10)
				continue;
			for (k = i + 1; k < len; k++) {
				c = at(k);
				if (c === 10)
					break;
				if (c === 96) {
					cutFrom = i;
					cutTo = k + 1;
					break;
				}
			}
		}
		for (k = 0; k < len; k++) {
			if (k >= cutFrom && k < cutTo)
				continue;
			c = at(k);
			vector += ((c % mod) / (mod - 1)) * weight;
			mod++;
			max += weight;
			weight *= 0.70;
			if (mod > 12)
				break;
		}
		return 1 - vector / max;
	}

	var KIND_USER = 0, KIND_KERNEL = 1, KIND_JIT = 2, KIND_INLINED = 3, KIND_COMM = 4;

	function javaPackage(n) {
		return /^L?(java|javax|jdk|net|org|com|io|sun)\//.test(n);
	}

	function family(scheme, name, kind) {
		var slash;

		if (scheme === "java") {
			if (kind === KIND_JIT)
				return "green";
			if (kind === KIND_INLINED)
				return "aqua";
			if (javaPackage(name) || name.indexOf(":::") >= 0)
				return "green";
			if (name.indexOf("::") >= 0)
				return "yellow";
			return kind === KIND_KERNEL ? "orange" : "red";
		}
		if (scheme === "perl") {
			if (name.indexOf("::") >= 0)
				return "yellow";
			if (name.indexOf("Perl") >= 0 || name.indexOf(".pl") >= 0)
				return "green";
			return kind === KIND_KERNEL ? "orange" : "red";
		}
		if (scheme === "js") {
			if (kind === KIND_JIT)
				return name.indexOf("/") >= 0 ? "green" : "aqua";
			if (name.indexOf("::") >= 0)
				return "yellow";
			slash = name.indexOf("/");
			if (slash >= 0 && name.indexOf(".js", slash + 1) >= 0)
				return "green";
			if (name.indexOf(":") >= 0)
				return "aqua";
			if (name === " ")
				return "green";
			return kind === KIND_KERNEL ? "orange" : "red";
		}
		return scheme;
	}

	var SCHEMES = ["hot", "mem", "io", "java", "js", "perl", "red", "green", "blue", "aqua", "yellow",
		       "purple", "orange"];

	/* fs_palette__frame(): b = the name's bytes, name = its text */
	function frameColour(scheme, b, name, kind, hash) {
		var v1, v2, v3, t, x, r;

		if (hash) {
			v1 = namehash(b, false);
			v2 = v3 = namehash(b, true);
		} else {
			v1 = v2 = v3 = sumRand(b);
		}
		if (scheme === "hot")
			return [205 + Math.floor(50 * v3), Math.floor(230 * v1), Math.floor(55 * v2)];
		if (scheme === "mem")
			return [0, 190 + Math.floor(50 * v2), Math.floor(210 * v1)];
		if (scheme === "io") {
			r = 80 + Math.floor(60 * v1);
			return [r, r, 190 + Math.floor(55 * v2)];
		}
		t = family(scheme, name, kind);
		if (t === "red") {
			x = 50 + Math.floor(80 * v1);
			return [200 + Math.floor(55 * v1), x, x];
		}
		if (t === "green") {
			x = 50 + Math.floor(60 * v1);
			return [x, 200 + Math.floor(55 * v1), x];
		}
		if (t === "blue") {
			x = 80 + Math.floor(60 * v1);
			return [x, x, 205 + Math.floor(50 * v1)];
		}
		if (t === "yellow") {
			x = 175 + Math.floor(55 * v1);
			return [x, x, 50 + Math.floor(20 * v1)];
		}
		if (t === "purple") {
			x = 190 + Math.floor(65 * v1);
			return [x, 80 + Math.floor(60 * v1), x];
		}
		if (t === "aqua")
			return [50 + Math.floor(60 * v1), 165 + Math.floor(55 * v1), 165 + Math.floor(55 * v1)];
		if (t === "orange")
			return [190 + Math.floor(65 * v1), 90 + Math.floor(65 * v1), 0];
		return [0, 0, 0];
	}

	/* fs_palette__diff(): red grew, blue shrank */
	function diffColour(a, b, maxDelta) {
		var max = maxDelta ? maxDelta : 1, d = a - b, r = 255, g = 255, bl = 255;

		if (d > max)
			d = max;
		if (d < -max)
			d = -max;
		if (d > 0)
			g = bl = Math.floor(210 * (max - d) / max);
		else if (d < 0)
			r = g = Math.floor(210 * (max + d) / max);
		return [r, g, bl];
	}

	/* ---------- the payload ---------- */

	function Reader(buf, at) {
		this.b = buf;
		this.at = at;
	}

	Reader.prototype.v = function () {
		var b = this.b, x = 0, mul = 1, c;

		do {
			c = b[this.at++];
			x += (c & 0x7f) * mul;
			mul *= 128;
		} while (c & 0x80);
		return x;
	};

	var scratch32 = null;

	/*
	 * n numbers below 2^32 into one reused Uint32Array, whose view holds
	 * until the next call. Fresh memory is dear (on a small virtual machine
	 * first touching a page cost more than decoding what goes in it), so the
	 * columns pass through one buffer into arrays no wider than they need.
	 */
	Reader.prototype.u32 = function (n) {
		var out, b = this.b, at = this.at, i, c, x;

		if (!scratch32 || scratch32.length < n)
			scratch32 = new Uint32Array(Math.max(n, 4096));
		out = scratch32;
		for (i = 0; i < n; i++) {
			c = b[at++];
			if (c < 0x80) {
				out[i] = c;
				continue;
			}
			x = c & 0x7f;
			c = b[at++];
			x |= (c & 0x7f) << 7;
			if (c & 0x80) {
				c = b[at++];
				x |= (c & 0x7f) << 14;
				if (c & 0x80) {
					c = b[at++];
					x |= (c & 0x7f) << 21;
					if (c & 0x80) {
						c = b[at++];
						x = (x >>> 0) + (c & 0x7f) * 268435456;
						if (c & 0x80)
							throw new Error("the report's data holds a number too large");
					}
				}
			}
			out[i] = x;
		}
		if (at > b.length)
			throw new Error("the report's data is cut short");
		this.at = at;
		return out.subarray(0, n);
	};

	/* ... copied into a new array of Type; signed ones (zigzag) into an Int32Array */
	Reader.prototype.array = function (n, Type, signed) {
		var u = this.u32(n), out, i;

		if (!signed) {
			out = new Type(n);
			out.set(u);
			return out;
		}
		out = new Int32Array(n);
		for (i = 0; i < n; i++)
			out[i] = (u[i] >>> 1) ^ -(u[i] & 1);
		return out;
	};

	/* The narrowest unsigned array for values below max. */
	function fit(max) {
		return max <= 256 ? Uint8Array : max <= 65536 ? Uint16Array : Uint32Array;
	}

	function base64(text) {
		var bin, out, i;

		if (Uint8Array.fromBase64)
			return Uint8Array.fromBase64(text);
		bin = atob(text);
		out = new Uint8Array(bin.length);
		for (i = 0; i < bin.length; i++)
			out[i] = bin.charCodeAt(i);
		return out;
	}

	async function inflate(bytes) {
		var s = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));

		return new Uint8Array(await new Response(s).arrayBuffer());
	}

	function parse(buf) {
		var hlen = (buf[0] | buf[1] << 8 | buf[2] << 16 | buf[3] << 24) >>> 0;
		var meta = JSON.parse(new TextDecoder().decode(buf.subarray(4, 4 + hlen)));
		var r = new Reader(buf, 4 + hlen), P = { meta: meta }, n, i, u, off, d, stack, key;

		if (meta.version !== 1)
			throw new Error("report format " + meta.version + " is not this page's");
		/* strings */
		n = r.v();
		u = r.u32(n);
		P.strOff = off = new Uint32Array(n + 1);
		for (i = 0; i < n; i++)
			off[i + 1] = off[i] + u[i];
		P.strBytes = buf.subarray(r.at, r.at + off[n]);
		r.at += off[n];
		/* nodes, preorder: depth steps, then names, then kinds */
		n = r.v();
		u = r.u32(n - 1);
		P.nodeDepth = d = new Int32Array(n);
		P.parent = new Int32Array(n);
		P.end = new Int32Array(n);
		stack = [0];
		P.parent[0] = -1;
		for (i = 1; i < n; i++) {
			d[i] = d[i - 1] + 1 - u[i - 1];
			stack.length = d[i];
			P.parent[i] = stack[d[i] - 1];
			stack.push(i);
		}
		for (i = 0; i < n; i++)
			P.end[i] = i + 1;
		for (i = n - 1; i > 0; i--)
			if (P.end[i] > P.end[P.parent[i]])
				P.end[P.parent[i]] = P.end[i];
		P.nodeName = new Uint32Array(n);
		P.nodeName.set(r.u32(n - 1), 1);
		P.nodeKind = new Uint8Array(n);
		P.nodeKind.set(r.u32(n - 1), 1);
		P.nodes = n;
		/* entries: node + 1 (0: a sample stackcollapse-perf.pl drops), key steps, idle bits */
		n = r.v();
		u = r.u32(n);
		P.entryNode = new Int32Array(n);
		for (i = 0; i < n; i++)
			P.entryNode[i] = u[i] - 1;
		P.entryKey = r.array(n, Int32Array, true);
		for (i = 0, key = 0; i < n; i++) {
			key += P.entryKey[i] + 1;
			P.entryKey[i] = key - 1;
		}
		P.entryIdle = r.array(n, Uint8Array);
		P.entries = n;
		P.keys = 0;
		for (i = 0; i < n; i++)
			if (P.entryKey[i] + 1 > P.keys)
				P.keys = P.entryKey[i] + 1;
		P.keyNode = new Int32Array(P.keys);
		for (i = 0; i < n; i++)
			if (P.entryKey[i] >= 0)
				P.keyNode[P.entryKey[i]] = P.entryNode[i];
		/* threads and cpus */
		n = r.v();
		P.pid = r.array(n, Int32Array, true);
		P.tid = r.array(n, Int32Array, true);
		for (i = 0; i < n; i++)
			P.tid[i] += P.pid[i];
		P.comm = r.array(n, Uint32Array);
		P.threads = n;
		n = r.v();
		P.cpus = r.array(n, Uint32Array);
		readSamples(P, r, meta);
		if (r.at !== buf.length)
			throw new Error("the report's data has " + (buf.length - r.at) + " bytes too many");
		P.origin = Math.floor(meta.first_us / 1e6);
		P.last = meta.last_us / 1e6;
		return P;
	}

	/* One number of up to 53 bits at b[at], into big.v, returning the next position. */
	function readBig(b, at, big) {
		var c = b[at++], x = c & 0x7f, mul = 128;

		while (c & 0x80) {
			c = b[at++];
			x += (c & 0x7f) * mul;
			mul *= 128;
		}
		big.v = x;
		return at;
	}

	/*
	 * The sample columns. Times and periods are decoded in the loop that uses
	 * them (they can pass 2^32: microseconds after an hour without samples on
	 * a cpu, off-CPU nanoseconds), the rest through the shared buffer.
	 */
	function readSamples(P, r, meta) {
		var n = meta.samples, cpus = P.cpus.length, cpu = r.array(n, fit(cpus)), b = r.b, at = r.at;
		var t = new Float64Array(n), last = new Float64Array(cpus).fill(meta.first_us), i, c, x, big = { v: 0 };
		var th, en, lastThread, lastEntry, lp, ev;

		for (i = 0; i < n; i++) {
			x = b[at++];
			if (x >= 0x80) {
				at = readBig(b, at - 1, big);
				x = big.v;
			}
			c = cpu[i];
			x += last[c];
			last[c] = x;
			t[i] = x / 1e6;	/* perf script's seconds, as view.c's fs_sample__seconds() */
		}
		if (at > b.length)
			throw new Error("the report's data is cut short");
		r.at = at;
		/* thread: 0 = the cpu's previous one; entry: 0 = the thread's previous one */
		th = r.array(n, fit(P.threads + 1));
		lastThread = new Int32Array(cpus).fill(-1);
		for (i = 0; i < n; i++) {
			c = cpu[i];
			th[i] = th[i] ? th[i] - 1 : lastThread[c];
			lastThread[c] = th[i];
		}
		en = r.array(n, fit(P.entries + 1));
		lastEntry = new Int32Array(P.threads).fill(-1);
		for (i = 0; i < n; i++) {
			en[i] = en[i] ? en[i] - 1 : lastEntry[th[i]];
			lastEntry[th[i]] = en[i];
		}
		P.samples = n;
		P.t = t;
		P.cpu = cpu;
		P.thread = th;
		P.entry = en;
		P.event = meta.columns.events ? r.array(n, Uint16Array) : null;
		P.period = null;
		if (meta.columns.periods) {
			/* zigzag steps from the same cpu's previous period */
			P.period = new Float64Array(n);
			lp = new Float64Array(cpus);
			at = r.at;
			for (i = 0; i < n; i++) {
				at = readBig(b, at, big);
				x = big.v % 2 ? -(big.v + 1) / 2 : big.v / 2;
				c = cpu[i];
				lp[c] += x;
				P.period[i] = lp[c];
			}
			if (at > b.length)
				throw new Error("the report's data is cut short");
			r.at = at;
		}
		ev = P.event;
		P.eventCount = new Float64Array(Math.max(1, meta.events.length));
		for (i = 0; i < n; i++)
			P.eventCount[ev ? ev[i] : meta.sample_event]++;
	}

	/* ---------- strings and names ---------- */

	var names = [], nameBytes = [], jsonNames = [];

	function str(P, id) {
		if (names[id] === undefined)
			names[id] = decode(P.strBytes, P.strOff[id], P.strOff[id + 1], true);
		return names[id];
	}

	function strBytes(P, id) {
		return P.strBytes.subarray(P.strOff[id], P.strOff[id + 1]);
	}

	function jsonStr(P, id) {
		if (jsonNames[id] === undefined)
			jsonNames[id] = decode(P.strBytes, P.strOff[id], P.strOff[id + 1], false);
		return jsonNames[id];
	}

	/* ---------- views ---------- */

	var ROUND_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 43200, 86400];

	/* view.c's fit_step() */
	function fitStep(step, span, maxColumns) {
		var i;

		if (span / step < maxColumns)
			return { step: step, raised: false };
		for (i = 0; i < ROUND_STEPS.length; i++)
			if (ROUND_STEPS[i] > step && span / ROUND_STEPS[i] < maxColumns)
				return { step: ROUND_STEPS[i], raised: true };
		return { step: Math.ceil(span / maxColumns), raised: true };
	}

	/* The first index with t >= x. */
	function lowerBound(t, x) {
		var lo = 0, hi = t.length, mid;

		while (lo < hi) {
			mid = (lo + hi) >>> 1;
			if (t[mid] < x)
				lo = mid + 1;
			else
				hi = mid;
		}
		return lo;
	}

	/*
	 * What the filters admit, per thread and per entry, so a sample costs
	 * three lookups: F.threadOk[thread], F.entryOk[entry], its event.
	 */
	function prepareFilter(P, F) {
		var i, e, node, re = F.search, matched, nodes = P.nodes, idleBit = F.rule === "leaf" ? 2 : 1;

		F.threadOk = new Uint8Array(P.threads);
		for (i = 0; i < P.threads; i++)
			F.threadOk[i] = (F.pid === null || P.pid[i] === F.pid) && (F.tid === null || P.tid[i] === F.tid) &&
				(F.comm === null || P.comm[i] === F.comm) ? 1 : 0;
		F.nodeMatch = null;
		if (re) {
			/* a stack holds a match when a frame on it does: parents come first */
			matched = new Uint8Array(nodes);
			var byName = new Map();
			for (i = 1; i < nodes; i++) {
				var nm = P.nodeName[i], hit = byName.get(nm);

				if (hit === undefined) {
					re.lastIndex = 0;
					hit = re.test(str(P, nm)) ? 1 : 0;
					byName.set(nm, hit);
				}
				matched[i] = hit || matched[P.parent[i]];
			}
			F.nodeMatch = matched;
		}
		F.entryOk = new Uint8Array(P.entries);
		F.entryMatch = re ? new Uint8Array(P.entries) : null;
		for (e = 0; e < P.entries; e++) {
			node = P.entryNode[e];
			if (re)
				F.entryMatch[e] = node >= 0 && F.nodeMatch[node] ? 1 : 0;
			F.entryOk[e] = (F.includeIdle || !(P.entryIdle[e] & idleBit)) &&
				(!re || !F.only || F.entryMatch[e]) ? 1 : 0;
		}
		F.useWeight = F.weight !== "samples" && P.period !== null;
	}

	/* fs_heatmap__from_profile(); lit[] counts the samples whose stack matches the search. */
	function heatmap(P, F, V) {
		var rows = V.rows, origin = P.origin, last = P.last - origin, from, to, span, fit, step, columns;
		var values, lit = null, total = 0, max = 0, litMax = 0, i, end, t = P.t, off, col, row, w, k, e;
		var ev = P.event, period = F.useWeight ? P.period : null, width;

		from = V.from !== null ? V.from : 0;
		to = V.to !== null ? V.to : last;
		if (from < 0 || to < from)
			throw new Error("empty time window " + cfixed(from, 6) + "-" + cfixed(to, 6) + " s");
		span = to - from;
		fit = fitStep(V.step > 0 ? V.step : 1, span, V.maxColumns);
		step = fit.step;
		columns = Math.floor(span / step) + 1;
		values = new Float64Array(columns * rows);
		if (F.entryMatch)
			lit = new Float64Array(columns * rows);
		width = to - from;
		/* the exact tests below decide; the bounds only skip what cannot pass */
		i = lowerBound(t, origin + from - 1);
		end = lowerBound(t, origin + to + 1);
		for (; i < end; i++) {
			off = t[i] - origin - from;
			if (off < 0 || off > width)
				continue;
			e = P.entry[i];
			if ((ev ? ev[i] : P.meta.sample_event) !== F.event || !F.threadOk[P.thread[i]] || !F.entryOk[e])
				continue;
			col = Math.floor(off / step);
			row = Math.floor(rows * ((off % step) / step));
			if (col >= columns || row >= rows)
				continue;
			k = col * rows + row;
			w = period ? period[i] : 1;
			values[k] += w;
			total += w;
			if (lit && F.entryMatch[e])
				lit[k] += w;
		}
		for (k = 0; k < values.length; k++) {
			if (values[k] > max)
				max = values[k];
			if (lit && lit[k] > litMax)
				litMax = lit[k];
		}
		return { columns: columns, rows: rows, step: step, raised: fit.raised, from: from, to: to,
			 values: values, lit: lit, max: max, litMax: litMax, total: total };
	}

	/* The samples of a range: indices [lo, hi) of those with t >= origin + start and <= origin + end. */
	function bounds(P, start, end) {
		var t = P.t, lo = lowerBound(t, P.origin + start), hi = t.length, mid, lo2 = lo, stop = P.origin + end;

		/* the first index with t > stop */
		while (lo2 < hi) {
			mid = (lo2 + hi) >>> 1;
			if (t[mid] <= stop)
				lo2 = mid + 1;
			else
				hi = mid;
		}
		return [lo, lo2];
	}

	/* A range's weights per entry (samples lo..hi-1), as fold.c's aggregate() sums them per (root, stack). */
	function aggregate(P, F, lo, hi, w, n) {
		var i, ev = P.event, period = F.useWeight ? P.period : null, e;

		w.fill(0);
		n.fill(0);
		for (i = lo; i < hi; i++) {
			e = P.entry[i];
			if ((ev ? ev[i] : P.meta.sample_event) !== F.event || !F.threadOk[P.thread[i]] || !F.entryOk[e] ||
			    P.entryNode[e] < 0)
				continue;
			w[e] += period ? period[i] : 1;
			n[e]++;
		}
	}

	var scratch = null;

	/*
	 * The last trees of single ranges, by filter and samples: the whole
	 * profile's is built while a person looks at the heat map (warm()), so
	 * its click only lays it out. Filters make a new F, which misses.
	 */
	var treeCache = [];

	function cachedTree(F, b) {
		for (var k = 0; k < treeCache.length; k++)
			if (treeCache[k].F === F && treeCache[k].lo === b[0] && treeCache[k].hi === b[1])
				return treeCache[k].T;
		return null;
	}

	/*
	 * The flame tree of a range, and of a compared one (fs_flame__add_compare:
	 * its weights per key, scaled to the first's total with normalize and
	 * rounded per key). Node values are totals; present marks the nodes the
	 * command's tree would hold (a sample landed at or below them).
	 */
	function rangeTree(P, F, A, B, normalize, own) {
		var N = P.nodes, value, present, valueB = null, e, i, keyW, keySeen, total, scale, b = bounds(P, A.start, A.end);
		var hit = B ? null : cachedTree(F, b);

		if (hit)
			return hit;
		/* one set of arrays, reused: fresh memory costs more than clearing it */
		if (!scratch || scratch.w.length !== P.entries)
			scratch = { w: new Float64Array(P.entries), n: new Uint32Array(P.entries),
				    value: new Float64Array(N), valueB: new Float64Array(N), present: new Uint8Array(N),
				    keyW: new Float64Array(P.keys), keySeen: new Uint8Array(P.keys) };
		/* own: a tree of its own, which leaves the one drawn (in the scratch arrays) alone */
		value = own ? new Float64Array(N) : scratch.value.fill(0);
		present = own ? new Uint8Array(N) : scratch.present.fill(0);
		aggregate(P, F, b[0], b[1], scratch.w, scratch.n);
		for (e = 0; e < P.entries; e++) {
			if (scratch.n[e]) {
				value[P.entryNode[e]] += scratch.w[e];
				present[P.entryNode[e]] = 1;
			}
		}
		for (i = N - 1; i > 0; i--) {
			value[P.parent[i]] += value[i];
			if (present[i])
				present[P.parent[i]] = 1;
		}
		if (B) {
			valueB = scratch.valueB.fill(0);
			b = bounds(P, B.start, B.end);
			aggregate(P, F, b[0], b[1], scratch.w, scratch.n);
			keyW = scratch.keyW.fill(0);
			keySeen = scratch.keySeen.fill(0);
			total = 0;
			for (e = 0; e < P.entries; e++) {
				if (scratch.n[e]) {
					keyW[P.entryKey[e]] += scratch.w[e];
					keySeen[P.entryKey[e]] = 1;
					total += scratch.w[e];
				}
			}
			scale = normalize && total ? value[0] / total : 1;
			for (i = 0; i < P.keys; i++) {
				if (!keySeen[i])
					continue;
				valueB[P.keyNode[i]] += Math.round(keyW[i] * scale);
				present[P.keyNode[i]] = 1;
			}
			for (i = N - 1; i > 0; i--) {
				valueB[P.parent[i]] += valueB[i];
				if (present[i])
					present[P.parent[i]] = 1;
			}
		}
		return { value: value, valueB: valueB, present: present, differential: !!B };
	}

	/* The tree of a single range, in arrays of its own, kept for its next click. */
	function keepTree(P, F, A) {
		var b = bounds(P, A.start, A.end), T = cachedTree(F, b);

		if (!T) {
			T = rangeTree(P, F, A, null, false, true);
			treeCache.unshift({ F: F, lo: b[0], hi: b[1], T: T });
			treeCache.length = Math.min(treeCache.length, 2);
		}
		return T;
	}

	/* fs_flame__self(): a node's own weights */
	function self(P, T, i) {
		var c = i + 1, end = P.end[i], ca = 0, cb = 0, a, b;

		for (; c < end; c = P.end[c]) {
			ca += T.value[c];
			if (T.valueB)
				cb += T.valueB[c];
		}
		a = T.value[i] > ca ? T.value[i] - ca : 0;
		b = T.valueB ? (T.valueB[i] > cb ? T.valueB[i] - cb : 0) : 0;
		return [a, b];
	}

	/* fs_flame__write_json()'s tree, for the tests to compare with the command's */
	function flameJSON(P, T) {
		var kinds = ["user", "kernel", "jit", "inlined", ""];

		function node(i) {
			var s = self(P, T, i), o = { n: i ? jsonStr(P, P.nodeName[i]) : "root",
				l: i ? kinds[P.nodeKind[i]] : "", v: s[0] }, c, kids = [];

			if (T.differential)
				o.d = s[0] - s[1];
			for (c = i + 1; c < P.end[i]; c = P.end[c])
				if (T.present[c])
					kids.push(node(c));
			o.c = kids;
			return o;
		}
		return node(0);
	}

	/* flame-svg.c's collect(): frames at least minwidth wide, parents first */
	function collect(P, T, minValue) {
		var node = [0], depth = [0], t = [0], i, p, at, kids, c, v = T.value, end = P.end, dmax = 0;

		for (i = 0; i < node.length; i++) {
			p = node[i];
			at = t[i];
			kids = 0;
			for (c = p + 1; c < end[p]; c = end[c])
				kids += v[c];
			if (v[p] > kids)
				at += v[p] - kids;
			for (c = p + 1; c < end[p]; c = end[c]) {
				if (v[c] >= minValue && v[c]) {
					node.push(c);
					depth.push(depth[i] + 1);
					t.push(at);
					if (depth[i] + 1 > dmax)
						dmax = depth[i] + 1;
				}
				at += v[c];
			}
		}
		return { node: node, depth: depth, t: t, depthmax: dmax };
	}

	/* ---------- state ---------- */

	var P = null;
	var S = {			/* what the page shows; mirrored in the URL fragment */
		event: 0, includeIdle: false, rule: "flamescope", weight: "samples",
		pid: null, tid: null, comm: null, search: "", ic: false, only: false,
		sel: null, cmp: null, normalize: false, colors: "hot",
		view: null, zoom: 0
	};
	var F = null, HM = null, L = null, T = null, FG = null;
	var perf = {};

	function filterOf() {
		var re = null;

		if (S.search) {
			try {
				re = new RegExp(S.search, S.ic ? "i" : "");
			} catch (err) {
				re = null;
			}
		}
		return { event: S.event, includeIdle: S.includeIdle, rule: S.rule, weight: S.weight, pid: S.pid,
			 tid: S.tid, comm: S.comm, search: re, only: S.only && !!re };
	}

	/* ---------- the heat map ---------- */

	var PAD_LEFT = 70, PAD_RIGHT = 20, PAD_TOP = 24, PAD_BOTTOM = 70;

	function clampU(v, lo, hi) {
		return v < lo ? lo : v > hi ? hi : Math.floor(v);
	}

	/*
	 * heatmap-svg.c's layout() and nice_every(), but columns widen (up to 40
	 * px) to fill the window when there are few: the same cells, easier to hit.
	 */
	function layout(hm) {
		var cols = hm.columns || 1, rows = hm.rows, cell = hm.step / rows, l = {};
		var room = Math.max(600, $("heat-main").clientWidth - PAD_LEFT - PAD_RIGHT - 4);

		l.cw = clampU(1200 / cols, 4, 10);
		l.ch = l.cw;
		if (rows * l.ch > 600)
			l.ch = clampU(600 / rows, 1, l.cw);
		l.cw = Math.max(l.cw, clampU(room / cols, 4, 40));
		l.gridH = rows * l.ch;
		l.width = Math.max(480, PAD_LEFT + cols * l.cw + PAD_RIGHT);
		l.height = PAD_TOP + l.gridH + PAD_BOTTOM;
		l.dec = cell > 0 ? Math.ceil(-Math.log10(cell) - 1e-9) : 3;
		l.dec = l.dec < 3 ? 3 : l.dec > 9 ? 9 : l.dec;
		l.x0 = PAD_LEFT;
		l.y0 = PAD_TOP;
		return l;
	}

	function niceEvery(unit, room) {
		var k = 1;

		while (k * unit < room && k < 429496729) {
			if (2 * k * unit >= room)
				return 2 * k;
			if (5 * k * unit >= room)
				return 5 * k;
			k *= 10;
		}
		return k;
	}

	function cellStart(hm, i) {
		return hm.from + Math.floor(i / hm.rows) * hm.step + (i % hm.rows) * hm.step / hm.rows;
	}

	function setupCanvas(c, w, h) {
		var dpr = window.devicePixelRatio || 1, ctx;

		c.width = Math.round(w * dpr);
		c.height = Math.round(h * dpr);
		c.style.width = w + "px";
		c.style.height = h + "px";
		ctx = c.getContext("2d");
		ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
		return ctx;
	}

	function weightName() {
		if (!F.useWeight)
			return "samples";
		return P.meta.offcpu && eventName(S.event) === "sched:sched_switch" ? "off-CPU ns" : "period";
	}

	function eventName(i) {
		var ids = P.meta.events;

		return i < ids.length ? str(P, ids[i]) : "";
	}

	/*
	 * The heat map as HM holds it. Before the samples are decoded (P null) it
	 * is the report's own grid (GRID, drawn at once) and the findings'
	 * outlines wait for them.
	 */
	function drawHeatmap() {
		var hm = HM, l = L = layout(hm), c = $("heatmap"), ctx = setupCanvas(c, l.width, l.height);
		var base = PAD_TOP + l.gridH, i, x, y, k, v, r, every, pal = P ? P.meta.heatmap.palette : GRID.palette;
		var lit = hm.lit, max = (P ? P.meta.heatmap.max : GRID.maxOpt) || hm.max, rowMs = 1000 * hm.step / hm.rows;
		var scaleMax = lit ? hm.litMax : max, colours = new Map(), fill, what = P ? weightName() : GRID.weight;

		setupCanvas($("overlay"), l.width, l.height);
		ctx.fillStyle = "#fff";
		ctx.fillRect(0, 0, l.width, l.height);
		for (k = 0; k < hm.values.length; k++) {
			v = hm.values[k];
			if (!v)
				continue;
			x = PAD_LEFT + Math.floor(k / hm.rows) * l.cw;
			y = PAD_TOP + (hm.rows - 1 - k % hm.rows) * l.ch;
			/* counts repeat: one colour string per count */
			v = lit ? (lit[k] ? lit[k] : -1) : v;
			fill = colours.get(v);
			if (fill === undefined) {
				fill = v < 0 ? "#e8e8e8" : hex(heatColour(lit ? "search" : pal, v, scaleMax));
				colours.set(v, fill);
			}
			ctx.fillStyle = fill;
			ctx.fillRect(x, y, l.cw, l.ch);
		}
		/* axes, as heatmap-svg.c's put_axes() */
		ctx.fillStyle = "#000";
		ctx.font = "12px Verdana, sans-serif";
		ctx.textAlign = "right";
		ctx.fillText("ms", PAD_LEFT - 6, PAD_TOP - 8);
		every = niceEvery(l.ch, 14);
		for (r = 0; r <= hm.rows; r += every)
			ctx.fillText(cg(r * rowMs, 6), PAD_LEFT - 6, base - r * l.ch + 4);
		ctx.textAlign = "left";
		every = niceEvery(l.cw, 44);
		for (i = 0; i < hm.columns; i += every)
			ctx.fillText(cg(hm.from + i * hm.step, 6), PAD_LEFT + i * l.cw, base + 16);
		ctx.fillText("seconds", PAD_LEFT, base + 32);
		drawLegend(ctx, base + 44, lit ? "search" : pal, scaleMax, lit ? "matching " + what : what);
		if (P)
			drawMarks();
		drawOverlay();
	}

	function drawLegend(ctx, y, pal, max, what) {
		var i, v;

		ctx.textAlign = "left";
		ctx.fillStyle = "#000";
		ctx.fillText("0", PAD_LEFT, y + 11);
		for (i = 0; i <= 10; i++) {
			v = Math.floor((max * i + 5) / 10);
			ctx.fillStyle = hex(heatColour(pal, v, max));
			ctx.fillRect(PAD_LEFT + 14 + i * 16, y, 16, 12);
			ctx.strokeStyle = "#ccc";
			ctx.lineWidth = 0.5;
			ctx.strokeRect(PAD_LEFT + 14 + i * 16, y, 16, 12);
		}
		ctx.fillStyle = "#000";
		ctx.fillText(thousands(max) + " " + what + " per cell", PAD_LEFT + 14 + 11 * 16 + 6, y + 11);
	}

	/* cells a..b (time order) of the heat map, one rectangle per column run */
	function paintCells(ctx, a, b) {
		var rows = HM.rows, c, r0, r1, x, y0, y1;

		for (c = Math.floor(a / rows); c <= Math.floor(b / rows); c++) {
			r0 = c === Math.floor(a / rows) ? a % rows : 0;
			r1 = c === Math.floor(b / rows) ? b % rows : rows - 1;
			x = PAD_LEFT + c * L.cw;
			y0 = PAD_TOP + (rows - 1 - r1) * L.ch;
			y1 = PAD_TOP + (rows - r0) * L.ch;
			ctx.fillRect(x, y0, L.cw, y1 - y0);
			ctx.strokeRect(x + 0.5, y0 + 0.5, L.cw - 1, y1 - y0 - 1);
		}
	}

	/* The cells a range covers in this view: [first, last] or null. */
	function rangeCells(R) {
		var cell = HM.step / HM.rows, n = HM.columns * HM.rows;
		var a = Math.round((R.start - HM.from) / cell), b = Math.round((R.end - HM.from) / cell) - 1;

		if (b < 0 || a >= n || b < a)
			return null;
		return [Math.max(0, a), Math.min(n - 1, b)];
	}

	var pend = null, drag = null, hover = -1, cursor = -1;

	function drawOverlay() {
		var c = $("overlay"), ctx = c.getContext("2d"), cells, p;

		ctx.clearRect(0, 0, L.width, L.height);
		function show(R, fill, stroke) {
			cells = R ? rangeCells(R) : null;
			if (!cells)
				return;
			ctx.fillStyle = fill;
			ctx.strokeStyle = stroke;
			ctx.lineWidth = 1;
			paintCells(ctx, cells[0], cells[1]);
		}
		show(S.cmp, "rgba(43, 123, 185, 0.35)", "rgba(43, 123, 185, 0.9)");
		show(S.sel, "rgba(147, 110, 181, 0.45)", "rgba(110, 60, 150, 0.9)");
		p = drag || pend;
		if (p) {
			var other = drag ? drag.b : hover >= 0 ? hover : p.a;
			ctx.fillStyle = p.mode === "cmp" ? "rgba(43, 123, 185, 0.35)" : "rgba(147, 110, 181, 0.45)";
			ctx.strokeStyle = "rgba(0, 0, 0, 0.6)";
			paintCells(ctx, Math.min(p.a, other), Math.max(p.a, other));
		}
		if (cursor >= 0 && cursor < HM.columns * HM.rows) {
			ctx.strokeStyle = "#000";
			ctx.lineWidth = 1.5;
			ctx.strokeRect(PAD_LEFT + Math.floor(cursor / HM.rows) * L.cw + 0.75,
				       PAD_TOP + (HM.rows - 1 - cursor % HM.rows) * L.ch + 0.75, L.cw - 1.5, L.ch - 1.5);
		}
	}

	function cellAt(ev) {
		var rect = $("overlay").getBoundingClientRect(), x = ev.clientX - rect.left, y = ev.clientY - rect.top;
		var c = Math.floor((x - PAD_LEFT) / L.cw), r = HM.rows - 1 - Math.floor((y - PAD_TOP) / L.ch);

		if (c < 0 || c >= HM.columns || r < 0 || r >= HM.rows)
			return -1;
		return c * HM.rows + r;
	}

	/* heatmap-svg.c's cell title: "12.340-12.360 s: 5 samples" */
	function cellText(i) {
		var t = cellStart(HM, i), cell = HM.step / HM.rows, s;

		s = cfixed(t, L.dec) + "-" + cfixed(t + cell, L.dec) + " s: " + HM.values[i] + " " + weightName();
		if (HM.lit)
			s += ", " + HM.lit[i] + " matching";
		return s;
	}

	function rangeOf(a, b) {
		var lo = Math.min(a, b), hi = Math.max(a, b), cell = HM.step / HM.rows;
		var s = cfixed(cellStart(HM, lo), L.dec), e = cfixed(cellStart(HM, hi) + cell, L.dec);

		return { s: s, e: e, start: parseFloat(s), end: parseFloat(e) };
	}

	/*
	 * A range chosen (by the event ev, when there is one): its flame graph at
	 * once. perf.flamePaintedMs is how long after the click it was on screen
	 * (the next frame after drawing), what scripts/bench-report.sh reads.
	 */
	function choose(a, b, mode, ev) {
		var R = rangeOf(a, b), at = ev && ev.timeStamp ? ev.timeStamp : performance.now();

		if (mode === "cmp")
			S.cmp = R;
		else
			S.sel = R;
		cursor = b;
		shown(at);
	}

	/* fn once the next frame is on screen */
	function afterPaint(fn) {
		requestAnimationFrame(function () { setTimeout(fn, 0); });
	}

	/* A new selection on screen: the overlay, the flame graph and the address. */
	function shown(at) {
		pend = drag = null;
		S.zoom = 0;
		perf.flamePaintedMs = null;
		drawOverlay();
		drawFlame();
		saveState();
		afterPaint(function () { perf.flamePaintedMs = performance.now() - at; });
	}

	function heatEvents() {
		var ov = $("overlay");

		ov.addEventListener("pointerdown", function (ev) {
			var i = cellAt(ev), mode = ev.shiftKey || ev.ctrlKey || ev.metaKey ? "cmp" : "sel";

			if (ev.button !== 0 || i < 0)
				return;
			ev.preventDefault();
			$("heat-scroll").focus({ preventScroll: true });
			if (pend && pend.mode === mode) {
				choose(pend.a, i, mode, ev);
				return;
			}
			pend = null;
			drag = { a: i, b: i, mode: mode, moved: false };
			ov.setPointerCapture(ev.pointerId);
			drawOverlay();
		});
		ov.addEventListener("pointermove", function (ev) {
			var i = cellAt(ev);

			hover = i;
			$("heat-details").textContent = i >= 0 ? cellText(i) : "\u00a0";
			if (drag && i >= 0 && i !== drag.b) {
				drag.b = i;
				drag.moved = drag.moved || i !== drag.a;
			}
			if (drag || pend)
				drawOverlay();
		});
		ov.addEventListener("pointerup", function (ev) {
			var i = cellAt(ev), d = drag;

			if (!d)
				return;
			drag = null;
			if (d.moved)
				choose(d.a, i >= 0 ? i : d.b, d.mode, ev);
			else
				pend = { a: d.a, mode: d.mode };
			cursor = d.a;
			drawOverlay();
		});
		ov.addEventListener("pointerleave", function () {
			hover = -1;
			$("heat-details").textContent = "\u00a0";
			if (pend)
				drawOverlay();
		});
	}

	/* ---------- flamescope find's findings ---------- */

	/*
	 * The header holds flamescope find's JSON (find-write.c) when the report
	 * was made with --findings: each finding is listed (strongest first, as
	 * the command ranks them), its ranges are outlined as heatmap-svg.c's
	 * put_marks() outlines them, and a click selects its representative range
	 * and the range it is compared with, the ranges of the command lines
	 * flamescope find prints.
	 */
	function findings() {
		var fd = P.meta.findings;

		return fd && Array.isArray(fd.findings) ? fd.findings : [];
	}

	/* palette.c's fs_palette__mark(): on neither ramp */
	function markColour() {
		return P.meta.heatmap.palette === "viridis" ? "#e00000" : "#0050ff";
	}

	/* heatmap.c's cell_of(): the column and row holding t (seconds from the origin) */
	function cellOfTime(hm, t) {
		var off = t - hm.from, c = Math.floor(off / hm.step), r;

		if (c < 0)
			return [0, 0];
		if (c >= hm.columns)
			return [hm.columns - 1, hm.rows - 1];
		r = Math.floor(hm.rows * ((off % hm.step) / hm.step));
		return [c, r < 0 ? 0 : r >= hm.rows ? hm.rows - 1 : r];
	}

	function corners(x0, y0, x1, y1) {
		return [[x0, y0], [x0, y1], [x1, y1], [x1, y0]];
	}

	/*
	 * fs_heatmap__outline(): the outline of a range over its cells, as
	 * polygons of (column, row) corners, rows counted up from the bottom.
	 */
	function outline(hm, start, end) {
		var stop = hm.from + hm.columns * hm.step, R = hm.rows, last, a, b;

		if (!hm.columns || !R || !(end > hm.from) || !(start < stop))
			return [];
		/* the last cell is the one holding the instant before the end */
		last = Math.max(start, end - 1e-9 * Math.max(1, Math.abs(end)));
		a = cellOfTime(hm, Math.max(start, hm.from));
		b = cellOfTime(hm, Math.min(last, stop));
		if (b[0] < a[0] || (b[0] === a[0] && b[1] < a[1]))
			b = a;
		if (a[0] === b[0])
			return [corners(a[0], a[1], a[0] + 1, b[1] + 1)];
		if (b[0] === a[0] + 1 && b[1] + 1 < a[1])
			return [corners(a[0], a[1], a[0] + 1, R), corners(b[0], 0, b[0] + 1, b[1] + 1)];
		return [[[a[0], a[1]], [a[0], R], [b[0], R], [b[0], b[1] + 1], [b[0] + 1, b[1] + 1],
			 [b[0] + 1, 0], [a[0] + 1, 0], [a[0] + 1, a[1]]]];
	}

	/* Every finding's outlines in this view: per finding, per range, its polygons. */
	function markShapes() {
		return findings().map(function (f) {
			return f.ranges.map(function (r) { return outline(HM, r[0], r[1]); });
		});
	}

	/*
	 * On their own canvas, between the cells and the selection: drawn with the
	 * heat map only. The outlines' edges go into a grid of cell edges first,
	 * then each run of set edges is a 2 px band (a stroke of width 2 on the
	 * cell lines): in a coarse view thousands of a finding's ranges share
	 * cells, and stroking that many overlapping paths takes the browser seconds.
	 */
	function drawMarks() {
		var ctx = setupCanvas($("marks"), L.width, L.height), shapes = markShapes(), C = HM.columns, R = HM.rows;
		var across = new Uint8Array(C * (R + 1)), up = new Uint8Array((C + 1) * R), k, j, q, i, poly, a, z, n, m;

		function x(c) { return PAD_LEFT + c * L.cw; }
		function y(r) { return PAD_TOP + (R - r) * L.ch; }
		ctx.clearRect(0, 0, L.width, L.height);
		for (k = 0; k < shapes.length; k++)
			for (j = 0; j < shapes[k].length; j++)
				for (q = 0; q < shapes[k][j].length; q++) {
					poly = shapes[k][j][q];
					for (i = 0; i < poly.length; i++) {
						a = poly[i];
						z = poly[(i + 1) % poly.length];
						if (a[1] === z[1]) {
							for (n = Math.min(a[0], z[0]); n < Math.max(a[0], z[0]); n++)
								across[n * (R + 1) + a[1]] = 1;
						} else {
							for (n = Math.min(a[1], z[1]); n < Math.max(a[1], z[1]); n++)
								up[a[0] * R + n] = 1;
						}
					}
				}
		ctx.fillStyle = markColour();
		for (m = 0; m <= R; m++)
			for (n = 0; n < C; n++) {
				for (i = n; i < C && across[i * (R + 1) + m]; i++)
					;
				if (i > n)
					ctx.fillRect(x(n) - 1, y(m) - 1, (i - n) * L.cw + 2, 2);
				n = i;
			}
		for (n = 0; n <= C; n++)
			for (m = 0; m < R; m++) {
				for (i = m; i < R && up[n * R + i]; i++)
					;
				if (i > m)
					ctx.fillRect(x(n) - 1, y(i) - 1, 2, (i - m) * L.ch + 2);
				m = i;
			}
		/* each finding's number at its first range's top-left corner, as the SVG has it */
		ctx.font = "bold 12px Verdana, sans-serif";
		ctx.textAlign = "left";
		for (k = 0; k < shapes.length; k++)
			if (shapes[k].length && shapes[k][0].length)
				ctx.fillText(String(k + 1), x(shapes[k][0][0][1][0]) + 2, y(shapes[k][0][0][1][1]) - 3);
	}

	/* A finding's range as the command lines flamescope find prints give it (%.3f). */
	function findingRange(r) {
		return r ? range(cfixed(Math.max(0, r[0]), 3), cfixed(Math.max(0, r[1]), 3)) : null;
	}

	/* A finding clicked: its range, and the one it is compared with, as two clicks would select them. */
	function pickFinding(k, ev) {
		var f = findings()[k], R = f ? findingRange(f.look) : null, cells;

		if (!R)
			return;
		S.sel = R;
		S.cmp = findingRange(f.compare);
		if (!rangeCells(R))
			setView(viewAt(HM.step, (R.start + R.end) / 2));
		cells = rangeCells(R);
		cursor = cells ? cells[1] : -1;
		shown(ev && ev.timeStamp ? ev.timeStamp : performance.now());
	}

	/* The finding whose range is selected shows pressed. */
	function markFinding() {
		var items = $("findings-list").children, i, f, R;

		for (i = 0; i < items.length; i++) {
			f = findings()[i];
			R = f ? findingRange(f.look) : null;
			items[i].firstChild.setAttribute("aria-pressed", R && S.sel && R.s === S.sel.s && R.e === S.sel.e ?
							 "true" : "false");
		}
	}

	function addSpan(parent, cls, text) {
		var e = doc.createElement("span");

		e.className = cls;
		e.textContent = text;
		parent.appendChild(e);
	}

	function percent(x) {
		return cfixed(100 * x, 0) + "%";
	}

	/* find-write.c's put_where(): the process, or the processes sharing it */
	function findingWhere(f) {
		var p = f.processes || [];

		if (f.pid !== null)
			return "in " + f.comm + " (pid " + f.pid + ")";
		if (p.length && p[0].samples >= 0.95 * f.samples)
			return "in " + p[0].comm + " (pid " + p[0].pid + ")";
		return p.length ? "across processes: " + p.map(function (q) {
			return q.comm + " (pid " + q.pid + ", " + percent(f.samples ? q.samples / f.samples : 0) + ")";
		}).join(", ") : "";
	}

	/* find-write.c's put_shape() */
	function findingShape(f) {
		var s = cfixed(f.span[0], 3) + "-" + cfixed(f.span[1], 3) + " s";

		if (f.kind === "band")
			return "in " + f.present + " of " + f.cycles + " cycles, " + s;
		if (f.kind === "burst")
			return "in " + f.present + " of " + f.cycles + " seconds, " + s;
		if (f.kind === "shift")
			return "from " + cfixed(f.span[0], 3) + " s to " + cfixed(f.span[1], 3) + " s";
		return cfixed(f.duration, 3) + " s long";
	}

	function findingStrength(f) {
		var s = cfixed(f.rate, 1) + " samples/s against " + cfixed(f.base_rate, 1);

		if (f.lift !== null)
			s += " (" + cfixed(f.lift, 1) + "x)";
		return s + "; " + cfixed(Math.abs(f.excess), 0) + " samples " + (f.excess >= 0 ? "above" : "below");
	}

	/* The frames that explain it: grew (or shrank) against its reference, the command's words */
	function findingFrames(f) {
		var fr = f.frames || [];

		if (!fr.length)
			return "no frame stands out";
		if (f.reference === "none")
			return fr.map(function (q) { return q.name + " " + percent(q.share); }).join(", ");
		return (f.excess >= 0 ? "grew: " : "shrank: ") + fr.map(function (q) {
			return q.name + " " + percent(q.share) + " vs " + percent(q.reference_share);
		}).join(", ");
	}

	function fillFindings() {
		var m = P.meta, fd = m.findings, list = $("findings-list"), all = findings(), k, f, li, b, d;

		if (fd === undefined)
			return;
		$("findings").hidden = false;
		if (!fd) {
			$("findings-info").textContent = "flamescope find could not run: " + m.findings_error;
			return;
		}
		$("findings-info").textContent = all.length ?
			"Strongest first, in " + fd.event + " samples" + (fd.dropped ? " (" + fd.dropped + " weaker not listed)" : "") +
			". A click selects one's range and the range it is compared with (Esc drops that)." :
			"None in " + fd.event + " samples: no band, burst, one-off segment or level shift by flamescope find's rules.";
		for (k = 0; k < all.length; k++) {
			f = all[k];
			li = doc.createElement("li");
			b = doc.createElement("button");
			b.type = "button";
			b.setAttribute("aria-pressed", "false");
			d = f.description || "";
			addSpan(b, "what", (k + 1) + ". " + d.charAt(0).toUpperCase() + d.slice(1));
			addSpan(b, "where", [findingWhere(f), findingShape(f)].filter(Boolean).join(": "));
			addSpan(b, "strength", findingStrength(f));
			addSpan(b, "frames", findingFrames(f));
			b.title = (k + 1) + ": " + d;
			b.addEventListener("click", pickFinding.bind(null, k));
			li.appendChild(b);
			list.appendChild(li);
		}
		$("findings").style.setProperty("--mark", markColour());
	}

	/* ---------- zoom levels of the heat map ---------- */

	var scales = [];

	function defaultView() {
		var h = P.meta.heatmap;

		return { step: h.step, from: h.from, to: h.to, fromS: h.from === null ? null : String(h.from),
			 toS: h.to === null ? null : String(h.to) };
	}

	function spanOf(v) {
		var last = P.last - P.origin;

		return (v.to !== null ? v.to : last) - (v.from !== null ? v.from : 0);
	}

	/* columns a window shows: what fits the screen at 4 px a column */
	function screenColumns() {
		return Math.max(60, Math.min(P.meta.heatmap.max_columns - 1,
					     Math.floor((Math.max(doc.documentElement.clientWidth, 600) - 140) / 4)));
	}

	/*
	 * Column widths offered: the report's step, the round steps above it up
	 * to one that shows the whole profile on screen, and the step the
	 * command would raise the whole profile to.
	 */
	function makeScales() {
		var h = P.meta.heatmap, span = spanOf(defaultView()), fit = fitStep(h.step, span, h.max_columns).step;
		var list = [h.step], i;

		for (i = 0; i < ROUND_STEPS.length && span / list[list.length - 1] > screenColumns(); i++)
			if (ROUND_STEPS[i] > h.step)
				list.push(ROUND_STEPS[i]);
		if (list.indexOf(fit) < 0)
			list.push(fit);
		list.sort(function (a, b) { return a - b; });
		scales = list;
	}

	function fmtSeconds(x) {
		var s = cfixed(x, 6);

		return s.indexOf(".") >= 0 ? s.replace(/0+$/, "").replace(/\.$/, "") : s;
	}

	/* The view at column width step around time focus (seconds from the origin). */
	function viewAt(step, focus) {
		var dv = defaultView(), last = P.last - P.origin, W, from, to;

		if (spanOf(dv) / step < P.meta.heatmap.max_columns) {
			dv.step = step;
			return dv;
		}
		W = screenColumns();
		from = Math.max(0, Math.floor((focus - W * step / 2) / step) * step);
		if (from + (W - 1) * step > last)
			from = Math.max(0, Math.floor((last - (W - 1) * step) / step) * step);
		to = Math.min(last, from + W * step - 1e-6);
		return { step: step, from: from, to: to, fromS: fmtSeconds(from), toS: fmtSeconds(to) };
	}

	function viewCenter() {
		if (S.sel)
			return (S.sel.start + S.sel.end) / 2;
		if (!HM)
			return 0;
		return HM.from + HM.columns * HM.step / 2;
	}

	function setView(v) {
		S.view = v;
		computeHeatmap();
		drawHeatmap();
		drawScales();
		saveState();
	}

	function zoomTo(step) {
		setView(viewAt(step, viewCenter()));
	}

	function zoomBy(dir) {
		var i = scales.indexOf(HM.step);

		if (i < 0) {
			for (i = 0; i < scales.length && scales[i] < HM.step; i++)
				;
			if (dir > 0)
				i--;
		}
		i = Math.max(0, Math.min(scales.length - 1, i - dir));
		zoomTo(scales[i]);
	}

	function pan(dir) {
		var v = S.view, span;

		if (v.from === null && v.to === null)
			return;
		span = HM.columns * HM.step;
		setView(viewAt(HM.step, HM.from + span / 2 + dir * span / 2));
	}

	function drawScales() {
		var box = $("scales"), i, b, whole = S.view.from === null && S.view.to === null;

		box.textContent = "";
		for (i = 0; i < scales.length; i++) {
			b = doc.createElement("button");
			b.type = "button";
			b.textContent = cg(scales[i], 6) + " s";
			b.setAttribute("aria-pressed", scales[i] === HM.step ? "true" : "false");
			b.addEventListener("click", zoomTo.bind(null, scales[i]));
			box.appendChild(b);
		}
		$("pan-left").disabled = whole || HM.from <= 0;
		$("pan-right").disabled = whole || HM.to >= P.last - P.origin;
		$("view-info").textContent = (whole ? "whole profile" : fmtSeconds(HM.from) + "-" +
			fmtSeconds(HM.to) + " s") + ", " + HM.columns + " columns of " + cg(HM.step, 6) + " s, " +
			HM.rows + " rows of " + cg(1000 * HM.step / HM.rows, 6) + " ms" +
			(HM.raised ? " (raised to fit)" : "");
	}

	function computeHeatmap() {
		var h = P.meta.heatmap, v = S.view, t0 = performance.now();

		HM = heatmap(P, F, { rows: h.rows, step: v.step, from: v.fromS === null ? null : parseFloat(v.fromS),
				     to: v.toS === null ? null : parseFloat(v.toS), maxColumns: h.max_columns });
		perf.heatmapMs = performance.now() - t0;
	}

	/* ---------- the flame graph ---------- */

	/*
	 * Drawn on a canvas (thousands of SVG elements take seconds to lay out),
	 * with each labelled frame's name as a text element over it, so the
	 * browser's find and copy work as in flamegraph.pl's SVG, where only
	 * frames wide enough carry their name. The geometry, colours, titles and
	 * labels are flame-svg.c's, to the printf digit; frames() hands them to
	 * the tests in the SVG's own terms.
	 */
	var XPAD = 10, FRAMEPAD = 1, FONTSIZE = 12, FONTWIDTH = 0.59, FH = 16, YPAD1 = 8, YPAD2 = 4;
	var SEARCH_FILL = "rgb(230,0,230)";

	/* the section's width: the graph's box is hidden until a range is chosen, and the page's scrollbar has its room */
	function flameWidth() {
		return Math.max(400, Math.floor($("flame").clientWidth || 1200));
	}

	/* flame-svg.c's put_frame(): where a frame goes, its colour and title */
	function makeFrame(G, i) {
		var node = G.vis.node[i], depth = G.vis.depth[i], t = G.vis.t[i], T = G.T;
		var name = node ? str(P, P.nodeName[node]) : "all", value = T.value[node], f, s, c = null;

		f = { node: node, depth: depth, t: t, v: value, name: name,
		      x1: XPAD + t * G.wpt, x2: XPAD + (t + value) * G.wpt,
		      y1: G.height - YPAD2 - (depth + 1) * FH + FRAMEPAD, y2: G.height - YPAD2 - depth * FH };
		if (T.differential) {
			s = self(P, T, node);
			c = diffColour(s[0], s[1], G.maxDelta);
		}
		f.fill = c ? "rgb(" + c[0] + "," + c[1] + "," + c[2] + ")" : nodeFill(node);
		f.px = f.x1;
		f.pw = f.x2 - f.x1;
		f.hide = false;
		f.fade = false;
		f.match = false;
		return f;
	}

	/* A frame's title, as flame-svg.c writes it: made when shown, not for every frame drawn. */
	function frameInfo(f) {
		var G = FG, s, d, info;

		info = f.name + " (" + thousands(f.v) + " " + weightName() + ", " +
			(f.node ? cfixed(100 * f.v / G.total, 2) + "%" : "100%");
		if (G.T.differential) {
			s = self(P, G.T, f.node);
			d = s[0] - s[1];
			info += "; " + (d > 0 ? "+" : "") + cfixed(100 * d / G.total, 2) + "%";
		}
		return info + ")";
	}

	/* A frame's colour by name and kind, computed once per name. */
	var fills = new Map(), fillScheme = null;

	function nodeFill(node) {
		var key = node ? P.nodeName[node] * 8 + P.nodeKind[node] : -1, f = fills.get(key), c;

		if (fillScheme !== S.colors) {
			fills.clear();
			fillScheme = S.colors;
			f = undefined;
		}
		if (f === undefined) {
			/* flamegraph.pl colours its root by the empty name */
			c = node ? frameColour(S.colors, strBytes(P, P.nodeName[node]), str(P, P.nodeName[node]),
					       P.nodeKind[node], P.meta.flame.hash) :
				frameColour(S.colors, new Uint8Array(0), "", 0, P.meta.flame.hash);
			f = "rgb(" + c[0] + "," + c[1] + "," + c[2] + ")";
			fills.set(key, f);
		}
		return f;
	}

	/* flamegraph.pl scales colours by the largest self change */
	function maxDelta(T) {
		var max = 1, i, s, d;

		for (i = 0; i < P.nodes; i++) {
			if (!T.present[i])
				continue;
			s = self(P, T, i);
			d = Math.abs(s[0] - s[1]);
			if (d > max)
				max = d;
		}
		return max;
	}

	function chars(w) {
		return Math.floor(w / (FONTSIZE * FONTWIDTH));
	}

	/* flame-svg.c's background(): a gradient, top to bottom, that white frames show against */
	function background(scheme) {
		if (scheme === "mem")
			return ["#eef2ee", "#e0ffe0"];
		if (scheme === "io")
			return ["#eeeeee", "#e0e0ff"];
		if (["red", "green", "blue", "aqua", "yellow", "purple", "orange"].indexOf(scheme) >= 0)
			return ["#f8f8f8", "#e8e8e8"];
		return ["#eeeeee", "#eeeeb0"];
	}

	var BAND = 256;

	/*
	 * The frames are drawn on canvases of BAND pixels' height, one per band of
	 * the graph, and only the bands on screen at once: the browser copies
	 * every pixel of a canvas drawn into to the compositor at the next frame,
	 * so one canvas as tall as the graph cost more than drawing it (and a
	 * band of 512 px twice one of 256 when the graph's top edge is what is on
	 * screen). The others are drawn after that frame, one at a time when the
	 * page is idle, nearest first, and at once when they come near the screen
	 * (an IntersectionObserver) or the page is printed. A band's canvas joins
	 * the page when drawn, so an undrawn band shows the gradient, the CSS
	 * background of #flame-canvas, never an older graph. The canvases are
	 * kept for the next graph: a canvas's first context costs more than
	 * drawing.
	 */
	var bandPool = [], bandObserver = null;

	function bandCanvas(G) {
		var c = bandPool.pop() || doc.createElement("canvas"), dpr = window.devicePixelRatio || 1;

		if (c.width !== Math.round(G.width * dpr) || c.height !== Math.round(BAND * dpr))
			setupCanvas(c, G.width, BAND);
		return c;
	}

	/* The band's frames, as flame-svg.c places them: the rows that cross it, each row in the graph's order. */
	function drawBand(G, band) {
		var top = band.b * BAND, dpr = window.devicePixelRatio || 1, ctx, d, row, k, f, y1;

		band.canvas = band.canvas || bandCanvas(G);
		ctx = band.canvas.getContext("2d");
		ctx.setTransform(dpr, 0, 0, dpr, 0, -top * dpr);
		ctx.clearRect(0, top, G.width, BAND);
		for (d = 0; d < G.rows.length; d++) {
			y1 = G.height - YPAD2 - (d + 1) * FH + FRAMEPAD;
			row = G.rows[d];
			if (!row || y1 >= top + BAND || y1 + FH - FRAMEPAD <= top)
				continue;
			for (k = 0; k < row.length; k++) {
				f = G.list[row[k]];
				if (f.hide || f.pw <= 0)
					continue;
				ctx.globalAlpha = f.fade ? 0.5 : 1;
				ctx.fillStyle = f.match ? SEARCH_FILL : f.fill;
				if (f.pw >= 4) {
					ctx.beginPath();
					ctx.roundRect(f.px, f.y1, f.pw, f.y2 - f.y1, 2);
					ctx.fill();
				} else {
					ctx.fillRect(f.px, f.y1, f.pw, f.y2 - f.y1);
				}
			}
		}
		ctx.globalAlpha = 1;
		band.drawn = true;
		if (band.canvas.parentNode !== band.el)
			band.el.appendChild(band.canvas);
	}

	function bandsSeen(entries) {
		entries.forEach(function (e) {
			var band = e.target.band;

			if (e.isIntersecting && FG && FG.bands[band.b] === band && !band.drawn)
				drawBand(FG, band);
		});
	}

	/* The bands not drawn yet, nearest to the screen first, one per idle moment; gen says which painting they are of. */
	function drawSoon(G, gen) {
		var idle = window.requestIdleCallback || function (fn) { return setTimeout(fn, 16); };

		idle(function () {
			var top, mid = window.innerHeight / 2, best = null, d, min = Infinity;

			if (FG !== G || G.gen !== gen)
				return;
			top = G.bands[0].el.parentNode.getBoundingClientRect().top;
			G.bands.forEach(function (band) {
				d = Math.abs(top + band.b * BAND + BAND / 2 - mid);
				if (!band.drawn && d < min)
					best = band, min = d;
			});
			if (best) {
				drawBand(G, best);
				drawSoon(G, gen);
			}
		}, { timeout: 1000 });
	}

	/* The graph's bands: their places in the page, nothing drawn yet. */
	function makeBands(G, box) {
		var b, el;

		G.bands = [];
		for (b = 0; b * BAND < G.height; b++) {
			el = doc.createElement("div");
			el.style.top = b * BAND + "px";
			el.style.height = Math.min(BAND, G.height - b * BAND) + "px";
			G.bands.push(el.band = { b: b, el: el, canvas: null, drawn: false });
			box.appendChild(el);
		}
	}

	/* The graph's canvases back to the pool, when it goes. */
	function dropBands(G) {
		if (!G || !G.bands)
			return;
		G.bands.forEach(function (band) {
			if (band.canvas) {
				band.canvas.remove();
				bandPool.push(band.canvas);
			}
			band.canvas = null;
		});
		G.bands = [];
	}

	/*
	 * The frames on their bands, their labels as text over them. The gradient
	 * is the CSS background of the bands' box (the compositor paints what is
	 * on screen), and the labels go in bands of BAND pixels too, whose layout
	 * the browser skips while they are off screen (content-visibility), still
	 * found by its find. The bands on screen are drawn now, before the next
	 * frame; the others when they come near.
	 */
	function paintFlame(G, labels) {
		var k, f, frag = doc.createDocumentFragment(), el, bands = [], b, bg = background(S.colors), box, view, top;

		G = G || FG;
		labels = labels || $("flame-labels");
		box = G.bands[0].el.parentNode;
		box.style.background = "linear-gradient(" + bg[0] + " 5%, " + bg[1] + " 95%)";
		for (k = 0; k < G.list.length; k++) {
			f = G.list[k];
			if (f.hide || f.pw <= 0 || chars(f.pw) < 3)
				continue;
			b = Math.floor(f.y1 / BAND);
			if (!bands[b]) {
				bands[b] = doc.createElement("div");
				bands[b].className = "band";
				bands[b].style.top = b * BAND + "px";
				bands[b].style.height = BAND + "px";
				frag.appendChild(bands[b]);
			}
			el = doc.createElement("span");
			el.textContent = f.name;
			el.style.left = (f.px + 3) + "px";
			el.style.top = (f.y1 - b * BAND) + "px";
			el.style.width = (f.pw - 3) + "px";
			if (f.fade)
				el.className = "fade";
			bands[b].appendChild(el);
		}
		labels.textContent = "";
		labels.appendChild(frag);
		view = box.getBoundingClientRect();
		top = view.top;
		if (!bandObserver)
			bandObserver = new IntersectionObserver(bandsSeen, { rootMargin: "25% 0px" });
		bandObserver.disconnect();
		G.bands.forEach(function (band) {
			var y = top + band.b * BAND;

			band.drawn = false;
			/* on screen (or in a box that is not shown, as warm() draws it): now */
			if (!view.height || (y < window.innerHeight && y + BAND > 0))
				drawBand(G, band);
			else if (band.canvas)
				band.canvas.remove();
			if (view.height)
				bandObserver.observe(band.el);
		});
		G.gen = (G.gen || 0) + 1;
		if (view.height)
			drawSoon(G, G.gen);
	}

	/* The frames of a tree laid out at width, as flame-svg.c does; no DOM yet. */
	function layoutGraph(T, width) {
		var total = T.value[0], G = { T: T, total: total, wpt: (width - 2 * XPAD) / total, width: width,
					     zoomed: null, list: [], rows: [] }, i;

		G.vis = collect(P, T, 0.1 / G.wpt);
		G.height = (G.vis.depthmax + 1) * FH + YPAD1 + YPAD2;
		G.maxDelta = T.differential ? maxDelta(T) : 1;
		for (i = 0; i < G.vis.node.length; i++) {
			G.list.push(makeFrame(G, i));
			(G.rows[G.vis.depth[i]] = G.rows[G.vis.depth[i]] || []).push(i);
		}
		return G;
	}

	function drawFlame() {
		var box = $("flame-box"), t0 = performance.now(), width, total, i, G, canvas, labels;

		markFinding();
		if (!S.sel) {
			/* the section stays, saying what to do: the page does not jump at the first range */
			$("flame-title").textContent = "Flame graph";
			$("flame-info").textContent = "click a start cell and an end cell of the heat map, or drag, " +
				"for the flame graph of that range";
			$("flame").classList.add("empty");
			$("unzoom").hidden = $("normalize-box").hidden = true;
			dropBands(FG);
			box.textContent = "";
			FG = T = null;
			return;
		}
		$("flame").classList.remove("empty");
		T = rangeTree(P, F, S.sel, S.cmp, S.normalize);
		perf.treeMs = performance.now() - t0;
		width = flameWidth();
		total = T.value[0];
		describeRange(total);
		dropBands(FG);
		box.textContent = "";
		FG = null;
		if (!total) {
			var p = doc.createElement("p");
			p.className = "details";
			p.textContent = "ERROR: No stack counts found";
			box.appendChild(p);
			perf.flameMs = performance.now() - t0;
			return;
		}
		G = layoutGraph(T, width);
		perf.framesMs = performance.now() - t0;
		canvas = doc.createElement("div");
		canvas.id = "flame-canvas";
		canvas.style.width = width + "px";
		canvas.style.height = G.height + "px";
		labels = doc.createElement("div");
		labels.id = "flame-labels";
		labels.style.width = width + "px";
		labels.style.height = G.height + "px";
		var hoverBox = doc.createElement("div");
		hoverBox.id = "flame-hover";
		hoverBox.hidden = true;
		box.appendChild(canvas);
		box.appendChild(labels);
		box.appendChild(hoverBox);
		makeBands(G, canvas);
		FG = G;
		if (S.zoom) {
			for (i = 0; i < G.list.length; i++)
				if (G.list[i].node === S.zoom)
					break;
			if (i < G.list.length)
				placeZoom(G.list[i]);
			else
				S.zoom = 0;
		}
		$("unzoom").hidden = !G.zoomed;
		markSearch();
		paintFlame(FG);
		perf.flameMs = performance.now() - t0;
	}

	function describeRange(total) {
		var s = S.sel, info, c = S.cmp;

		$("flame-title").textContent = T.differential ? "Differential flame graph" : "Flame graph";
		$("copy").hidden = false;
		info = s.s + "-" + s.e + " s, " + thousands(total) + " " + weightName();
		if (T.differential)
			info += "; red grew, blue shrank against " + c.s + "-" + c.e + " s (" + thousands(T.valueB[0]) +
				" " + weightName() + ")";
		$("flame-info").textContent = info;
		$("normalize-box").hidden = !T.differential;
		$("command").textContent = commandLine();
	}

	/* flame-svg.c's zoom(): the frame's subtree across the width, its ancestors faded */
	function placeZoom(z) {
		var G = FG, k, f, scale = (G.width - 2 * XPAD) / z.v;

		G.zoomed = z;
		S.zoom = z.node;
		for (k = 0; k < G.list.length; k++) {
			f = G.list[k];
			f.fade = false;
			f.hide = false;
			if (f.y1 > z.y1) {
				if (f.t <= z.t && f.t + f.v >= z.t + z.v) {
					f.fade = true;
					f.px = XPAD;
					f.pw = G.width - 2 * XPAD;
				} else {
					f.hide = true;
				}
			} else if (f.t >= z.t && f.t + f.v <= z.t + z.v) {
				f.px = XPAD + (f.t - z.t) * scale;
				f.pw = f.v * scale;
			} else {
				f.hide = true;
			}
		}
	}

	function zoomFrame(z) {
		placeZoom(z);
		$("unzoom").hidden = false;
		markSearch();
		paintFlame(FG);
		saveState();
	}

	function unzoom() {
		var G = FG, k, f, scale;

		S.zoom = 0;
		$("unzoom").hidden = true;
		if (!G)
			return;
		scale = (G.width - 2 * XPAD) / G.total;
		G.zoomed = null;
		for (k = 0; k < G.list.length; k++) {
			f = G.list[k];
			f.fade = f.hide = false;
			f.px = XPAD + f.t * scale;
			f.pw = f.v * scale;
		}
		markSearch();
		paintFlame(FG);
		saveState();
	}

	/* flame-svg.c's covered(): matched counts, a match nested in another once */
	function covered(m, lo, hi) {
		var k, sum = 0, end = -1, a, b;

		m.sort(function (p, q) { return p.t - q.t || q.v - p.v; });
		for (k = 0; k < m.length; k++) {
			if (m[k].t < end)
				continue;
			end = m[k].t + m[k].v;
			a = Math.max(m[k].t, lo);
			b = Math.min(end, hi);
			if (b > a)
				sum += b - a;
		}
		return sum;
	}

	/* The search in the flame graph: matching frames in magenta and the matched share. */
	function markSearch() {
		var G = FG, k, m = [], re = F.search, msg = "";

		if (G) {
			for (k = 0; k < G.list.length; k++) {
				G.list[k].match = !!re && (re.lastIndex = 0, re.test(G.list[k].name));
				if (G.list[k].match)
					m.push(G.list[k]);
			}
			if (re) {
				msg = "Matched: " + cfixed(100 * covered(m, 0, G.total) / G.total, 2) + "%";
				if (G.zoomed)
					msg += " (" + cfixed(100 * covered(m, G.zoomed.t, G.zoomed.t + G.zoomed.v) / G.zoomed.v, 2) +
						"% of zoom)";
			}
		}
		$("matched").textContent = msg;
	}

	/* The frame under a point of the flame graph, by its row and then its place. */
	function frameAt(ev) {
		var G = FG, rect, x, y, depth, row, k, f;

		if (!G)
			return null;
		rect = $("flame-canvas").getBoundingClientRect();
		x = ev.clientX - rect.left;
		y = ev.clientY - rect.top;
		depth = Math.floor((G.height - YPAD2 - y) / FH);
		row = G.rows[depth];
		if (!row)
			return null;
		for (k = 0; k < row.length; k++) {
			f = G.list[row[k]];
			if (!f.hide && x >= f.px && x < f.px + f.pw && y >= f.y1 && y <= f.y2)
				return f;
		}
		return null;
	}

	function flameEvents() {
		var box = $("flame-box");

		box.addEventListener("mousemove", function (ev) {
			var f = frameAt(ev), G = FG, s, hb = $("flame-hover");

			if (!hb)
				return;
			if (!f) {
				hb.hidden = true;
				$("flame-details").textContent = "\u00a0";
				return;
			}
			s = "Function: " + frameInfo(f);
			if (G.zoomed && f !== G.zoomed && !(f.y1 > G.zoomed.y1))
				s += " [" + cfixed(100 * f.v / G.zoomed.v, 2) + "% of zoomed frame]";
			$("flame-details").textContent = s;
			hb.hidden = false;
			hb.style.left = f.px + "px";
			hb.style.top = f.y1 + "px";
			hb.style.width = f.pw + "px";
			hb.style.height = (f.y2 - f.y1) + "px";
		});
		box.addEventListener("mouseleave", function () {
			var hb = $("flame-hover");

			if (hb)
				hb.hidden = true;
			$("flame-details").textContent = "\u00a0";
		});
		box.addEventListener("click", function (ev) {
			var f = frameAt(ev), sel = window.getSelection();

			/* a drag that selected a name to copy is not a click */
			if (!f || (sel && !sel.isCollapsed && box.contains(sel.anchorNode)))
				return;
			if (f === FG.list[0])
				unzoom();
			else
				zoomFrame(f);
		});
	}

	/* ---------- the command line for the range ---------- */

	function quote(s) {
		if (/^[A-Za-z0-9_\/.,:+=@%-]+$/.test(s))
			return s;
		return "'" + s.replace(/'/g, "'\\''") + "'";
	}

	function commandLine() {
		var cli = P.meta.cli, words = cli.words.slice(), dl = cli.dlarg;

		function opt(key, val) {
			if (dl)
				words.push("--dlarg", val === undefined ? key : key + "=" + val);
			else if (val === undefined)
				words.push("--" + key);
			else
				words.push("--" + key, val);
		}
		if (P.meta.several_events)
			opt("event", eventName(S.event));
		if (S.pid !== null)
			opt("pid", String(S.pid));
		else if (cli.pids.length)
			opt("pid", cli.pids.join(","));
		if (S.tid !== null)
			opt("tid", String(S.tid));
		else if (cli.tids.length)
			opt("tid", cli.tids.join(","));
		if (S.comm !== null)
			opt("comm", str(P, S.comm));
		else if (cli.comms.length)
			opt("comm", cli.comms.join(","));
		if (S.includeIdle)
			opt("include-idle");
		if (S.rule === "leaf")
			opt("idle-rule", "leaf");
		if (F.useWeight)
			opt("weight", P.meta.offcpu && eventName(S.event) === "sched:sched_switch" ? "offcpu" : "period");
		opt("start", S.sel.s);
		opt("end", S.sel.e);
		if (S.cmp) {
			opt("compare", S.cmp.s + "," + S.cmp.e);
			if (S.normalize)
				opt("normalize");
		}
		if (S.colors !== "hot")
			opt("colors", S.colors);
		if (P.meta.flame.hash)
			opt("hash");
		if (dl)
			words.push("--dlarg", "flamegraph=flamegraph.svg");
		else
			words.push("-o", "flamegraph.svg");
		return words.map(quote).join(" ");
	}

	function copyCommand() {
		var text = $("command").textContent, sel, range;

		function done(ok) {
			$("copy").textContent = ok ? "Copied" : "Select and copy";
			setTimeout(function () { $("copy").textContent = "Copy"; }, 1500);
		}
		sel = window.getSelection();
		range = doc.createRange();
		range.selectNodeContents($("command"));
		sel.removeAllRanges();
		sel.addRange(range);
		if (navigator.clipboard && navigator.clipboard.writeText)
			navigator.clipboard.writeText(text).then(function () { done(true); },
				function () { done(doc.execCommand("copy")); });
		else
			done(doc.execCommand("copy"));
	}

	/* ---------- controls ---------- */

	function option(sel, value, text) {
		var o = doc.createElement("option");

		o.value = value;
		o.textContent = text;
		sel.appendChild(o);
	}

	/* Per thread sample counts of the event shown, for the pickers. */
	function threadCounts() {
		var n = new Float64Array(P.threads), i, ev = P.event;

		for (i = 0; i < P.samples; i++)
			if ((ev ? ev[i] : P.meta.sample_event) === S.event)
				n[P.thread[i]]++;
		return n;
	}

	function fillPickers() {
		var n = threadCounts(), byPid = new Map(), byComm = new Map(), i, list, sel;

		for (i = 0; i < P.threads; i++) {
			if (!n[i])
				continue;
			var p = byPid.get(P.pid[i]) || { n: 0, comm: P.comm[i] };
			p.n += n[i];
			if (P.pid[i] === P.tid[i])
				p.comm = P.comm[i];
			byPid.set(P.pid[i], p);
			byComm.set(P.comm[i], (byComm.get(P.comm[i]) || 0) + n[i]);
		}
		sel = $("pid");
		sel.length = 1;
		list = Array.from(byPid.entries()).sort(function (a, b) { return b[1].n - a[1].n || a[0] - b[0]; });
		for (i = 0; i < list.length; i++)
			option(sel, list[i][0], list[i][0] + " " + str(P, list[i][1].comm) + " (" + thousands(list[i][1].n) + ")");
		sel.value = S.pid === null ? "" : String(S.pid);
		sel = $("comm");
		sel.length = 1;
		list = Array.from(byComm.entries()).sort(function (a, b) { return b[1] - a[1]; });
		for (i = 0; i < list.length; i++)
			option(sel, list[i][0], str(P, list[i][0]) + " (" + thousands(list[i][1]) + ")");
		sel.value = S.comm === null ? "" : String(S.comm);
		sel = $("tid");
		sel.length = 1;
		list = [];
		for (i = 0; i < P.threads; i++)
			if (n[i] && (S.pid === null || P.pid[i] === S.pid))
				list.push(i);
		list.sort(function (a, b) { return n[b] - n[a]; });
		var seen = new Set();
		for (i = 0; i < list.length && seen.size < 500; i++) {
			if (seen.has(P.tid[list[i]]))
				continue;
			seen.add(P.tid[list[i]]);
			option(sel, P.tid[list[i]], P.tid[list[i]] + " " + str(P, P.comm[list[i]]) + " (" + thousands(n[list[i]]) + ")");
		}
		sel.value = S.tid === null ? "" : String(S.tid);
	}

	function fillControls() {
		var m = P.meta, i, sel = $("event");

		for (i = 0; i < m.events.length; i++)
			if (P.eventCount[i])
				option(sel, i, str(P, m.events[i]) + " (" + thousands(P.eventCount[i]) + ")");
		$("event-box").hidden = sel.length < 2;
		sel = $("weight");
		option(sel, "samples", "samples");
		if (P.period) {
			option(sel, "period", m.offcpu ? "period (off-CPU ns)" : "period");
			$("weight-box").hidden = false;
		}
		sel = $("colors");
		for (i = 0; i < SCHEMES.length; i++)
			option(sel, SCHEMES[i], SCHEMES[i]);
	}

	function syncControls() {
		$("event").value = String(S.event);
		$("weight").value = S.weight === "samples" || !P.period ? "samples" : "period";
		$("idle").checked = S.includeIdle;
		$("rule").value = S.rule;
		$("search").value = S.search;
		$("ic").checked = S.ic;
		$("only").checked = S.only;
		$("normalize").checked = S.normalize;
		$("colors").value = S.colors;
		fillPickers();
	}

	/* Filters changed: everything is recomputed. */
	function refilter() {
		var f = F = filterOf();

		/* the whole profile's tree, for the new filters, once the page is drawn */
		afterPaint(function () {
			if (F === f)
				keepTree(P, F, { start: 0, end: P.last - P.origin });
		});
		prepareFilter(P, F);
		$("search").classList.toggle("bad", !!S.search && !F.search);
		computeHeatmap();
		drawHeatmap();
		drawScales();
		drawFlame();
		saveState();
	}

	function controlEvents() {
		function num(v) { return v === "" ? null : parseInt(v, 10); }

		$("controls").addEventListener("submit", function (ev) { ev.preventDefault(); });
		$("event").addEventListener("change", function () {
			S.event = parseInt(this.value, 10);
			fillPickers();
			refilter();
		});
		$("weight").addEventListener("change", function () {
			S.weight = this.value === "period" ? (P.meta.offcpu ? "offcpu" : "period") : "samples";
			refilter();
		});
		$("idle").addEventListener("change", function () { S.includeIdle = this.checked; refilter(); });
		$("rule").addEventListener("change", function () { S.rule = this.value; refilter(); });
		$("pid").addEventListener("change", function () {
			S.pid = num(this.value);
			S.tid = null;
			fillPickers();
			refilter();
		});
		$("tid").addEventListener("change", function () { S.tid = num(this.value); refilter(); });
		$("comm").addEventListener("change", function () { S.comm = num(this.value); refilter(); });
		var timer = null;
		$("search").addEventListener("input", function () {
			var v = this.value;

			clearTimeout(timer);
			timer = setTimeout(function () { S.search = v; refilter(); }, 150);
		});
		$("search").addEventListener("keydown", function (ev) {
			if (ev.key === "Enter") {
				clearTimeout(timer);
				S.search = this.value;
				refilter();
			} else if (ev.key === "Escape") {
				this.value = "";
				S.search = "";
				refilter();
			}
		});
		$("ic").addEventListener("change", function () { S.ic = this.checked; refilter(); });
		$("only").addEventListener("change", function () { S.only = this.checked; refilter(); });
		$("normalize").addEventListener("change", function () { S.normalize = this.checked; drawFlame(); saveState(); });
		$("colors").addEventListener("change", function () { S.colors = this.value; drawFlame(); saveState(); });
		$("unzoom").addEventListener("click", unzoom);
		$("copy").addEventListener("click", copyCommand);
		$("whole").addEventListener("click", function () { setView(defaultView()); });
		$("pan-left").addEventListener("click", function () { pan(-1); });
		$("pan-right").addEventListener("click", function () { pan(1); });
		var resizeTimer = null;
		window.addEventListener("resize", function () {
			clearTimeout(resizeTimer);
			resizeTimer = setTimeout(function () {
				if (FG && flameWidth() !== FG.width)
					drawFlame();
			}, 200);
		});
	}

	/* Arrows move the selection (or the cursor), Enter draws, Escape clears. */
	function keyEvents() {
		doc.addEventListener("keydown", function (ev) {
			var tag = ev.target.tagName, n = HM.columns * HM.rows, d = 0, cells, a;

			if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA" || ev.altKey || ev.metaKey)
				return;
			if ((ev.ctrlKey && ev.key === "f") || ev.key === "/") {
				ev.preventDefault();
				$("search").focus();
				return;
			}
			if (ev.ctrlKey)
				return;
			switch (ev.key) {
			case "ArrowLeft": d = -HM.rows; break;
			case "ArrowRight": d = HM.rows; break;
			case "ArrowUp": d = 1; break;
			case "ArrowDown": d = -1; break;
			case "Enter":
				ev.preventDefault();
				if (pend) {
					choose(pend.a, cursor >= 0 ? cursor : pend.a, pend.mode, ev);
				} else if (S.selMoved) {
					S.selMoved = false;
					drawFlame();
					saveState();
				} else if (cursor >= 0) {
					pend = { a: cursor, mode: ev.shiftKey ? "cmp" : "sel" };
					drawOverlay();
				}
				return;
			case "Escape":
				if (pend || drag)
					pend = drag = null;
				else if (S.cmp)
					S.cmp = null;
				else
					S.sel = null;
				drawOverlay();
				drawFlame();
				saveState();
				return;
			case "+": case "=": zoomBy(1); return;
			case "-": case "_": zoomBy(-1); return;
			case "PageUp": ev.preventDefault(); pan(-1); return;
			case "PageDown": ev.preventDefault(); pan(1); return;
			case "Home": ev.preventDefault(); setView(defaultView()); return;
			default: return;
			}
			ev.preventDefault();
			if (pend || !S.sel) {
				cursor = Math.max(0, Math.min(n - 1, (cursor >= 0 ? cursor : 0) + d));
				$("heat-details").textContent = cellText(cursor);
				drawOverlay();
				return;
			}
			cells = rangeCells(S.sel);
			if (!cells)
				return;
			a = cells[0] + d;
			if (a < 0 || cells[1] + d >= n)
				return;
			S.sel = rangeOf(a, cells[1] + d);
			S.selMoved = true;
			cursor = cells[1] + d;
			$("heat-details").textContent = S.sel.s + "-" + S.sel.e + " s selected: Enter draws its flame graph";
			drawOverlay();
		});
	}

	/* ---------- the URL fragment ---------- */

	function saveState() {
		var q = [];

		function put(k, v) { q.push(k + "=" + encodeURIComponent(v)); }
		if (S.sel) {
			put("start", S.sel.s);
			put("end", S.sel.e);
		}
		if (S.cmp)
			put("compare", S.cmp.s + "," + S.cmp.e);
		if (S.normalize)
			put("normalize", 1);
		if (S.search)
			put("search", S.search);
		if (S.ic)
			put("ic", 1);
		if (S.only)
			put("only", 1);
		if (S.event !== P.meta.state.event)
			put("event", eventName(S.event));
		if (S.includeIdle !== P.meta.state.include_idle)
			put("idle", S.includeIdle ? 1 : 0);
		if (S.rule !== P.meta.state.idle_rule)
			put("rule", S.rule);
		if (S.weight !== P.meta.state.weight)
			put("weight", S.weight);
		if (S.pid !== null)
			put("pid", S.pid);
		if (S.tid !== null)
			put("tid", S.tid);
		if (S.comm !== null)
			put("comm", str(P, S.comm));
		if (S.colors !== P.meta.flame.colors)
			put("colors", S.colors);
		if (S.view && (S.view.step !== P.meta.heatmap.step || S.view.fromS !== defaultView().fromS ||
			       S.view.toS !== defaultView().toS)) {
			put("step", cg(S.view.step, 17));
			if (S.view.fromS !== null)
				put("from", S.view.fromS);
			if (S.view.toS !== null)
				put("to", S.view.toS);
		}
		if (S.zoom)
			put("zoom", S.zoom);
		try {
			history.replaceState(null, "", q.length ? "#" + q.join("&") : location.pathname + location.search);
		} catch (err) {
			/* some browsers refuse replaceState on file: URLs; the page still works */
		}
	}

	function seconds(s) {
		return /^[0-9]+(\.[0-9]*)?$/.test(s) ? s : null;
	}

	function range(a, b) {
		if (seconds(a) === null || seconds(b) === null || parseFloat(b) < parseFloat(a))
			return null;
		return { s: a, e: b, start: parseFloat(a), end: parseFloat(b) };
	}

	/* The state the page opens with: the report's options, then the fragment. */
	function loadState() {
		var m = P.meta, st = m.state, h = {}, parts = location.hash.replace(/^#/, "").split("&"), i, kv, v;

		S.event = st.event;
		S.includeIdle = st.include_idle;
		S.rule = st.idle_rule;
		S.weight = P.period ? st.weight : "samples";
		S.colors = m.flame.colors;
		S.view = defaultView();
		if (st.start !== null || st.end !== null)
			S.sel = range(String(st.start !== null ? st.start : 0),
				      String(st.end !== null ? st.end : P.last - P.origin));
		for (i = 0; i < parts.length; i++) {
			if (!parts[i])
				continue;
			kv = parts[i].split("=");
			try {
				h[decodeURIComponent(kv[0])] = decodeURIComponent(kv.slice(1).join("="));
			} catch (err) {
				/* a malformed part is ignored */
			}
		}
		if (h.start !== undefined || h.end !== undefined)
			S.sel = range(h.start || "0", h.end || fmtSeconds(P.last - P.origin));
		if (h.compare !== undefined) {
			v = h.compare.split(",");
			S.cmp = v.length === 2 ? range(v[0] || "0", v[1] || fmtSeconds(P.last - P.origin)) : null;
		}
		S.normalize = h.normalize === "1";
		if (h.search !== undefined)
			S.search = h.search;
		S.ic = h.ic === "1";
		S.only = h.only === "1";
		if (h.event !== undefined)
			for (i = 0; i < m.events.length; i++)
				if (eventName(i) === h.event)
					S.event = i;
		if (h.idle !== undefined)
			S.includeIdle = h.idle === "1";
		if (h.rule === "leaf" || h.rule === "flamescope")
			S.rule = h.rule;
		if (P.period && (h.weight === "samples" || h.weight === "period" || h.weight === "offcpu"))
			S.weight = h.weight;
		if (h.pid !== undefined && /^-?[0-9]+$/.test(h.pid))
			S.pid = parseInt(h.pid, 10);
		if (h.tid !== undefined && /^-?[0-9]+$/.test(h.tid))
			S.tid = parseInt(h.tid, 10);
		if (h.comm !== undefined)
			for (i = 0; i < P.threads; i++)
				if (str(P, P.comm[i]) === h.comm)
					S.comm = P.comm[i];
		if (h.colors !== undefined && SCHEMES.indexOf(h.colors) >= 0)
			S.colors = h.colors;
		if (h.step !== undefined && parseFloat(h.step) >= 0.001) {
			S.view = { step: parseFloat(h.step), from: null, to: null, fromS: null, toS: null };
			if (h.from !== undefined && seconds(h.from) !== null)
				S.view.fromS = h.from, S.view.from = parseFloat(h.from);
			if (h.to !== undefined && seconds(h.to) !== null)
				S.view.toS = h.to, S.view.to = parseFloat(h.to);
		}
		if (h.zoom !== undefined && /^[0-9]+$/.test(h.zoom))
			S.zoom = parseInt(h.zoom, 10);
	}

	/* ---------- start ---------- */

	/* 12.3 s, 45 min 3 s, 16 h 0 min */
	function duration(s) {
		if (s < 120)
			return cg(s, 3) + " s";
		if (s < 7200)
			return Math.floor(s / 60) + " min " + Math.floor(s % 60) + " s";
		return Math.floor(s / 3600) + " h " + Math.floor(s % 3600 / 60) + " min";
	}

	function summary() {
		var m = P.meta, span = P.last - P.first, nev = Array.from(P.eventCount).filter(Boolean).length;

		$("name").textContent = m.title || m.input.replace(/^.*\//, "");
		doc.title = $("name").textContent + " - FlameScope";
		$("summary").textContent = thousands(P.samples) + " samples" +
			(P.samples !== m.profile_samples ? " (of " + thousands(m.profile_samples) + " in the file)" : "") +
			", " + duration(span) + ", " + P.cpus.length + " cpu" + (P.cpus.length === 1 ? "" : "s") +
			", " + nev + " event" + (nev === 1 ? "" : "s") + " \u2014 " + m.input;
	}

	function fail(err) {
		$("error").hidden = false;
		$("error").textContent = "This report could not be read: " + (err && err.message ? err.message : err);
		$("summary").textContent = "";
		window.flamescope = { ready: true, error: String(err && err.message ? err.message : err) };
	}

	/*
	 * The report's grid (core/report.c's put_grid()), when the address asks
	 * for the heat map the report was made with: what it opens with, drawn
	 * before the samples are decoded. Null otherwise.
	 */
	var GRID = null;
	var SAME_MAP = ["start", "end", "compare", "normalize", "colors", "zoom", "ic", "only"];

	function readGrid() {
		var el = $("fs-grid"), parts = location.hash.replace(/^#/, "").split("&"), g, v, i, k, n, at = 0;

		for (i = 0; i < parts.length; i++)
			if (parts[i] && SAME_MAP.indexOf(parts[i].split("=")[0]) < 0)
				return null;
		if (!el)
			return null;
		g = JSON.parse(el.textContent);
		for (i = 0, n = 0; i < g.values.length; i++)
			n += g.values[i] < 0 ? -g.values[i] : 1;
		if (n !== g.columns * g.rows)
			return null;
		v = new Float64Array(n);
		for (i = 0; i < g.values.length; i++) {
			k = g.values[i];
			if (k < 0)
				at -= k;
			else
				v[at++] = k;
		}
		g.values = v;
		g.maxOpt = g.max;	/* the colour scale's top, 0: the grid's largest cell */
		g.top = 0;
		for (i = 0; i < n; i++)
			if (v[i] > g.top)
				g.top = v[i];
		return g;
	}

	/* The grid drawn first is the one the samples give, in the same place: nothing to redraw. */
	function sameGrid(g, hm) {
		var l = layout(hm), i;

		if (!g || hm.columns !== g.columns || hm.rows !== g.rows || hm.step !== g.step || hm.from !== g.from ||
		    hm.raised !== g.raised || hm.lit || weightName() !== g.weight || P.meta.heatmap.max !== g.maxOpt ||
		    P.meta.heatmap.palette !== g.palette || l.cw !== L.cw || l.ch !== L.ch ||
		    l.width !== L.width || l.height !== L.height)
			return false;
		for (i = 0; i < hm.values.length; i++)
			if (hm.values[i] !== g.values[i])
				return false;
		return true;
	}

	function documentEnd() {
		return doc.readyState !== "loading" ? Promise.resolve() : new Promise(function (resolve) {
			doc.addEventListener("DOMContentLoaded", resolve, { once: true });
		});
	}

	function heatmapOnScreen() {
		afterPaint(function () { perf.heatmapPaintedMs = performance.now(); });
	}

	/*
	 * The script runs before the data block is parsed: the report's grid is
	 * on screen while the browser reads the samples, then they are decoded
	 * and everything else is computed from them.
	 */
	async function main() {
		var t0, bytes, g = null;

		perf.scriptMs = performance.now();
		try {
			g = readGrid();
		} catch (err) {
			g = null;	/* the samples will tell */
		}
		if (g) {
			GRID = g;
			HM = { columns: g.columns, rows: g.rows, step: g.step, from: g.from, raised: g.raised,
			       values: g.values, lit: null, max: g.top, litMax: 0 };
			drawHeatmap();
			perf.gridDrawnMs = performance.now();
			heatmapOnScreen();
		}
		await documentEnd();
		t0 = performance.now();
		bytes = base64($("fs-data").textContent);
		perf.base64Ms = performance.now() - t0;
		bytes = await inflate(bytes);
		perf.inflateMs = performance.now() - t0;
		P = parse(bytes);
		P.first = P.meta.first_us / 1e6;
		perf.parseMs = performance.now() - t0;
		summary();
		fillControls();
		fillFindings();
		loadState();
		makeScales();
		syncControls();
		F = filterOf();
		prepareFilter(P, F);
		computeHeatmap();
		perf.gridSame = g ? sameGrid(g, HM) : null;
		if (perf.gridSame) {
			drawMarks();
			drawOverlay();
		} else {
			drawHeatmap();
		}
		drawScales();
		/* since the page began to load: what a person waits for */
		perf.heatmapShownMs = performance.now();
		if (!g)
			heatmapOnScreen();
		/* the whole profile's tree is readied once the page is on screen, not before */
		afterPaint(warm);
		heatEvents();
		controlEvents();
		keyEvents();
		flameEvents();
		window.addEventListener("beforeprint", function () {
			if (FG)
				FG.bands.forEach(function (band) {
					if (!band.drawn)
						drawBand(FG, band);
				});
		});
		drawFlame();
		window.addEventListener("hashchange", function () {
			loadState();
			syncControls();
			refilter();
		});
		exposeForTests();
	}

	/*
	 * While a person looks at the heat map, the whole profile's tree is built
	 * once and not drawn: the code is compiled, the arrays are in memory and
	 * the common frames' colours are known before the first range is picked.
	 */
	function warm() {
		var t0 = performance.now(), span = P.last - P.origin, W, G, k, c;

		if (!T)	/* a few calls, so the compiler optimises whole functions, not one loop */
			for (k = 0; k < 4; k++)
				rangeTree(P, F, { start: k * span / 4, end: (k + 1) * span / 4 }, null, false);
		W = keepTree(P, F, { start: 0, end: span });
		if (!T) {
			if (W.value[0]) {
				/* the graph's canvases, in place: their first contexts cost more than drawing */
				G = layoutGraph(W, flameWidth());
				c = doc.createElement("div");
				$("flame-box").appendChild(c);
				makeBands(G, c);
				paintFlame(G, doc.createElement("div"));
				dropBands(G);
				c.remove();
			}
		}
		perf.warmMs = performance.now() - t0;
	}

	/* ---------- what the tests read ---------- */

	function exposeForTests() {
		window.flamescope = {
			ready: true,
			perf: perf,
			state: function () { return JSON.parse(JSON.stringify(S)); },
			view: function () {
				return { columns: HM.columns, rows: HM.rows, step: HM.step, from: HM.from, to: HM.to,
					 fromS: S.view.fromS, toS: S.view.toS, raised: HM.raised, max: HM.max,
					 values: Array.from(HM.values), lit: HM.lit ? Array.from(HM.lit) : null,
					 layout: L, scales: scales.slice() };
			},
			cellText: function (i) { return cellText(i); },
			/* per finding, per range: the outline's polygons of (column, row-from-bottom) corners */
			marks: function () { return { colour: markColour(), shapes: markShapes() }; },
			origin: function () { return P.origin; },
			colour: function (i) {
				return hex(heatColour(P.meta.heatmap.palette, HM.values[i], P.meta.heatmap.max || HM.max));
			},
			command: function () { return S.sel ? commandLine() : null; },
			flameJSON: function () { return T ? JSON.stringify(flameJSON(P, T)) : null; },
			/* the frames as flame-svg.c would write them, and where they are drawn */
			frames: function () {
				if (!FG)
					return null;
				var rect = $("flame-canvas").getBoundingClientRect();
				return { width: FG.width, height: FG.height, ypad2: YPAD2, band: BAND, left: rect.left, top: rect.top,
					 frames: FG.list.map(function (f) {
					var n = chars(f.x2 - f.x1);
					return { title: frameInfo(f), x: cfixed(f.x1, 1), y: cfixed(f.y1, 1),
						 width: cfixed(f.x2 - f.x1, 1), height: cfixed(f.y2 - f.y1, 1),
						 fill: f.fill, label: n >= 3 ? truncate(f.name, n) : "",
						 tx: cfixed(f.x1 + 3, 2), ty: cfixed(3 + (f.y1 + f.y2) / 2, 2),
						 px: f.px, pw: f.pw, hide: f.hide, fade: f.fade, match: f.match, depth: f.depth };
				}) };
			},
			select: function (s, e, mode) {
				var R = range(s, e);

				if (mode === "cmp")
					S.cmp = R;
				else
					S.sel = R;
				drawOverlay();
				drawFlame();
				saveState();
			},
			setView: function (step, from, to) {
				setView({ step: step, from: from === null ? null : parseFloat(from),
					  to: to === null ? null : parseFloat(to), fromS: from, toS: to });
			},
			cellBox: function (i) {
				var rect = $("overlay").getBoundingClientRect();
				return { x: rect.left + PAD_LEFT + Math.floor(i / HM.rows) * L.cw + L.cw / 2,
					 y: rect.top + PAD_TOP + (HM.rows - 1 - i % HM.rows) * L.ch + L.ch / 2 };
			}
		};
	}

	main().catch(fail);
})();
