// SPDX-License-Identifier: GPL-2.0-only
/*
 * flamescope report: FlameScope in one offline HTML file (see core/report.h).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "cmdline.h"
#include "commands.h"
#include "options.h"
#include "palette.h"
#include "report.h"

enum {
	OPT_ROWS = OPT_COMMON_END, OPT_STEP, OPT_FROM, OPT_TO, OPT_MAX, OPT_TITLE, OPT_PALETTE,
	OPT_COLORS, OPT_HASH, OPT_KERNEL, OPT_JIT, OPT_ALL, OPT_PID_ROOT, OPT_TID_ROOT, OPT_REVERSE,
	OPT_START, OPT_END, OPT_PERIODS, OPT_FINDINGS,
};

static const struct option long_options[] = {
	COMMON_OPTIONS,
	{ "rows", required_argument, NULL, OPT_ROWS },
	{ "step", required_argument, NULL, OPT_STEP },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "to", required_argument, NULL, OPT_TO },
	{ "max", required_argument, NULL, OPT_MAX },
	{ "title", required_argument, NULL, OPT_TITLE },
	{ "palette", required_argument, NULL, OPT_PALETTE },
	{ "colors", required_argument, NULL, OPT_COLORS },
	{ "hash", no_argument, NULL, OPT_HASH },
	{ "kernel", no_argument, NULL, OPT_KERNEL },
	{ "jit", no_argument, NULL, OPT_JIT },
	{ "all", no_argument, NULL, OPT_ALL },
	{ "pid-root", no_argument, NULL, OPT_PID_ROOT },
	{ "tid-root", no_argument, NULL, OPT_TID_ROOT },
	{ "reverse", no_argument, NULL, OPT_REVERSE },
	{ "start", required_argument, NULL, OPT_START },
	{ "end", required_argument, NULL, OPT_END },
	{ "periods", no_argument, NULL, OPT_PERIODS },
	{ "findings", no_argument, NULL, OPT_FINDINGS },
	{ NULL, 0, NULL, 0 },
};

static int usage(FILE *f, int status)
{
	fprintf(f,
		"\n usage: flamescope report [-i FILE] [-o REPORT.html] [options]\n\n"
		" FlameScope in one self-contained HTML file (default flamescope.html) that works\n"
		" offline: the heat map; click two cells (or drag) for the flame graph of that\n"
		" range, Shift for a second range to compare, a search that lights the heat map.\n"
		" The page holds every event and the idle samples, and picks among them; the\n"
		" options below choose which samples go in and what the page opens with.\n\n"
		COMMON_HELP
		"      --rows N, --step S, --from S, --to S   the heat map's first view\n"
		"      --max N            top of the heat map's colour scale\n"
		"      --palette NAME     flamescope (default) or viridis\n"
		"      --title TEXT       the page's title (default: the input's name)\n"
		"      --colors SCHEME    flame graph colours (hot, mem, io, java, js, perl, ...)\n"
		"      --hash             colour frames by name hash\n"
		"      --kernel, --jit, --all, --pid-root, --tid-root, --reverse\n"
		"                         folding, as flamescope flamegraph's\n"
		"      --start S, --end E   the range selected when the page opens\n"
		"      --periods          embed sample periods (a weight picker) even for one event\n"
		"      --findings         list and outline what flamescope find finds; a click selects one\n\n");
	return status;
}

struct rp_opts {
	struct cli *cli;
	struct fs_report_opts ro;
};

static int bad(const char *opt, const char *arg, const char *why)
{
	fprintf(stderr, "flamescope report: --%s '%s': %s\n", opt, arg, why);
	return -1;
}

static int parse_seconds(int opt, const char *arg, struct rp_opts *o)
{
	static const char *const names[] = { "step", "from", "to", "start", "end" };
	struct fs_heatmap_opts *ho = &o->ro.heatmap;
	struct fs_filter *f = &o->cli->filter;
	double d;

	if (cli__seconds(arg, &d) || (opt == OPT_STEP && d < 0.001))
		return bad(names[opt == OPT_STEP ? 0 : opt == OPT_FROM ? 1 : opt == OPT_TO ? 2 :
				 opt == OPT_START ? 3 : 4], arg, "expected seconds");
	switch (opt) {
	case OPT_STEP: ho->step = d; break;
	case OPT_FROM: ho->from = d, ho->has_from = true; break;
	case OPT_TO: ho->to = d, ho->has_to = true; break;
	case OPT_START: f->start = d, f->has_start = true; break;
	case OPT_END: f->end = d, f->has_end = true; break;
	}
	return 0;
}

static int parse_own(int opt, const char *arg, void *ctx)
{
	struct rp_opts *o = ctx;
	struct fs_report_opts *ro = &o->ro;
	char *end;
	unsigned long long v;

	switch (opt) {
	case OPT_ROWS:
	case OPT_MAX:
		v = strtoull(arg, &end, 10);
		if (end == arg || *end || arg[0] == '-' || v < 1 || (opt == OPT_ROWS && v > 10000))
			return bad(opt == OPT_ROWS ? "rows" : "max", arg,
				   opt == OPT_ROWS ? "expected a number from 1 to 10000" : "expected a positive number");
		if (opt == OPT_ROWS)
			ro->heatmap.rows = v;
		else
			ro->max = v;
		return 0;
	case OPT_STEP:
	case OPT_FROM:
	case OPT_TO:
	case OPT_START:
	case OPT_END:
		return parse_seconds(opt, arg, o);
	case OPT_TITLE: ro->title = arg; return 0;
	case OPT_PALETTE:
		if (!fs_palette__heat_valid(arg))
			return bad("palette", arg, "expected flamescope or viridis");
		ro->palette = arg;
		return 0;
	case OPT_COLORS:
		if (!fs_palette__frame_valid(arg))
			return bad("colors", arg, "expected hot, mem, io, java, js, perl, red, green, "
				   "blue, aqua, yellow, purple or orange");
		ro->colors = arg;
		return 0;
	case OPT_HASH: ro->hash = true; return 0;
	case OPT_KERNEL: ro->fold.kernel = true; return 0;
	case OPT_JIT: ro->fold.jit = true; return 0;
	case OPT_ALL: ro->fold.kernel = ro->fold.jit = true; return 0;
	case OPT_PID_ROOT: ro->fold.pid = true; return 0;
	case OPT_TID_ROOT: ro->fold.tid = true; return 0;
	case OPT_REVERSE: ro->fold.reverse = true; return 0;
	case OPT_PERIODS: ro->periods = true; return 0;
	case OPT_FINDINGS: ro->findings = true; return 0;
	}
	return -1;
}

/* The fold options as flamegraph options, for the page's command lines. */
static int add_fold_words(struct cmdline *cl, const struct fs_fold_opts *fo)
{
	return (fo->kernel && cmdline__add(cl, "--kernel")) || (fo->jit && cmdline__add(cl, "--jit")) ||
	       (fo->pid && cmdline__add(cl, "--pid-root")) || (fo->tid && cmdline__add(cl, "--tid-root")) ||
	       (fo->reverse && cmdline__add(cl, "--reverse")) ? -1 : 0;
}

