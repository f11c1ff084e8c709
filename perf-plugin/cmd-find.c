// SPDX-License-Identifier: GPL-2.0-only
/*
 * flamescope find: the perturbations of a perf.data file (periodic bands,
 * sub-second bursts, one-off segments, level shifts), each with the frames
 * that explain it and the flamescope flamegraph commands to look closer.
 */
#include <stdlib.h>
#include <string.h>
#include "commands.h"
#include "escape.h"
#include "find.h"
#include "options.h"

enum {
	OPT_ROWS = OPT_COMMON_END, OPT_ALPHA, OPT_MIN_LIFT, OPT_MIN_CPUS, OPT_MIN_SAMPLES,
	OPT_MAX_PROCS, OPT_MAX_FINDINGS, OPT_PREFIX,
};

static const struct option long_options[] = {
	COMMON_OPTIONS,
	{ "rows", required_argument, NULL, OPT_ROWS },
	{ "alpha", required_argument, NULL, OPT_ALPHA },
	{ "min-lift", required_argument, NULL, OPT_MIN_LIFT },
	{ "min-cpus", required_argument, NULL, OPT_MIN_CPUS },
	{ "min-samples", required_argument, NULL, OPT_MIN_SAMPLES },
	{ "max-procs", required_argument, NULL, OPT_MAX_PROCS },
	{ "max-findings", required_argument, NULL, OPT_MAX_FINDINGS },
	{ "prefix", required_argument, NULL, OPT_PREFIX },
	{ NULL, 0, NULL, 0 },
};

static int usage(FILE *f, int status)
{
	fprintf(f,
		"\n usage: flamescope find [-i FILE] [-o OUT] [--format txt|json] [options]\n\n"
		" Finds the perturbations of a profile: periodic bands, bursts at a stable\n"
		" sub-second offset, one-off segments (start-up, tail, spikes) and level shifts,\n"
		" in the whole profile and in its busiest processes, each with the frames that\n"
		" grew and the flamescope flamegraph commands to look closer. Formats: txt\n"
		" (default), json.\n\n"
		COMMON_HELP
		"      --rows N           cells per second (default 50: 20 ms, as the heat map)\n"
		"      --alpha A          false findings allowed per detector and process (0.01)\n"
		"      --min-lift X       a finding's rate is at least X times its baseline (1.5)\n"
		"      --min-cpus X       segments and shifts change the load by X CPUs or more (0.05)\n"
		"      --min-samples N    a finding has N samples above its baseline or more (8)\n"
		"      --max-procs N      busiest processes analysed on their own (8; 0: none)\n"
		"      --max-findings N   findings shown, strongest first (20)\n"
		"      --prefix NAME      output names in the printed commands (finding)\n\n");
	return status;
}

struct find_cmd {
	struct fs_find_opts fo;
	const char *prefix;
};

static int bad(const char *opt, const char *arg, const char *why)
{
	return cli__bad_value("find", opt, arg, why);
}

static int parse_num(const char *opt, const char *arg, double lo, double hi, double *out)
{
	return cli__number("find", opt, arg, lo, hi, out);
}

static int parse_own(int opt, const char *arg, void *ctx)
{
	struct find_cmd *o = ctx;
	double v;

	switch (opt) {
	case OPT_ROWS:
		/* one message a bad value: the range's, or the whole number's */
		if (parse_num("rows", arg, 1, 1000, &v))
			return -1;
		if (v != (uint32_t)v)
			return bad("rows", arg, "expected a whole number from 1 to 1000");
		o->fo.rows = (uint32_t)v;
		return 0;
	case OPT_ALPHA:
		if (parse_num("alpha", arg, 1e-300, 0.5, &o->fo.alpha))
			return -1;
		return 0;
	case OPT_MIN_LIFT:
		return parse_num("min-lift", arg, 1, 1e6, &o->fo.min_lift);
	case OPT_MIN_CPUS:
		return parse_num("min-cpus", arg, 0, 1e6, &o->fo.min_cpus);
	case OPT_MIN_SAMPLES:
	case OPT_MAX_PROCS:
	case OPT_MAX_FINDINGS: {
		const char *name = opt == OPT_MIN_SAMPLES ? "min-samples" :
				   opt == OPT_MAX_PROCS ? "max-procs" : "max-findings";

		if (parse_num(name, arg, opt == OPT_MAX_FINDINGS, 1e6, &v))
			return -1;
		if (v != (uint32_t)v)
			return bad(name, arg, "expected a whole number");
		if (opt == OPT_MIN_SAMPLES)
			o->fo.min_samples = (uint32_t)v;
		else if (opt == OPT_MAX_PROCS)
			o->fo.max_procs = (uint32_t)v > 64 ? 64 : (uint32_t)v;
		else
			o->fo.max_findings = (uint32_t)v;
		return 0;
	}
	case OPT_PREFIX:
		o->prefix = arg;
		return 0;
	}
	return -1;
}

