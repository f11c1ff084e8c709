// SPDX-License-Identifier: GPL-2.0-only
/*
 * flamescope-dlfilter.so: a `perf script --dlfilter` plugin that builds the
 * heat map and flame graphs from samples perf itself resolved, for setups
 * where perf finds symbols we cannot (its own symbol places, debuginfod...).
 *
 *   perf script --dlfilter flamescope-dlfilter.so --dlarg heatmap=heat.png \
 *	--dlarg flamegraph=fg.svg --dlarg start=S --dlarg end=E
 *
 * Every frame goes through perf's resolve_ip()/resolve_address(), so symbol
 * and dso names are exactly the ones perf script prints; the samples then go
 * through fs_profile__add() and the same views and writers as the flamescope
 * command, so the outputs equal `flamescope heatmap/flamegraph` on the same
 * file. perf's own filters (--time, --pid, --cpu...) apply before ours.
 * perf's text is suppressed unless --dlarg print.
 */
#include <stdlib.h>
#include <string.h>
#include <perf/perf_dlfilter.h>
#include "cmdline.h"
#include "options.h"
#include "formats.h"
#include "palette.h"
#include "report.h"
#include "util.h"

#define MAX_OUTPUTS 16

enum { OUT_HEATMAP, OUT_FLAME, OUT_REPORT };

struct output {
	const char *path, *format;
	int kind;
};

/*
 * What perf looks up in us (dlfilter.map lists the same): visible though
 * everything is built with -fvisibility=hidden.
 */
#define PERF_ENTRY	__attribute__((visibility("default")))

/* perf copies its function table here when it opens us. */
PERF_ENTRY struct perf_dlfilter_fns perf_dlfilter_fns;

struct dlf {
	struct cli c;			/* filter, event, max-stack, quiet: the command's options */
	struct output outs[MAX_OUTPUTS];	/* in --dlarg order */
	uint32_t nr_outs;
	struct fs_heatmap_opts ho;
	struct fs_heatmap_style hst;
	struct fs_flame_style fst;
	struct fs_fold_opts fo;
	bool print;
	struct fs_profile *p;
	const char **events;		/* perf's evsel names, in the order samples showed them */
	uint32_t nr_events;
	const char *last_event;		/* perf's string for the last sample's event, and its index */
	int last_index;
	const char **syms, **dsos;	/* one sample's frames, reused */
	char *input;			/* perf script's -i, for the heat map's click-to-command */
	struct cmdline command;		/* perf's command line for a report's page to add picks to */
	char *command_line;		/* ... with them, shell-quoted, for the heat map SVG */
	int max_stack;
	bool failed;
};

static const char long_help[] =
	"--dlarg KEY=VALUE, any of:\n"
	"  heatmap=FILE        heat map (.svg, .png, .json, .txt); may be repeated\n"
	"  flamegraph=FILE     flame graph (.svg, .png, .json, .folded); may be repeated\n"
	"  folded=FILE         folded stacks (stackcollapse-perf.pl's)\n"
	"  json=FILE           FlameScope's heat-map JSON\n"
	"  report=FILE         FlameScope in one offline HTML file (flamescope report)\n"
	"  start=S, end=E      flame-graph range (seconds from the first whole second)\n"
	"  from=S, to=S, rows=N, step=S   heat-map window, rows, column width\n"
	"  event=NAME, include-idle, idle-rule=R, weight=W, pid=, tid=, comm=, cpu=, max-stack=N\n"
	"  kernel, jit, all, pid-root, tid-root   folding as flamescope flamegraph's\n"
	"  title=T, palette=P, colors=C           styles\n"
	"  print               keep perf's own text output\n"
	"  quiet               no notes on stderr\n";

PERF_ENTRY const char *filter_description(const char **long_description)
{
	if (long_description)
		*long_description = long_help;
	return "flamescope heat map and flame graphs from perf's own symbols";
}

static int bad_arg(const char *arg, const char *why)
{
	fprintf(stderr, "flamescope-dlfilter: --dlarg '%s': %s (--dlarg help lists them)\n", arg, why);
	return -1;
}

static int parse_count(const char *arg, const char *val, uint32_t max, uint32_t *out)
{
	char *end;
	unsigned long v = strtoul(val, &end, 10);

	if (end == val || *end || val[0] == '-' || v < 1 || v > max)
		return bad_arg(arg, "expected a positive number");
	*out = v;
	return 0;
}