static void say_written(const struct cli *c, const struct fs_profile *p)
{
	struct stat st;

	if (c->quiet || !c->output || !strcmp(c->output, "-") || stat(c->output, &st))
		return;
	fprintf(stderr, "flamescope report: wrote %s (%llu samples, %.1f bytes each); open it in a browser\n",
		c->output, (unsigned long long)p->nr_samples, (double)st.st_size / p->nr_samples);
}

int cmd_report(int argc, char **argv)
{
	struct rp_opts o = { 0 };
	struct fs_error err = { "" };
	struct fs_profile *p = NULL;
	struct cmdline cl = { 0 };
	struct cli_out out;
	struct cli c;
	int status;

	cli__init(&c, "report");
	o.cli = &c;
	status = cli__parse(&c, argc, argv, long_options, parse_own, &o, usage);
	if (status >= 0)
		goto out;
	status = 2;
	if (!c.output)
		c.output = "flamescope.html";
	if (!cli__format_of(&c, "html", "html htm"))
		goto out;
	if (c.filter.has_start && c.filter.has_end && c.filter.end < c.filter.start) {
		fprintf(stderr, "flamescope report: --end %g is before --start %g\n", c.filter.end, c.filter.start);
		goto out;
	}
	status = 1;
	p = cli__load(&c);
	if (!p)
		goto out;
	if (cmdline__init(&cl, &c, false) || add_fold_words(&cl, &o.ro.fold)) {
		fprintf(stderr, "flamescope report: out of memory\n");
		goto out;
	}
	o.ro.input = c.input;
	o.ro.command = (const char *const *)cl.words;
	o.ro.nr_command = cl.nr;
	if (cli_out__open(&out, &c))
		goto out;
	status = cli_out__close(&out, &c, fs_report__write(p, &c.filter, &o.ro, out.f, &err) == 0);
	if (err.msg[0])
		fprintf(stderr, "flamescope report: %s\n", err.msg);
	else if (!status)
		say_written(&c, p);
out:
	cmdline__exit(&cl);
	fs_profile__delete(p);
	cli__exit(&c);
	return status;
}
