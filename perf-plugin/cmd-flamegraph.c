// SPDX-License-Identifier: GPL-2.0-only
/*
 * flamescope flamegraph: the flame graph of a time range of a perf.data file,
 * optionally coloured by the change against another range or file.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "commands.h"
#include "options.h"
#include "formats.h"
#include "palette.h"

enum {
	OPT_START = OPT_COMMON_END, OPT_END, OPT_COMPARE, OPT_COMPARE_INPUT, OPT_NORMALIZE, OPT_NEGATE,
	OPT_KERNEL, OPT_JIT, OPT_ALL, OPT_PID_ROOT, OPT_TID_ROOT, OPT_TITLE, OPT_SUBTITLE, OPT_WIDTH,
	OPT_HEIGHT, OPT_MINWIDTH, OPT_COLORS, OPT_HASH, OPT_INVERTED, OPT_REVERSE, OPT_COUNTNAME,
	OPT_FONTTYPE, OPT_FONTSIZE,
};

static const struct option long_options[] = {
	COMMON_OPTIONS,
	{ "start", required_argument, NULL, OPT_START },
	{ "end", required_argument, NULL, OPT_END },
	{ "compare", required_argument, NULL, OPT_COMPARE },
	{ "compare-input", required_argument, NULL, OPT_COMPARE_INPUT },
	{ "normalize", no_argument, NULL, OPT_NORMALIZE },
	{ "negate", no_argument, NULL, OPT_NEGATE },
	{ "kernel", no_argument, NULL, OPT_KERNEL },
	{ "jit", no_argument, NULL, OPT_JIT },
	{ "all", no_argument, NULL, OPT_ALL },
	{ "pid-root", no_argument, NULL, OPT_PID_ROOT },
	{ "tid-root", no_argument, NULL, OPT_TID_ROOT },
	{ "title", required_argument, NULL, OPT_TITLE },
	{ "subtitle", required_argument, NULL, OPT_SUBTITLE },
	{ "width", required_argument, NULL, OPT_WIDTH },
	{ "height", required_argument, NULL, OPT_HEIGHT },
	{ "minwidth", required_argument, NULL, OPT_MINWIDTH },
	{ "colors", required_argument, NULL, OPT_COLORS },
	{ "hash", no_argument, NULL, OPT_HASH },
	{ "inverted", no_argument, NULL, OPT_INVERTED },
	{ "reverse", no_argument, NULL, OPT_REVERSE },
	{ "countname", required_argument, NULL, OPT_COUNTNAME },
	{ "fonttype", required_argument, NULL, OPT_FONTTYPE },
	{ "fontsize", required_argument, NULL, OPT_FONTSIZE },
	{ NULL, 0, NULL, 0 },
};

static int usage(FILE *f, int status)
{
	fprintf(f,
		"\n usage: flamescope flamegraph [-i FILE] -o OUT [--start S] [--end E] [options]\n\n"
		" The flame graph of the samples between two offsets (seconds from the first\n"
		" whole second of the profile, inclusive, as FlameScope). Formats: svg, png,\n"
		" folded (stackcollapse-perf.pl's), json (d3-flame-graph's).\n\n"
		COMMON_HELP
		"      --start S, --end E   the range (either may be left out)\n"
		"      --compare S2,E2      colour by the change against this range (red grew)\n"
		"      --compare-input FILE  ... or against another perf.data (whole, or --compare's range)\n"
		"      --normalize          scale the compared range to the same total\n"
		"      --negate             swap the differential colours\n"
		"      --kernel, --jit, --all   _[k] / _[j] annotations on frame names\n"
		"      --pid-root, --tid-root   roots comm-PID / comm-PID/TID\n"
		"      --title, --subtitle, --width (1200), --height (frame, 16), --minwidth (0.1 px or N%%),\n"
		"      --colors hot|mem|io|java|js|perl|red|green|blue|aqua|yellow|purple|orange,\n"
		"      --hash, --inverted, --reverse, --countname, --fonttype, --fontsize\n"
		"                           as flamegraph.pl's options\n\n");
	return status;
}

struct fg_opts {
	struct cli *cli;		/* the common options, which --start/--end fill */
	struct fs_flame_style st;
	struct fs_fold_opts fo;
	const char *compare, *compare_input;
	bool normalize;
	char title[300];
};