/* Options of the flamescope command that mean the same here, by their long names. */
static int common_option(struct dlf *d, const char *arg, const char *key, const char *val)
{
	static const char *const allowed[] = {
		"event", "pid", "tid", "comm", "cpu", "include-idle", "idle-rule", "weight",
		"max-stack", "quiet",
	};
	static const struct option common[] = { COMMON_OPTIONS, { NULL, 0, NULL, 0 } };

	for (size_t i = 0; i < ARRAY_SIZE(allowed); i++) {
		if (strcmp(key, allowed[i]))
			continue;
		for (const struct option *o = common; o->name; o++) {
			if (strcmp(o->name, key))
				continue;
			if ((o->has_arg == required_argument) != (val != NULL))
				return bad_arg(arg, val ? "takes no value" : "needs a value");
			return cli__option(&d->c, o->val, val) == 1 ? 0 : -1;
		}
	}
	return 1;
}

/* An output file; its format from the extension as the flamescope command picks it. */
static int add_output(struct dlf *d, const char *arg, const char *path, int kind, const char *format)
{
	struct output *o = &d->outs[d->nr_outs];
	char why[160];

	if (d->nr_outs == MAX_OUTPUTS)
		return bad_arg(arg, "too many outputs");
	if (!format) {
		d->c.output = path;
		format = cli__format(&d->c, "svg");
		d->c.output = NULL;
	}
	if (kind == OUT_REPORT) {
		if (strcmp(format, "html") && strcmp(format, "htm"))
			return bad_arg(arg, "a report is an .html file");
	} else if (kind == OUT_HEATMAP ? !heatmap_format__find(format) : !flame_format__find(format)) {
		snprintf(why, sizeof(why), "unknown format (%s)",
			 kind == OUT_HEATMAP ? heatmap_format__names() : flame_format__names());
		return bad_arg(arg, why);
	}
	*o = (struct output){ .path = path, .format = format, .kind = kind };
	d->nr_outs++;
	return 0;
}

static int seconds(const char *arg, const char *val, double *out)
{
	if (!val || cli__seconds(val, out))
		return bad_arg(arg, "expected seconds");
	return 0;
}

/* Keys without a value: 0 taken, 1 not one of them. */
static int parse_flag(struct dlf *d, const char *key)
{
	if (!strcmp(key, "print"))
		d->print = true;
	else if (!strcmp(key, "kernel"))
		d->fo.kernel = true;
	else if (!strcmp(key, "jit"))
		d->fo.jit = true;
	else if (!strcmp(key, "all"))
		d->fo.kernel = d->fo.jit = true;
	else if (!strcmp(key, "pid-root"))
		d->fo.pid = true;
	else if (!strcmp(key, "tid-root"))
		d->fo.tid = true;
	else
		return 1;
	return 0;
}

/* Ranges and sizes: 0 taken, -1 bad value, 1 not one of them. */
static int parse_number(struct dlf *d, const char *arg, const char *key, const char *val)
{
	struct fs_filter *f = &d->c.filter;

	if (!strcmp(key, "start")) {
		f->has_start = true;
		return seconds(arg, val, &f->start);
	}
	if (!strcmp(key, "end")) {
		f->has_end = true;
		return seconds(arg, val, &f->end);
	}
	if (!strcmp(key, "from")) {
		d->ho.has_from = true;
		return seconds(arg, val, &d->ho.from);
	}
	if (!strcmp(key, "to")) {
		d->ho.has_to = true;
		return seconds(arg, val, &d->ho.to);
	}
	if (!strcmp(key, "step"))
		return seconds(arg, val, &d->ho.step);
	if (!strcmp(key, "rows"))
		return parse_count(arg, val, 10000, &d->ho.rows);
	return 1;
}

static int parse_value(struct dlf *d, const char *arg, const char *key, const char *val)
{
	int r = parse_number(d, arg, key, val);

	if (r <= 0)
		return r;
	if (!strcmp(key, "heatmap"))
		return add_output(d, arg, val, OUT_HEATMAP, NULL);
	if (!strcmp(key, "flamegraph"))
		return add_output(d, arg, val, OUT_FLAME, NULL);
	if (!strcmp(key, "folded"))
		return add_output(d, arg, val, OUT_FLAME, "folded");
	if (!strcmp(key, "json"))
		return add_output(d, arg, val, OUT_HEATMAP, "json");
	if (!strcmp(key, "report"))
		return add_output(d, arg, val, OUT_REPORT, NULL);
	if (!strcmp(key, "title"))
		d->hst.title = d->fst.title = val;
	else if (!strcmp(key, "palette") && fs_palette__heat_valid(val))
		d->hst.palette = val;
	else if (!strcmp(key, "colors") && fs_palette__frame_valid(val))
		d->fst.colors = val;
	else
		return bad_arg(arg, "unknown key or bad value");
	return 0;
}

