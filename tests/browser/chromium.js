// SPDX-License-Identifier: GPL-2.0-only
/*
 * Debian's chromium driven by playwright-core, which scripts/deps.sh installs
 * into tests/browser/node_modules from the committed package-lock.json (no
 * browser is downloaded). Each launch gets a fresh profile directory, removed
 * on close, and the flags that keep the browser from reaching the network.
 */
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");

const FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
	       "--disable-component-update", "--no-first-run", "--disable-sync",
	       "--disable-default-apps", "--disable-extensions"];
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

/* Why a browser check cannot run here, or null. */
function unavailable() {
	try {
		require.resolve(path.join(__dirname, "node_modules", "playwright-core"));
	} catch (err) {
		return "playwright-core is not installed (scripts/deps.sh installs it)";
	}
	if (!fs.existsSync(CHROMIUM))
		return CHROMIUM + " is not installed (scripts/deps.sh installs chromium)";
	return null;
}

async function launch(options) {
	const { chromium } = require(path.join(__dirname, "node_modules", "playwright-core"));
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flamescope-chromium-"));
	let ctx;

	try {
		ctx = await chromium.launchPersistentContext(dir, Object.assign({
			executablePath: CHROMIUM, headless: true, args: FLAGS,
			viewport: { width: 1400, height: 1000 },
		}, options || {}));
	} catch (err) {
		fs.rmSync(dir, { recursive: true, force: true });
		throw err;
	}
	return {
		ctx,
		async close() {
			await ctx.close().catch(() => {});
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}

module.exports = { launch, unavailable, FLAGS };