/*
 * With several events in the samples, or off-CPU weights, the default
 * title names what the graph shows ("Flame Graph: sched:sched_switch").
 */
static void event_title(struct fg_opts *o, const struct cli *c, const struct fs_profile *p)
{
	const char *ev = p->events[c->filter.resolved_event];
	bool several = false;

	if (!o->st.title || strcmp(o->st.title, "Flame Graph"))
		return;
	for (uint64_t i = 1; i < p->nr_samples && !several; i++)
		several = p->samples[i].event != p->samples[0].event;
	if (!several && c->filter.weight != FS_WEIGHT_OFFCPU)
		return;
	snprintf(o->title, sizeof(o->title), "%s: %.200s%s",
		 o->st.inverted ? "Icicle Graph" : "Flame Graph", ev,
		 c->filter.weight == FS_WEIGHT_OFFCPU ? ", off-CPU time (ns)" : "");
	o->st.title = o->title;
}

static int bad(const char *opt, const char *arg, const char *why)
{
	return cli__bad_value("flamegraph", opt, arg, why);
}

static int parse_num(const char *opt, const char *arg, double lo, double hi, double *out)
{
	return cli__number("flamegraph", opt, arg, lo, hi, out);
}

static int parse_style(int opt, const char *arg, struct fs_flame_style *st)
{
	double v;
	size_t len;

	switch (opt) {
	case OPT_TITLE: st->title = arg; return 0;
	case OPT_SUBTITLE: st->subtitle = arg; return 0;
	case OPT_COUNTNAME: st->countname = arg; return 0;
	case OPT_FONTTYPE: st->fonttype = arg; return 0;
	case OPT_HASH: st->hash = true; return 0;
	case OPT_INVERTED: st->inverted = true; return 0;
	case OPT_WIDTH:
		if (parse_num("width", arg, 100, 32768, &v))
			return -1;
		st->width = v;
		return 0;
	case OPT_HEIGHT:
		if (parse_num("height", arg, 4, 256, &v))
			return -1;
		st->frame_height = v;
		return 0;
	case OPT_FONTSIZE:
		return parse_num("fontsize", arg, 1, 200, &st->fontsize);
	case OPT_MINWIDTH: {
		char buf[64];

		len = strlen(arg);
		st->minwidth_percent = len && arg[len - 1] == '%';
		snprintf(buf, sizeof(buf), "%.*s", (int)(len - st->minwidth_percent), arg);
		return parse_num("minwidth", buf, 0, st->minwidth_percent ? 100 : 32768, &st->minwidth);
	}
	case OPT_COLORS:
		if (!fs_palette__frame_valid(arg))
			return bad("colors", arg, "expected hot, mem, io, java, js, perl, red, green, "
				   "blue, aqua, yellow, purple or orange");
		st->colors = arg;
		return 0;
	}
	return 1;
}

static int parse_own(int opt, const char *arg, void *ctx)
{
	struct fg_opts *o = ctx;
	struct cli *c = o->cli;
	int r = parse_style(opt, arg, &o->st);

	if (r <= 0)
		return r;
	switch (opt) {
	case OPT_START:
	case OPT_END: {
		double v;

		if (cli__seconds(arg, &v))
			return bad(opt == OPT_START ? "start" : "end", arg, "expected seconds");
		if (opt == OPT_START)
			c->filter.start = v, c->filter.has_start = true;
		else
			c->filter.end = v, c->filter.has_end = true;
		return 0;
	}
	case OPT_COMPARE: o->compare = arg; return 0;
	case OPT_COMPARE_INPUT: o->compare_input = o->cli->input2 = arg; return 0;
	case OPT_NORMALIZE: o->normalize = true; return 0;
	case OPT_NEGATE: o->st.negate = true; return 0;
	case OPT_KERNEL: o->fo.kernel = true; return 0;
	case OPT_JIT: o->fo.jit = true; return 0;
	case OPT_ALL: o->fo.kernel = o->fo.jit = true; return 0;
	case OPT_PID_ROOT: o->fo.pid = true; return 0;
	case OPT_TID_ROOT: o->fo.tid = true; return 0;
	case OPT_REVERSE: o->fo.reverse = o->st.reverse = true; return 0;
	}
	return -1;
}