/* One --dlarg: KEY or KEY=VALUE. */
static int parse_arg(struct dlf *d, const char *arg)
{
	const char *eq = strchr(arg, '=');
	size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
	char key[32];
	int r;

	if (len >= sizeof(key))
		return bad_arg(arg, "unknown");
	memcpy(key, arg, len);
	key[len] = 0;
	r = common_option(d, arg, key, eq ? eq + 1 : NULL);
	if (r <= 0)
		return r;
	if (!eq)
		return parse_flag(d, key) ? bad_arg(arg, "unknown, or needs a value") : 0;
	if (!eq[1])
		return bad_arg(arg, "needs a value");
	return parse_value(d, arg, key, eq + 1);
}

static void dlf__delete(struct dlf *d)
{
	if (!d)
		return;
	fs_profile__delete(d->p);
	for (uint32_t i = 0; i < d->nr_events; i++)
		free((char *)d->events[i]);
	free(d->events);
	free(d->syms);
	free(d->dsos);
	free(d->input);
	free(d->command_line);
	cmdline__exit(&d->command);
	cli__exit(&d->c);
	free(d);
}

/*
 * The file perf script reads, from its command line (the dlfilter API does not
 * tell): -i FILE, --input FILE, --input=FILE, -iFILE; perf.data by default;
 * NULL for a pipe.
 */
static char *perf_input(void)
{
	FILE *f = fopen("/proc/self/cmdline", "r");
	char *arg = NULL, *found = NULL;
	size_t alloc = 0;
	bool next = false;

	if (!f)
		return NULL;
	while (getdelim(&arg, &alloc, 0, f) > 0) {
		const char *v = NULL;

		if (next)
			v = arg;
		else if (!strncmp(arg, "--input=", 8))
			v = arg + 8;
		else if (!strncmp(arg, "-i", 2) && arg[2])
			v = arg + 2;
		next = !strcmp(arg, "-i") || !strcmp(arg, "--input");
		if (v) {
			free(found);
			found = strdup(v);
		}
	}
	free(arg);
	fclose(f);
	if (found && !strcmp(found, "-")) {
		free(found);
		return NULL;
	}
	return found ? found : strdup("perf.data");
}

static bool key_in(const char *arg, const char *const *keys)
{
	size_t len = strcspn(arg, "=");

	for (; *keys; keys++)
		if (strlen(*keys) == len && !strncmp(arg, *keys, len))
			return true;
	return false;
}

/* --dlarg keys the range commands leave out: outputs and looks, and maybe what a report's page picks. */
static bool dropped_dlarg(const char *arg, bool without_picks)
{
	static const char *const always[] = {
		"heatmap", "flamegraph", "folded", "json", "report", "print", "quiet", "title", "palette",
		"start", "end", "from", "to", "step", "rows", "help", NULL,
	};
	static const char *const picked[] = {
		"event", "pid", "tid", "comm", "include-idle", "idle-rule", "weight", NULL,
	};

	return key_in(arg, always) || (without_picks && key_in(arg, picked));
}

/*
 * The command that draws a range as this run would: perf's own command line
 * (its filters apply before ours) with the input made absolute, without our
 * outputs and picks, and a flame graph output; the range and the picks are
 * added as --dlarg by the heat map's script or the report's page.
 */
