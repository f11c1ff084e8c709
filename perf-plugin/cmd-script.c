// SPDX-License-Identifier: GPL-2.0-only
/*
 * flamescope script: perf script's text, from perf.data, byte for byte.
 * Only the options whose output we reproduce exactly are accepted; any
 * other perf script option is refused rather than silently ignored.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "commands.h"
#include "reader.h"
#include "script.h"
#include "session.h"
#include "symbols.h"
#include "timerange.h"
#include "util.h"

struct args {
	const char *input, *time, *symfs;
	bool header;
	struct fs_script_opts opts;
};

static int usage(FILE *f, int status)
{
	fprintf(f,
		"\n usage: flamescope script [<options>]\n\n"
		"    -i, --input <file>    input file name (default: perf.data)\n"
		"    -F, --fields +pid     also show the pid (perf's -F +pid)\n"
		"        --ns              show times in nanoseconds\n"
		"        --reltime         show times relative to the first sample\n"
		"        --time <str>      time ranges, as perf script --time\n"
		"        --pid <pid[,pid]> only these processes\n"
		"        --tid <tid[,tid]> only these threads\n"
		"        --comm <comm[,comm]> only these commands\n"
		"    -C, --cpu <cpu>       only these cpus (\"0-2,5\")\n"
		"        --header          show the data header first\n"
		"        --symfs <dir>     look for symbol files under dir\n"
		"        --max-stack <n>   at most n kernel and n unwound user frames (127)\n"
		"\n PERF_BUILDID_DIR overrides the build-id cache (~/.debug).\n\n");
	return status;
}

static int unsupported(const char *opt)
{
	fprintf(stderr, "flamescope script: option '%s' is not supported yet\n", opt);
	return 2;
}

/* Matches "--name", "--name=VAL" and "--name VAL" (and "-x VAL", "-xVAL" for short). */
static int opt_value(int argc, char **argv, int *i, const char *lng, const char *shrt,
		     const char **val)
{
	const char *a = argv[*i];
	size_t n = strlen(lng);

	if (!strncmp(a, lng, n) && (a[n] == '=' || a[n] == '\0')) {
		if (a[n] == '=') {
			*val = a + n + 1;
			return 1;
		}
	} else if (shrt && !strncmp(a, shrt, 2)) {
		if (a[2]) {
			*val = a + 2;
			return 1;
		}
	} else {
		return 0;
	}
	if (*i + 1 >= argc)
		return -1;
	*val = argv[++*i];
	return 1;
}

static int parse_args(int argc, char **argv, struct args *a)
{
	static const struct { const char *lng, *shrt; int idx; } valued[] = {
		{ "--input", "-i", 0 }, { "--time", NULL, 1 }, { "--pid", NULL, 2 },
		{ "--tid", NULL, 3 }, { "--comm", NULL, 4 }, { "--cpu", "-C", 5 },
		{ "--symfs", NULL, 6 }, { "--fields", "-F", 7 },
		{ "--max-stack", NULL, 8 },
	};

	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i], *val = NULL;
		int hit = 0, idx = -1;

		if (!strcmp(arg, "-h") || !strcmp(arg, "--help"))
			return usage(stdout, 0) - 1;
		if (!strcmp(arg, "--ns")) {
			a->opts.ns = true;
			continue;
		}
		if (!strcmp(arg, "--reltime")) {
			a->opts.reltime = true;
			continue;
		}
		if (!strcmp(arg, "--header")) {
			a->header = true;
			continue;
		}
		for (size_t k = 0; k < ARRAY_SIZE(valued) && !hit; k++) {
			hit = opt_value(argc, argv, &i, valued[k].lng, valued[k].shrt, &val);
			idx = valued[k].idx;
		}
		if (hit < 0) {
			fprintf(stderr, "flamescope script: option '%s' requires a value\n", arg);
			return 2;
		}
		if (!hit)
			return unsupported(arg);
		switch (idx) {
		case 0: a->input = val; break;
		case 1: a->time = val; break;
		case 2: a->opts.pids = val; break;
		case 3: a->opts.tids = val; break;
		case 4: a->opts.comms = val; break;
		case 5: a->opts.cpus = val; break;
		case 6: a->symfs = val; break;
		case 7:
			if (strcmp(val, "+pid"))
				return unsupported(arg[1] == '-' ? "--fields" : "-F");
			a->opts.show_pid = true;
			break;
		case 8: {
			char *end;
			long v = strtol(val, &end, 10);

			if (end == val || *end || v < 1 || v > 65536) {
				fprintf(stderr, "flamescope script: --max-stack: expected a number from 1 to 65536\n");
				return 2;
			}
			a->opts.max_stack = (int)v;
			break;
		}
		}
	}
	return 0;
}

