// SPDX-License-Identifier: GPL-2.0-only
/*
 * flamescope heatmap: the subsecond-offset heat map of a perf.data file.
 */
#include <stdlib.h>
#include <string.h>
#include "cmdline.h"
#include "commands.h"
#include "find.h"
#include "options.h"
#include "formats.h"
#include "palette.h"

enum {
	OPT_STEP = OPT_COMMON_END, OPT_FROM, OPT_TO, OPT_FINDINGS,
};

static const struct option long_options[] = {
	COMMON_OPTIONS,
	HEATMAP_STYLE_OPTIONS,
	{ "step", required_argument, NULL, OPT_STEP },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "to", required_argument, NULL, OPT_TO },
	{ "findings", no_argument, NULL, OPT_FINDINGS },
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
		"      --from S, --to S   offsets (seconds from the first whole second) to show\n"
		"      --findings         outline what flamescope find finds (svg, png)\n\n");
	return status;
}

struct hm_opts {
	struct fs_heatmap_opts ho;
	struct fs_heatmap_style st;
	bool findings;
};

static int parse_own(int opt, const char *arg, void *ctx)
{
	struct hm_opts *o = ctx;
	int r = cli__heatmap_option("heatmap", opt, arg, &o->ho, &o->st);
	double d;

	if (r)
		return r > 0 ? 0 : -1;
	if (opt == OPT_FINDINGS) {
		o->findings = true;
		return 0;
	}
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

/* The finder's findings as outlines (the finder runs without frames: the heat map needs none). */
static int find_marks(const struct fs_profile *p, struct cli *c, struct hm_opts *o, char **titles)
{
	struct fs_heatmap_mark *marks = NULL;
	struct fs_error err = { "" };
	struct fs_findings *fs;
	struct fs_find_opts fo;
	uint32_t n = 0;

	fs_find_opts__init(&fo);
	fo.explain = false;
	if (o->ho.rows)
		fo.rows = o->ho.rows;
	fs = fs_findings__from_profile(p, &c->filter, &fo, &err);
	if (!fs || fs_findings__marks(fs, &marks, &n, titles, &err)) {
		fprintf(stderr, "flamescope heatmap: %s\n", err.msg);
		fs_findings__delete(fs);
		return -1;
	}
	if (!c->quiet)
		fprintf(stderr, "flamescope heatmap: %u finding%s outlined (flamescope find says what)\n",
			fs->n, fs->n == 1 ? "" : "s");
	fs_findings__delete(fs);
	o->st.marks = marks;
	o->st.nr_marks = n;
	return 0;
}

int cmd_heatmap(int argc, char **argv)
{
	struct hm_opts o = { .st = { .palette = "flamescope" } };
	struct cmdline cl = { 0 };
	char *command = NULL;
	struct fs_error err = { "" };
	struct fs_heatmap *hm = NULL;
	struct fs_profile *p = NULL;
	struct cli_out out;
	const char *format;
	char *titles = NULL;
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
	if (o.findings && strcmp(format, "svg") && strcmp(format, "png")) {
		fprintf(stderr, "flamescope heatmap: --findings draws on svg and png, not %s\n", format);
		goto out;
	}
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
	if (o.findings && find_marks(p, &c, &o, &titles))
		goto out;
	/* the click-to-command line: every option that chose these samples, absolute paths */
	if (!cmdline__init(&cl, &c, true))
		o.st.command = command = cmdline__join(&cl);
	if (cli_out__open(&out, &c))
		goto out;
	status = cli_out__close(&out, &c, heatmap_format__find(format)->write(hm, &o.st, out.f, &err) == 0);
	if (err.msg[0])
		fprintf(stderr, "flamescope heatmap: %s\n", err.msg);
	else if (status == 0 && !c.quiet && hm->step_raised)
		fprintf(stderr, "flamescope heatmap: %u columns of %g s (step raised to fit)\n",
			hm->columns, hm->step);
out:
	free((void *)o.st.marks);
	free(titles);
	free(command);
	cmdline__exit(&cl);
	fs_heatmap__delete(hm);
	fs_profile__delete(p);
	cli__exit(&c);
	return status;
}