static int perf_command(struct dlf *d, struct cmdline *cl, bool without_picks)
{
	FILE *f = fopen("/proc/self/cmdline", "r");
	bool skip_dlarg = false, skip_input = false, script = false;
	char *arg = NULL;
	size_t alloc = 0;
	uint32_t n = 0;
	int r = 0;

	if (!f)
		return -1;
	while (getdelim(&arg, &alloc, 0, f) > 0) {
		if (n++ == 0) {	/* perf, however it was started */
			r |= cmdline__add(cl, "perf");
		} else if (skip_input) {
			skip_input = false;
		} else if (skip_dlarg) {
			if (!dropped_dlarg(arg, without_picks))
				r |= cmdline__add(cl, "--dlarg") | cmdline__add(cl, arg);
			skip_dlarg = false;
		} else if (!strcmp(arg, "--dlarg")) {
			skip_dlarg = true;
		} else if (!strncmp(arg, "--dlarg=", 8)) {
			if (!dropped_dlarg(arg + 8, without_picks))
				r |= cmdline__add(cl, arg);
		} else if (!strcmp(arg, "-i") || !strcmp(arg, "--input")) {
			skip_input = true;
		} else if (strncmp(arg, "--input=", 8) && strncmp(arg, "-i", 2)) {
			r |= cmdline__add(cl, arg);
			/* the input right after "script", absolute */
			if (!script && !strcmp(arg, "script") && d->input) {
				char *abs = realpath(d->input, NULL);

				r |= cmdline__add(cl, "-i") | cmdline__add(cl, abs ? abs : d->input);
				free(abs);
				script = true;
			}
		}
	}
	free(arg);
	fclose(f);
	r |= cmdline__add(cl, "--dlarg") | cmdline__add(cl, "flamegraph=flamegraph.svg");
	return r ? -1 : 0;
}

PERF_ENTRY int start(void **data, void *ctx)
{
	struct dlf *d = calloc(1, sizeof(*d));
	struct fs_error err = { "" };
	char **argv;
	int argc = 0;

	if (!d)
		return -1;
	cli__init(&d->c, "dlfilter");
	d->hst.palette = "flamescope";
	fs_flame_style__init(&d->fst);
	d->input = perf_input();
	d->hst.input = d->input;
	if (!perf_command(d, &d->command, true)) {
		struct cmdline all = { 0 };

		if (!perf_command(d, &all, false))
			d->hst.command = d->command_line = cmdline__join(&all);
		d->hst.dlarg = true;
		cmdline__exit(&all);
	}
	argv = perf_dlfilter_fns.args ? perf_dlfilter_fns.args(ctx, &argc) : NULL;
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "help")) {
			fprintf(stderr, "flamescope-dlfilter: %s", long_help);
			goto fail;
		}
		if (parse_arg(d, argv[i]))
			goto fail;
	}
	if (!d->nr_outs && !d->print) {
		fprintf(stderr, "flamescope-dlfilter: nothing to write: give --dlarg heatmap=FILE, "
			"flamegraph=FILE, folded=FILE, json=FILE or report=FILE\n");
		goto fail;
	}
	d->max_stack = d->c.cfg.max_stack > 0 ? d->c.cfg.max_stack : FS_MAX_STACK;
	d->syms = calloc(d->max_stack + 1, sizeof(*d->syms));
	d->dsos = calloc(d->max_stack + 1, sizeof(*d->dsos));
	d->p = fs_profile__new(&err);
	if (!d->syms || !d->dsos || !d->p) {
		fprintf(stderr, "flamescope-dlfilter: out of memory\n");
		goto fail;
	}
	*data = d;
	return 0;
fail:
	dlf__delete(d);
	return -1;
}

/* Index of perf's event name; perf hands the same string for every sample of an evsel. */
static int event_index(struct dlf *d, const char *name)
{
	const char **ev;

	if (!name)
		name = "unknown";
	if (name == d->last_event)
		return d->last_index;
	d->last_event = name;
	d->last_index = -1;
	for (uint32_t i = 0; i < d->nr_events; i++)
		if (!strcmp(d->events[i], name))
			return d->last_index = i;
	if (d->nr_events >= UINT16_MAX)
		return -1;
	ev = realloc(d->events, (d->nr_events + 1) * sizeof(*ev));
	if (!ev)
		return -1;
	d->events = ev;
	ev[d->nr_events] = strdup(name);
	if (ev[d->nr_events])
		d->last_index = d->nr_events++;
	return d->last_index;
}

static void frame(struct dlf *d, uint32_t n, const struct perf_dlfilter_al *al)
{
	d->syms[n] = al ? al->sym : NULL;
	d->dsos[n] = al ? al->dso : NULL;
}

/*
 * The frames perf script prints: the callchain with its context markers
 * switching the cpumode, or the sample's ip alone when there is no callchain
 * (thread__resolve_callchain_sample()). resolve_address() looks an address up
 * by the sample's cpumode and then falls back to the other one; perf script
 * looks it up by the marker's only, so an address on the wrong side of the
 * kernel boundary (stack garbage under PERF_CONTEXT_USER) stays unknown, as
 * does every hypervisor frame. An unknown marker discards the chain.
 */