struct run {
	struct fs_reader *r;
	struct fs_symbolizer *syms;
	struct fs_session *ss;
	struct fs_script *sc;
	struct fs_timerange *tr;
};

/* The script writer needs the attrs, which pipe-mode files give only as records. */
static int start(struct run *run, struct args *a, const struct fs_header *hdr, struct fs_error *err)
{
	if (a->time && fs_timerange__parse_rel(a->time, hdr->first_sample_time,
					       hdr->last_sample_time, a->opts.reltime, &run->tr, err))
		return -1;
	a->opts.time = run->tr;
	run->sc = fs_script__new(hdr, run->ss, &a->opts, STDOUT_FILENO, err);
	if (!run->sc)
		return -1;
	if (a->header) {
		char *text;
		size_t len;
		int ret;

		if (fs_script__header_text(a->input, hdr, &text, &len, err))
			return -1;
		ret = fs_script__write(run->sc, text, len, err);
		free(text);
		return ret;
	}
	return 0;
}

/* What came before the damage is printed (as perf prints it), then the error. */
static int flush_before_error(struct run *run, struct fs_error *err)
{
	struct fs_error damage = *err;

	if (run->sc && fs_script__finish(run->sc, err))
		return -1;
	*err = damage;
	return -1;
}

static int run_script(struct args *a, struct run *run, struct fs_error *err)
{
	struct fs_symbolizer_config cfg = { .symfs = a->symfs };
	const struct fs_header *hdr;
	struct fs_event ev;
	const char *why;
	int ret;

	run->r = fs_reader__open(a->input, err);
	if (!run->r)
		return -1;
	hdr = fs_reader__header(run->r);
	run->syms = fs_symbolizer__new(&cfg, err);
	if (!run->syms)
		return -1;
	run->ss = fs_session__new(hdr, run->syms, err);
	if (!run->ss)
		return -1;
	if (!hdr->pipe_mode && start(run, a, hdr, err))
		return -1;
	while ((ret = fs_reader__next(run->r, &ev, err)) > 0) {
		if (ev.event->header.type == PERF_RECORD_SAMPLE) {
			if (!ev.has_sample)
				continue;
			if (!run->sc && start(run, a, hdr, err))
				return -1;
			if (fs_script__sample(run->sc, &ev, err))
				return -1;
		} else if (fs_session__process(run->ss, &ev, err)) {
			struct fs_error e = *err;	/* name the file, as the reader does */

			fs_error__set(err, "%s: %s", fs_reader__path(run->r), e.msg);
			return flush_before_error(run, err);
		}
	}
	if (ret < 0)
		return flush_before_error(run, err);
	if (!run->sc && start(run, a, hdr, err))
		return -1;
	if (fs_script__finish(run->sc, err))
		return -1;
	/* names printed while the symbolizer was out of memory are wrong: fail the run */
	if (fs_symbolizer__check(run->syms, err))
		return -1;
	/* after the records, as perf says these */
	if (fs_reader__note(run->r))
		fprintf(stderr, "flamescope script: %s\n", fs_reader__note(run->r));
	if (fs_symbolizer__note(run->syms))
		fprintf(stderr, "flamescope script: %s\n", fs_symbolizer__note(run->syms));

	if (fs_script__nr_trace_samples(run->sc))
		fprintf(stderr, "flamescope script: %llu tracepoint samples printed without their payload (unknown event format or short payload)\n",
			(unsigned long long)fs_script__nr_trace_samples(run->sc));
	if (fs_script__nr_trace_markers(run->sc, &why))
		fprintf(stderr, "flamescope script: %llu tracepoint payloads printed as '[payload not printed: ...]': libtraceevent crashed or hung on their event's print format (last: %s)\n",
			(unsigned long long)fs_script__nr_trace_markers(run->sc, &why), why);
	return 0;
}

int cmd_script(int argc, char **argv)
{
	struct args a = { .input = "perf.data" };
	struct run run = { 0 };
	struct fs_error err = { .msg = "" };
	int ret = parse_args(argc, argv, &a);

	if (ret)
		return ret < 0 ? 0 : ret;
	ret = run_script(&a, &run, &err) ? 1 : 0;
	/* the reader went away (SIGPIPE ignored, as in `script | head`): perf ends quietly too */
	if (ret && run.sc && fs_script__write_errno(run.sc) == EPIPE)
		ret = 0;
	else if (ret)
		fprintf(stderr, "flamescope script: %s\n", err.msg);
	if (run.sc)
		fs_script__delete(run.sc);
	fs_timerange__delete(run.tr);
	fs_session__delete(run.ss);
	if (run.syms)
		fs_symbolizer__delete(run.syms);
	if (run.r)
		fs_reader__close(run.r);
	return ret;
}
