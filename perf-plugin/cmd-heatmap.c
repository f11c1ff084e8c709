// SPDX-License-Identifier: GPL-2.0-only
/*
 * flamescope heatmap: the subsecond-offset heat map of a perf.data file.
 */
#include <stdlib.h>
#include <string.h>
#include "commands.h"
#include "options.h"
#include "formats.h"
#include "palette.h"

enum {
	OPT_STEP = OPT_COMMON_END, OPT_FROM, OPT_TO,
};

static const struct option long_options[] = {
	COMMON_OPTIONS,
	HEATMAP_STYLE_OPTIONS,
	{ "step", required_argument, NULL, OPT_STEP },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "to", required_argument, NULL, OPT_TO },
	{ NULL, 0, NULL, 0 },
};

static int usage(FILE *f, int status)
{
	fprintf(f,
		"\n usage: flamescope heatmap [-i FILE] -o OUT [options]\n\n"
		" One column per second, rows are fractions of that second (bottom = start),\n"
		" colour = samples in the cell. Formats: svg, png, json (FlameScope's), txt.\n\n"
		COMMON_HELP
		HEATMAP_STYLE_HELP
		"      --step SECONDS     column width (default 1; raised for long profiles)\n"
		"      --from S, --to S   offsets (seconds from the first whole second) to show\n\n");
	return status;
}

struct hm_opts {
	struct fs_heatmap_opts ho;
	struct fs_heatmap_style st;
};

static int parse_own(int opt, const char *arg, void *ctx)
{
	struct hm_opts *o = ctx;
	int r = cli__heatmap_option("heatmap", opt, arg, &o->ho, &o->st);
	double d;

	if (r)
		return r > 0 ? 0 : -1;
	if (opt != OPT_STEP && opt != OPT_FROM && opt != OPT_TO)
		return -1;
	if (cli__seconds(arg, &d) || (opt == OPT_STEP && d < 0.001)) {
		fprintf(stderr, "flamescope heatmap: '%s': expected seconds\n", arg);
		return -1;
	}
	if (opt == OPT_STEP)
		o->ho.step = d;
	else if (opt == OPT_FROM)
		o->ho.from = d, o->ho.has_from = true;
	else
		o->ho.to = d, o->ho.has_to = true;
	return 0;
}

int cmd_heatmap(int argc, char **argv)
{
	struct hm_opts o = { .st = { .palette = "flamescope" } };
	struct fs_error err = { "" };
	struct fs_heatmap *hm = NULL;
	struct fs_profile *p = NULL;
	struct cli_out out;
	const char *format;
	struct cli c;
	int status;

	cli__init(&c, "heatmap");
	status = cli__parse(&c, argc, argv, long_options, parse_own, &o, usage);
	if (status >= 0)
		goto out;
	status = 2;
	format = cli__format_of(&c, c.output ? "svg" : "txt", heatmap_format__names());
	if (!format)
		goto out;
	status = 1;
	c.cfg.idle_stacks_only = true;
	p = cli__load(&c);
	if (!p)
		goto out;
	hm = fs_heatmap__from_profile(p, &c.filter, &o.ho, &err);
	if (!hm) {
		fprintf(stderr, "flamescope heatmap: %s\n", err.msg);
		goto out;
	}
	o.st.input = c.input;
	if (cli_out__open(&out, &c))
		goto out;
	status = cli_out__close(&out, &c, heatmap_format__find(format)->write(hm, &o.st, out.f, &err) == 0);
	if (err.msg[0])
		fprintf(stderr, "flamescope heatmap: %s\n", err.msg);
	else if (status == 0 && !c.quiet && hm->step_raised)
		fprintf(stderr, "flamescope heatmap: %u columns of %g s (step raised to fit)\n",
			hm->columns, hm->step);
out:
	fs_heatmap__delete(hm);
	fs_profile__delete(p);
	cli__exit(&c);
	return status;
}