static uint32_t resolve(struct dlf *d, const struct perf_dlfilter_sample *s, void *ctx)
{
	uint64_t mode = PERF_CONTEXT_USER;
	uint32_t n = 0;

	if (!s->raw_callchain || !s->raw_callchain_nr) {
		frame(d, 0, perf_dlfilter_fns.resolve_ip(ctx));
		return 1;
	}
	for (uint64_t i = 0; i < s->raw_callchain_nr && n < (uint32_t)d->max_stack; i++) {
		uint64_t ip = s->raw_callchain[i];
		struct perf_dlfilter_al al = { .size = sizeof(al) };
		bool found;

		if (ip >= PERF_CONTEXT_MAX) {
			if (ip != PERF_CONTEXT_HV && ip != PERF_CONTEXT_KERNEL && ip != PERF_CONTEXT_USER)
				return 0;
			mode = ip;
			continue;
		}
		found = mode != PERF_CONTEXT_HV && !perf_dlfilter_fns.resolve_address(ctx, ip, &al);
		if (found && mode == PERF_CONTEXT_KERNEL)
			found = al.is_kernel_ip;
		else if (found)	/* the vsyscall page is a user map above the boundary */
			found = !al.is_kernel_ip || (al.dso && !strcmp(al.dso, "[vsyscall]"));
		frame(d, n++, found ? &al : NULL);
	}
	return n;
}

/*
 * perf hands dlfilters the raw callchain only: for --call-graph dwarf or lbr
 * samples that is the kernel's part, the user part being unwound (or
 * stitched) for perf's own output alone. Drawn, every stack would stop at
 * the kernel boundary: such events stop the filter instead.
 */
static const char *partial_callchain(void *ctx)
{
	const struct perf_event_attr *a = perf_dlfilter_fns.attr ? perf_dlfilter_fns.attr(ctx) : NULL;
	uint64_t st = a ? a->sample_type : 0;

	if ((st & PERF_SAMPLE_CALLCHAIN) && (st & PERF_SAMPLE_REGS_USER) && (st & PERF_SAMPLE_STACK_USER))
		return "dwarf";
	if ((st & PERF_SAMPLE_BRANCH_STACK) && (a->branch_sample_type & PERF_SAMPLE_BRANCH_CALL_STACK))
		return "lbr";
	return NULL;
}

PERF_ENTRY int filter_event(void *data, const struct perf_dlfilter_sample *s, void *ctx)
{
	struct dlf *d = data;
	const struct perf_dlfilter_al *ip_al;
	struct fs_error err = { "" };
	struct fs_profile_sample ps = {
		.time = s->time, .period = s->period, .pid = s->pid, .tid = s->tid, .cpu = s->cpu,
	};
	uint32_t n;
	int ev;

	if (!d || d->failed)
		return d && d->print ? 0 : 1;
	if (partial_callchain(ctx)) {
		fprintf(stderr, "flamescope-dlfilter: --call-graph %s callchains reach a dlfilter without "
			"their user part (perf builds it for its own output only); run flamescope "
			"flamegraph or heatmap on the perf.data file instead\n", partial_callchain(ctx));
		d->failed = true;	/* keep perf going; stop() writes nothing */
		return d->print ? 0 : 1;
	}
	ip_al = perf_dlfilter_fns.resolve_ip(ctx);
	ev = event_index(d, s->event);
	n = resolve(d, s, ctx);
	ps.event = ev;
	if (ev < 0 || fs_profile__add(d->p, &ps, ip_al && ip_al->comm ? ip_al->comm : ":-1",
				      d->syms, d->dsos, n, &err)) {
		fprintf(stderr, "flamescope-dlfilter: %s\n", ev < 0 ? "out of memory" : err.msg);
		d->failed = true;	/* keep perf going; stop() writes nothing */
	}
	return d->print ? 0 : 1;
}

static int write_heatmap(struct dlf *d, const char *path, const char *format)
{
	struct fs_filter f = d->c.filter;	/* start/end are the flame graph's range */
	struct fs_error err = { "" };
	struct fs_heatmap *hm;
	struct cli_out out;
	int status = 1;

	f.has_start = f.has_end = false;
	hm = fs_heatmap__from_profile(d->p, &f, &d->ho, &err);
	d->c.output = path;
	if (hm && !cli_out__open(&out, &d->c))
		status = cli_out__close(&out, &d->c,
					heatmap_format__find(format)->write(hm, &d->hst, out.f, &err) == 0);
	if (err.msg[0])
		fprintf(stderr, "flamescope-dlfilter: %s: %s\n", path, err.msg);
	fs_heatmap__delete(hm);
	return status;
}