static void put_opt(FILE *out, const char *name, const char *value)
{
	if (!value)
		return;
	fprintf(out, " --%s ", name);
	fs_escape__shell(out, value);
}

static void put_list(FILE *out, const char *name, const int32_t *v, uint32_t n)
{
	if (!n)
		return;
	fprintf(out, " --%s ", name);
	for (uint32_t i = 0; i < n; i++)
		fprintf(out, "%s%d", i ? "," : "", v[i]);
}

/* The options a flamegraph of a finding needs to see the same samples and names. */
static char *flamegraph_args(const struct cli *c)
{
	const struct fs_filter *f = &c->filter;
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	if (!out)
		return NULL;
	put_opt(out, "event", c->event);
	put_list(out, "tid", f->tids, f->nr_tids);
	put_list(out, "cpu", (const int32_t *)f->cpus, f->nr_cpus);
	for (uint32_t i = 0; i < f->nr_comms; i++) {
		fputs(i ? "," : " --comm ", out);
		fs_escape__shell(out, f->comms[i]);
	}
	if (f->include_idle)
		fputs(" --include-idle", out);
	if (f->idle_rule == FS_IDLE_LEAF)
		fputs(" --idle-rule leaf", out);
	put_opt(out, "filter", c->tp_filter);
	put_opt(out, "time", c->time_spec);
	put_opt(out, "symfs", c->cfg.syms.symfs);
	put_opt(out, "buildid-dir", c->cfg.syms.buildid_dir);
	put_opt(out, "kallsyms", c->cfg.syms.kallsyms);
	if (c->cfg.max_stack)
		fprintf(out, " --max-stack %d", c->cfg.max_stack);
	if (fclose(out)) {
		free(buf);
		return NULL;
	}
	/* the leading space is put_command's */
	if (buf && buf[0] == ' ')
		memmove(buf, buf + 1, strlen(buf));
	return buf;
}

static char *pid_list(const struct fs_filter *f)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out;

	if (!f->nr_pids)
		return NULL;
	out = open_memstream(&buf, &len);
	if (!out)
		return NULL;
	for (uint32_t i = 0; i < f->nr_pids; i++)
		fprintf(out, "%s%d", i ? "," : "", f->pids[i]);
	fclose(out);
	return buf;
}

int cmd_find(int argc, char **argv)
{
	struct find_cmd o = { .prefix = "finding" };
	struct fs_findings *fs = NULL;
	struct fs_error err = { "" };
	struct fs_profile *p = NULL;
	struct fs_find_style st;
	char *args = NULL, *pids = NULL;
	struct cli_out out;
	const char *format;
	struct cli c;
	int status;

	cli__init(&c, "find");
	fs_find_opts__init(&o.fo);
	status = cli__parse(&c, argc, argv, long_options, parse_own, &o, usage);
	if (status >= 0)
		goto out;
	status = 2;
	format = cli__format_of(&c, "txt", "txt json");
	if (!format)
		goto out;
	if (c.filter.weight != FS_WEIGHT_SAMPLES) {
		fprintf(stderr, "flamescope find: --weight: the statistics model sample counts; "
			"use --weight samples\n");
		goto out;
	}
	status = 1;
	p = cli__load(&c);
	if (!p)
		goto out;
	fs = fs_findings__from_profile(p, &c.filter, &o.fo, &err);
	if (!fs) {
		fprintf(stderr, "flamescope find: %s: %s\n", c.input, err.msg);
		goto out;
	}
	args = flamegraph_args(&c);
	pids = pid_list(&c.filter);
	st = (struct fs_find_style){ strcmp(c.input, "-") ? c.input : NULL, args, pids, o.prefix };
	if (cli_out__open(&out, &c))
		goto out;
	if (!strcmp(format, "json"))
		status = fs_findings__write_json(fs, p, &st, out.f, &err);
	else
		status = fs_findings__write_txt(fs, p, &st, out.f, &err);
	status = cli_out__close(&out, &c, status == 0);
	if (status && err.msg[0])
		fprintf(stderr, "flamescope find: %s\n", err.msg);
out:
	free(args);
	free(pids);
	fs_findings__delete(fs);
	fs_profile__delete(p);
	cli__exit(&c);
	return status;
}