/* "S2,E2" (either may be empty) into a copy of the main filter. */
static int compare_filter(const struct cli *c, const char *spec, struct fs_filter *f)
{
	const char *comma = spec ? strchr(spec, ',') : NULL;
	char a[64] = "", b[64] = "";

	*f = c->filter;
	f->comm_ids = NULL;
	f->has_start = f->has_end = false;
	if (!spec)
		return 0;
	if (!comma || comma - spec >= 63 || strlen(comma + 1) >= 63)
		return bad("compare", spec, "expected START,END in seconds");
	memcpy(a, spec, comma - spec);
	strcpy(b, comma + 1);
	if ((a[0] && cli__seconds(a, &f->start)) || (b[0] && cli__seconds(b, &f->end)))
		return bad("compare", spec, "expected START,END in seconds");
	f->has_start = a[0];
	f->has_end = b[0];
	return 0;
}

static int add_compare(struct fs_flame *fl, struct cli *c, struct fg_opts *o,
		       const struct fs_profile *p, struct fs_error *err)
{
	struct fs_profile *p2 = NULL;
	struct fs_filter f;
	int ret = -1;

	if (compare_filter(c, o->compare, &f))
		return -1;
	if (o->compare_input) {
		struct cli c2 = *c;

		c2.input = o->compare_input;
		c2.time = NULL;
		c2.time_spec = NULL;
		c2.filter.comm_ids = NULL;
		p2 = cli__load(&c2);
		if (!p2)
			return -1;
		f.resolved_event = c2.filter.resolved_event;
		f.comm_ids = c2.filter.comm_ids;
		p = p2;
	} else if (fs_filter__prepare(&f, p, err)) {
		goto out;
	}
	ret = fs_flame__add_compare(fl, p, &f, &o->fo, o->normalize, err);
out:
	fs_filter__release(&f);
	fs_profile__delete(p2);
	if (ret && err->msg[0])
		fprintf(stderr, "flamescope flamegraph: %s\n", err->msg);
	return ret;
}

static int write_graph(const char *format, struct cli *c, struct fg_opts *o, const struct fs_profile *p,
		       FILE *out, struct fs_error *err)
{
	const struct flame_format *f = flame_format__find(format);
	struct fs_flame *fl;
	int ret;

	if (!f->write)
		return fs_profile__write_folded(p, &c->filter, &o->fo, out, err);
	fl = fs_flame__from_profile(p, &c->filter, &o->fo, err);
	if (!fl)
		return -1;
	if ((o->compare || o->compare_input) && add_compare(fl, c, o, p, err)) {
		fs_flame__delete(fl);
		return -1;
	}
	ret = f->write(fl, &o->st, out, err);
	fs_flame__delete(fl);
	return ret;
}

int cmd_flamegraph(int argc, char **argv)
{
	struct fs_error err = { "" };
	struct fs_profile *p = NULL;
	struct fg_opts o = { 0 };
	struct cli_out out;
	const char *format;
	struct cli c;
	int status;

	cli__init(&c, "flamegraph");
	fs_flame_style__init(&o.st);
	o.cli = &c;
	status = cli__parse(&c, argc, argv, long_options, parse_own, &o, usage);
	if (status >= 0)
		goto out;
	status = 2;
	format = cli__format_of(&c, c.output ? "svg" : "folded", flame_format__names());
	if (!format)
		goto out;
	if (c.filter.has_start && c.filter.has_end && c.filter.end < c.filter.start) {
		fprintf(stderr, "flamescope flamegraph: --end %g is before --start %g\n",
			c.filter.end, c.filter.start);
		goto out;
	}
	status = 1;
	/* a range's graph needs only its samples' stacks (--compare may want others) */
	if ((c.filter.has_start || c.filter.has_end) && !o.compare && !o.compare_input)
		c.cfg.range_stacks_only = &c.filter;
	p = cli__load(&c);
	if (!p || cli_out__open(&out, &c))
		goto out;
	event_title(&o, &c, p);
	status = cli_out__close(&out, &c, write_graph(format, &c, &o, p, out.f, &err) == 0);
	if (status && err.msg[0])
		fprintf(stderr, "flamescope flamegraph: %s\n", err.msg);
out:
	fs_profile__delete(p);
	cli__exit(&c);
	return status;
}