static int write_flame(struct dlf *d, const char *path, const char *format)
{
	const struct flame_format *f = flame_format__find(format);
	struct fs_error err = { "" };
	struct fs_flame *fl = NULL;
	struct cli_out out;
	int r = -1, status;

	d->c.output = path;
	if (cli_out__open(&out, &d->c))
		return 1;
	if (!f->write) {
		r = fs_profile__write_folded(d->p, &d->c.filter, &d->fo, out.f, &err);
	} else {
		fl = fs_flame__from_profile(d->p, &d->c.filter, &d->fo, &err);
		if (fl)
			r = f->write(fl, &d->fst, out.f, &err);
	}
	status = cli_out__close(&out, &d->c, r == 0);
	if (err.msg[0])
		fprintf(stderr, "flamescope-dlfilter: %s: %s\n", path, err.msg);
	fs_flame__delete(fl);
	return status;
}

static int write_report(struct dlf *d, const char *path)
{
	struct fs_report_opts ro = {
		.input = d->input ? d->input : "-", .command = (const char *const *)d->command.words,
		.nr_command = d->command.nr, .dlarg = true, .fold = d->fo, .heatmap = d->ho,
		.palette = d->hst.palette, .title = d->hst.title, .colors = d->fst.colors,
	};
	struct fs_error err = { "" };
	struct cli_out out;
	int status = 1;

	d->c.output = path;
	if (!cli_out__open(&out, &d->c))
		status = cli_out__close(&out, &d->c, fs_report__write(d->p, &d->c.filter, &ro, out.f, &err) == 0);
	if (err.msg[0])
		fprintf(stderr, "flamescope-dlfilter: %s: %s\n", path, err.msg);
	return status;
}

/* Event, start/end and the id filters resolved against the collected profile. */
static int prepare(struct dlf *d)
{
	struct fs_profile *p = d->p;
	struct fs_error err = { "" };

	if (fs_profile__set_events(p, d->events, d->nr_events, &err)) {
		fprintf(stderr, "flamescope-dlfilter: %s\n", err.msg);
		return -1;
	}
	if (fs_profile__finish(p, &err)) {
		fprintf(stderr, "flamescope-dlfilter: %s\n", err.msg);
		return -1;
	}
	if (!p->nr_samples) {
		fprintf(stderr, "flamescope-dlfilter: no samples\n");
		return -1;
	}
	d->c.filter.event = d->c.event ? fs_profile__event(p, d->c.event) : p->samples[0].event;
	if (d->c.filter.event < 0) {
		fprintf(stderr, "flamescope-dlfilter: no event '%s'\n", d->c.event);
		return -1;
	}
	if (d->c.filter.has_start && d->c.filter.has_end && d->c.filter.end < d->c.filter.start) {
		fprintf(stderr, "flamescope-dlfilter: end %g is before start %g\n",
			d->c.filter.end, d->c.filter.start);
		return -1;
	}
	if (fs_filter__prepare(&d->c.filter, p, &err)) {
		fprintf(stderr, "flamescope-dlfilter: %s\n", err.msg);
		return -1;
	}
	return 0;
}

PERF_ENTRY int stop(void *data, void *ctx)
{
	struct dlf *d = data;
	int status = 0;

	(void)ctx;
	if (!d)		/* perf stops us even when start() failed */
		return -1;
	if (d->failed || prepare(d)) {
		dlf__delete(d);
		return -1;
	}
	for (uint32_t i = 0; i < d->nr_outs; i++) {
		const struct output *o = &d->outs[i];

		if (o->kind == OUT_HEATMAP)
			status |= write_heatmap(d, o->path, o->format);
		else if (o->kind == OUT_REPORT)
			status |= write_report(d, o->path);
		else
			status |= write_flame(d, o->path, o->format);
	}
	if (!status && !d->c.quiet)
		fprintf(stderr, "flamescope-dlfilter: %llu samples\n",
			(unsigned long long)d->p->nr_samples);
	dlf__delete(d);
	return status ? -1 : 0;
}
