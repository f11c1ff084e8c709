// SPDX-License-Identifier: GPL-2.0-only
/*
 * flamescope script: perf script's text, from perf.data, byte for byte.
 *
 * The command line is read as perf's parse-options reads it (abbreviated
 * long options, --no-X, -Fvalue, grouped short switches), against perf
 * script's whole option table in perf's order, so an abbreviation means
 * what it means to perf. Options whose output we reproduce are taken;
 * perf's others are refused with the perf command that does the job, never
 * silently ignored. Where perf refuses, we print perf's text and exit with
 * perf's status (129 for a bad command line, 255 for a file that cannot
 * give the fields asked for).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "commands.h"
#include "readahead.h"
#include "reader.h"
#include "script.h"
#include "session.h"
#include "symbols.h"
#include "timerange.h"
#include "util.h"

#define PERF_USAGE_STATUS	129	/* perf's exit status for a bad command line */
#define PERF_REFUSE_STATUS	255	/* perf script's "return -1" */
#define PIPE_ATTR_STATUS	234	/* perf's -EINVAL from processing an attr record */

struct args {
	const char *input, *time, *symfs, *vmlinux, *kallsyms;
	bool header, header_only, demangle, demangle_kernel, show_kernel_path;
	struct fs_script_fields *fields;
	struct fs_script_opts opts;
};

enum kind { BOOL, STR, INT, UINT, FIELDS };

enum id {
	O_INPUT, O_HEADER, O_HEADER_ONLY, O_VMLINUX, O_KALLSYMS, O_HIDE_CALLGRAPH, O_SYMFS,
	O_FIELDS, O_DSOS, O_SYMBOLS, O_CPU, O_COMMS, O_PID, O_TID, O_MAX_STACK, O_RELTIME,
	O_DELTATIME, O_SHOW_KERNEL_PATH, O_SHOW_TASK, O_SHOW_MMAP, O_SHOW_SWITCH, O_SHOW_LOST,
	O_PER_EVENT_DUMP, O_FORCE, O_NS, O_FULL_SOURCE_PATH, O_DEMANGLE, O_DEMANGLE_KERNEL,
	O_TIME, O_REFUSED,
};

/*
 * perf script's options, in perf 6.1's order (builtin-script.c). help is
 * ours for what we do; for the others, refused says why and what to run.
 */
static const struct opt {
	char shrt;
	const char *lng;
	enum kind kind;
	enum id id;
	const char *arg, *help;
} opts[] = {
	{ 'D', "dump-raw-trace", BOOL, O_REFUSED, NULL, "perf script -D (or perf report -D)" },
	{ 0, "dump-unsorted-raw-trace", BOOL, O_REFUSED, NULL, "perf script --dump-unsorted-raw-trace" },
	{ 'v', "verbose", BOOL, O_REFUSED, NULL, "perf script -v" },
	{ 'L', "Latency", BOOL, O_REFUSED, NULL, "perf script -L" },
	{ 'l', "list", BOOL, O_REFUSED, NULL, "perf script -l" },
	{ 0, "list-dlfilters", BOOL, O_REFUSED, NULL, "perf script --list-dlfilters" },
	{ 's', "script", STR, O_REFUSED, NULL, "perf script -s" },
	{ 'g', "gen-script", STR, O_REFUSED, NULL, "perf script -g" },
	{ 0, "dlfilter", STR, O_REFUSED, NULL, "perf script --dlfilter (flamescope-dlfilter.so too)" },
	{ 0, "dlarg", STR, O_REFUSED, NULL, "perf script --dlfilter ... --dlarg" },
	{ 'i', "input", STR, O_INPUT, "file", "input file name (default: perf.data)" },
	{ 'd', "debug-mode", BOOL, O_REFUSED, NULL, "perf script -d" },
	{ 0, "header", BOOL, O_HEADER, NULL, "show the data header" },
	{ 0, "header-only", BOOL, O_HEADER_ONLY, NULL, "show only the data header" },
	{ 'k', "vmlinux", STR, O_VMLINUX, "file", "vmlinux pathname" },
	{ 0, "kallsyms", STR, O_KALLSYMS, "file", "kallsyms pathname" },
	{ 'G', "hide-call-graph", BOOL, O_HIDE_CALLGRAPH, NULL, "do not show call chains" },
	{ 0, "symfs", STR, O_SYMFS, "directory", "look for files with symbols relative to this directory" },
	{ 'F', "fields", FIELDS, O_FIELDS, "str", "fields to show, perf's -F syntax ([type:][+-]field,...)" },
	{ 'a', "all-cpus", BOOL, O_REFUSED, NULL, "perf script record -a" },
	{ 0, "dsos", STR, O_DSOS, "dso[,dso...]", "only samples whose ip is in these dsos" },
	{ 'S', "symbols", STR, O_SYMBOLS, "symbol[,symbol...]", "only samples whose ip is in these symbols (or at these addresses)" },
	{ 0, "addr-range", INT, O_REFUSED, NULL, "perf script -S ADDR --addr-range" },
	{ 0, "insn-trace", STR, O_REFUSED, NULL, "perf script --insn-trace" },
	{ 0, "xed", BOOL, O_REFUSED, NULL, "perf script --xed" },
	{ 0, "call-trace", BOOL, O_REFUSED, NULL, "perf script --call-trace" },
	{ 0, "call-ret-trace", BOOL, O_REFUSED, NULL, "perf script --call-ret-trace" },
	{ 0, "graph-function", STR, O_REFUSED, NULL, "perf script --graph-function" },
	{ 0, "stop-bt", STR, O_REFUSED, NULL, "perf script --stop-bt" },
	{ 'C', "cpu", STR, O_CPU, "cpu", "only these cpus (\"0-2,5\")" },
	{ 'c', "comms", STR, O_COMMS, "comm[,comm...]", "only these commands" },
	{ 0, "pid", STR, O_PID, "pid[,pid...]", "only these processes" },
	{ 0, "tid", STR, O_TID, "tid[,tid...]", "only these threads" },
	{ 0, "max-stack", UINT, O_MAX_STACK, "n", "at most n kernel and n unwound user frames (default 127)" },
	{ 0, "reltime", BOOL, O_RELTIME, NULL, "show time stamps relative to start" },
	{ 0, "deltatime", BOOL, O_DELTATIME, NULL, "show time stamps relative to the previous event" },
	{ 'I', "show-info", BOOL, O_REFUSED, NULL, "perf script -I" },
	{ 0, "show-kernel-path", BOOL, O_SHOW_KERNEL_PATH, NULL, "show the path of [kernel.kallsyms]" },
	{ 0, "show-task-events", BOOL, O_SHOW_TASK, NULL, "show the fork/comm/exit events" },
	{ 0, "show-mmap-events", BOOL, O_SHOW_MMAP, NULL, "show the mmap events" },
	{ 0, "show-switch-events", BOOL, O_SHOW_SWITCH, NULL, "show context switch events (if recorded)" },
	{ 0, "show-namespace-events", BOOL, O_REFUSED, NULL, "perf script --show-namespace-events" },
	{ 0, "show-cgroup-events", BOOL, O_REFUSED, NULL, "perf script --show-cgroup-events" },
	{ 0, "show-lost-events", BOOL, O_SHOW_LOST, NULL, "show lost events (if recorded)" },
	{ 0, "show-round-events", BOOL, O_REFUSED, NULL, "perf script --show-round-events" },
	{ 0, "show-bpf-events", BOOL, O_REFUSED, NULL, "perf script --show-bpf-events" },
	{ 0, "show-text-poke-events", BOOL, O_REFUSED, NULL, "perf script --show-text-poke-events" },
	{ 0, "per-event-dump", BOOL, O_PER_EVENT_DUMP, NULL, "samples of each event into INPUT.EVENT.dump" },
	{ 'f', "force", BOOL, O_FORCE, NULL, "don't complain, do it (accepted; nothing to force)" },
	{ 0, "max-blocks", INT, O_REFUSED, NULL, "perf script -F brstackinsn --max-blocks" },
	{ 0, "ns", BOOL, O_NS, NULL, "use 9 decimal places when displaying time" },
	{ 0, "itrace", STR, O_REFUSED, NULL, "perf script --itrace" },
	{ 0, "full-source-path", BOOL, O_FULL_SOURCE_PATH, NULL, "full source file paths (only srcline shows them: refused)" },
	{ 0, "demangle", BOOL, O_DEMANGLE, NULL, "demangle symbol names (default; --no-demangle to keep them raw)" },
	{ 0, "demangle-kernel", BOOL, O_DEMANGLE_KERNEL, NULL, "demangle kernel symbol names" },
	{ 0, "time", STR, O_TIME, "str", "time ranges, as perf script --time" },
	{ 0, "inline", BOOL, O_REFUSED, NULL, "perf script --inline" },
	{ 0, "guestmount", STR, O_REFUSED, NULL, "perf script --guestmount" },
	{ 0, "guestvmlinux", STR, O_REFUSED, NULL, "perf script --guestvmlinux" },
	{ 0, "guestkallsyms", STR, O_REFUSED, NULL, "perf script --guestkallsyms" },
	{ 0, "guestmodules", STR, O_REFUSED, NULL, "perf script --guestmodules" },
	{ 0, "guest-code", BOOL, O_REFUSED, NULL, "perf script --guest-code" },
	{ 0, "stitch-lbr", BOOL, O_REFUSED, NULL, "perf script --stitch-lbr" },
	{ 0, "switch-on", STR, O_REFUSED, NULL, "perf script --switch-on" },
	{ 0, "switch-off", STR, O_REFUSED, NULL, "perf script --switch-off" },
	{ 0, "show-on-off-events", BOOL, O_REFUSED, NULL, "perf script --show-on-off-events" },
};

#define NR_OPTS (ARRAY_SIZE(opts))

static void opt_line(FILE *f, const struct opt *o)
{
	char name[64];

	snprintf(name, sizeof(name), "%c%c%s--%s%s%s%s", o->shrt ? '-' : ' ', o->shrt ? o->shrt : ' ',
		 o->shrt ? ", " : "  ", o->lng, o->arg ? " <" : "", o->arg ? o->arg : "",
		 o->arg ? ">" : "");
	if (strlen(name) > 26)	/* as perf's usage: a long name gets a line of its own */
		fprintf(f, "    %s\n%31s%s\n", name, "", o->help);
	else
		fprintf(f, "    %-26s %s\n", name, o->help);
}

static int usage(FILE *f, int status)
{
	fprintf(f, "\n usage: flamescope script [<options>]\n\n");
	for (size_t i = 0; i < NR_OPTS; i++)
		if (opts[i].id != O_REFUSED)
			opt_line(f, &opts[i]);
	fprintf(f, "    -h, --help                 show this help\n"
		"\n perf script's other options are refused, naming the perf command to use.\n"
		" PERF_BUILDID_DIR overrides the build-id cache (~/.debug).\n"
		" FLAMESCOPE_THREADS=1 reads and prints in one thread (the same bytes, slower).\n\n");
	return status;
}

/* perf's parse-options error: the message, the usage (of the option, when known), exit 129. */
static int bad_usage(const char *fmt, const char *a, const struct opt *o)
{
	fprintf(stderr, fmt, a);
	fputc('\n', stderr);
	if (!o)
		return usage(stderr, PERF_USAGE_STATUS);
	fprintf(stderr, "\n usage: flamescope script [<options>]\n\n");
	opt_line(stderr, o);
	fputc('\n', stderr);
	return PERF_USAGE_STATUS;
}

static void warn_field(void *ctx, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "%s\n", msg);
}

static int set_value(struct args *a, const struct opt *o, bool unset, const char *val)
{
	struct fs_error err = { .msg = "" };
	char *end;
	long n;

	switch (o->id) {
	case O_INPUT: a->input = unset ? "perf.data" : val; break;
	case O_HEADER: a->header = !unset; break;
	case O_HEADER_ONLY: a->header_only = !unset; break;
	case O_VMLINUX: a->vmlinux = unset ? NULL : val; break;
	case O_KALLSYMS: a->kallsyms = unset ? NULL : val; break;
	case O_HIDE_CALLGRAPH: a->opts.hide_callchain = !unset; break;
	case O_SYMFS: a->symfs = unset ? NULL : val; break;
	case O_DSOS: a->opts.dsos = unset ? NULL : val; break;
	case O_SYMBOLS: a->opts.symbols = unset ? NULL : val; break;
	case O_CPU: a->opts.cpus = unset ? NULL : val; break;
	case O_COMMS: a->opts.comms = unset ? NULL : val; break;
	case O_PID: a->opts.pids = unset ? NULL : val; break;
	case O_TID: a->opts.tids = unset ? NULL : val; break;
	case O_RELTIME: a->opts.reltime = !unset; break;
	case O_DELTATIME: a->opts.deltatime = !unset; break;
	case O_SHOW_KERNEL_PATH: a->show_kernel_path = !unset; break;
	case O_SHOW_TASK: a->opts.show_task = !unset; break;
	case O_SHOW_MMAP: a->opts.show_mmap = !unset; break;
	case O_SHOW_SWITCH: a->opts.show_switch = !unset; break;
	case O_SHOW_LOST: a->opts.show_lost = !unset; break;
	case O_PER_EVENT_DUMP: a->opts.per_event_dump = unset ? NULL : ""; break;
	case O_FORCE: case O_FULL_SOURCE_PATH: break;
	case O_NS: a->opts.ns = !unset; break;
	case O_DEMANGLE: a->demangle = !unset; break;
	case O_DEMANGLE_KERNEL: a->demangle_kernel = !unset; break;
	case O_TIME: a->time = unset ? NULL : val; break;
	case O_MAX_STACK:
		if (unset) {
			a->opts.max_stack = 0;
			break;
		}
		if (val[0] == '-')
			return bad_usage(" Error: option `%s' expects an unsigned numerical value", o->lng, o);
		n = strtol(val, &end, 10);
		if (*end)
			return bad_usage(" Error: option `%s' expects a numerical value", o->lng, o);
		a->opts.max_stack = n > 1 << 20 ? 1 << 20 : (int)n;
		break;
	case O_FIELDS:
		if (unset)
			return bad_usage(" Error: option `no-%s' isn't available", o->lng, o);
		if (!fs_script_fields__parse(a->fields, val, warn_field, NULL, &err))
			break;
		return bad_usage("%s", err.msg, o);
	case O_REFUSED:
		fprintf(stderr, "flamescope script: option '--%s' is not supported: use %s\n", o->lng,
			o->help);
		return 2;
	}
	return 0;
}

/* perf's get_value(): the option's value from "=value", the rest of "-Xvalue" or the next argument. */
static int take(struct args *a, const struct opt *o, bool unset, const char *inline_val,
		int argc, char **argv, int *i)
{
	const char *val = inline_val;

	if (o->kind == BOOL) {
		if (inline_val)
			return bad_usage(" Error: option `%s' takes no value", o->lng, o);
		return set_value(a, o, unset, NULL);
	}
	if (!unset && !val) {
		if (*i + 1 >= argc)
			return bad_usage(" Error: option `%s' requires a value", o->lng, o);
		val = argv[++*i];
	}
	return set_value(a, o, unset, val);
}

static const char *skip_prefix(const char *s, const char *prefix)
{
	size_t n = strlen(prefix);

	return strncmp(s, prefix, n) ? NULL : s + n;
}

static bool starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* perf's parse_long_opt(): exact names, unique abbreviations, "no-" negations. */
static int long_opt(struct args *a, const char *arg, int argc, char **argv, int *i)
{
	const char *end = strchr(arg, '='), *val = NULL, *abbrev_val = NULL;
	const struct opt *abbrev = NULL, *ambiguous = NULL;
	bool abbrev_unset = false, ambiguous_unset = false;

	if (!end)
		end = arg + strlen(arg);
	for (size_t k = 0; k < NR_OPTS; k++) {
		const struct opt *o = &opts[k];
		const char *rest = skip_prefix(arg, o->lng);
		bool unset = false;

		if (!rest) {
			if (!strncmp(o->lng, arg, end - arg))
				goto abbreviated;
			if (starts("no-", arg)) {
				unset = true;
				goto abbreviated;
			}
			if (strncmp(arg, "no-", 3))
				continue;
			unset = true;
			rest = skip_prefix(arg + 3, o->lng);
			if (!rest && starts(o->lng, arg + 3))
				goto abbreviated;
			if (!rest)
				continue;
		}
		if (*rest) {
			if (*rest != '=')
				continue;
			val = rest + 1;
		}
		return take(a, o, unset, val, argc, argv, i);
abbreviated:
		if (abbrev) {
			ambiguous = abbrev;
			ambiguous_unset = abbrev_unset;
		}
		abbrev_val = !unset && *end ? end + 1 : NULL;
		abbrev = o;
		abbrev_unset = unset;
	}
	if (ambiguous) {
		fprintf(stderr, " Error: Ambiguous option: %s (could be --%s%s or --%s%s)\n", arg,
			ambiguous_unset ? "no-" : "", ambiguous->lng, abbrev_unset ? "no-" : "",
			abbrev->lng);
		return usage(stderr, PERF_USAGE_STATUS);
	}
	if (abbrev)
		return take(a, abbrev, abbrev_unset, abbrev_val, argc, argv, i);
	return bad_usage("  Error: unknown option `%s'", arg, NULL);
}

/* -X, -Xvalue, -X value, and grouped switches (-Gf). */
static int short_opts(struct args *a, const char *arg, int argc, char **argv, int *i)
{
	for (const char *p = arg; *p; p++) {
		const struct opt *o = NULL;
		char name[2] = { *p, 0 };
		int ret;

		if (*p == 'h')
			return usage(stdout, 0) - 1;
		for (size_t k = 0; k < NR_OPTS && !o; k++)
			if (opts[k].shrt == *p)
				o = &opts[k];
		if (!o)
			return bad_usage("  Error: unknown switch `%s'", name, NULL);
		if (o->kind != BOOL)
			return take(a, o, false, p[1] ? p + 1 : NULL, argc, argv, i);
		if ((ret = take(a, o, false, NULL, argc, argv, i)))
			return ret;
	}
	return 0;
}

static int parse_args(int argc, char **argv, struct args *a)
{
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		int ret;

		if (!strcmp(arg, "--help"))
			return usage(stdout, 0) - 1;
		if (!strcmp(arg, "--") || arg[0] != '-' || !arg[1]) {
			fprintf(stderr, "flamescope script: '%s': perf script runs scripts and record commands; flamescope script only prints (use perf script %s)\n",
				arg, arg);
			return 2;
		}
		ret = arg[1] == '-' ? long_opt(a, arg + 2, argc, argv, &i)
				    : short_opts(a, arg + 1, argc, argv, &i);
		if (ret)
			return ret;
	}
	return 0;
}

/* What perf checks before it opens the file. */
static int check_args(const struct args *a)
{
	const char *files[] = { a->vmlinux, a->kallsyms };

	for (int k = 0; k < 2; k++) {
		if (files[k] && access(files[k], R_OK)) {
			fprintf(stderr, "Invalid file: %s\n", files[k]);
			return PERF_REFUSE_STATUS;
		}
	}
	if (a->opts.reltime && a->opts.deltatime) {
		fprintf(stderr, "reltime and deltatime - the two don't get along well. Please limit to --reltime or --deltatime.\n");
		return PERF_REFUSE_STATUS;
	}
	return 0;
}

struct run {
	struct fs_reader *r;
	struct fs_readahead *ra;	/* the reader in a second thread, when it runs there */
	struct fs_symbolizer *syms;
	struct fs_session *ss;
	struct fs_script *sc;
	struct fs_timerange *tr;
	int status;			/* perf's, when perf refuses */
	struct { uint64_t off; uint16_t size; } *attrs;	/* pipe mode: the attr records */
	uint32_t nr_attrs;
};

static int write_all(int fd, const char *s, size_t len)
{
	while (len) {
		ssize_t n = write(fd, s, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		s += n;
		len -= n;
	}
	return 0;
}

/* The --header block, straight to stdout (perf prints it before checking the fields). */
static int print_header(struct args *a, const struct fs_header *hdr, struct fs_error *err)
{
	char *text;
	size_t len;
	int ret;

	if (fs_script__header_text(a->input, hdr, &text, &len, err))
		return -1;
	ret = write_all(STDOUT_FILENO, text, len);
	free(text);
	return ret ? fs_error__set(err, "writing the output: %s", strerror(errno)) : 0;
}

/* The script writer needs the attrs, which pipe-mode files give only as records. */
static int start(struct run *run, struct args *a, const struct fs_header *hdr, struct fs_error *err)
{
	int ret, bad;

	if (a->header && print_header(a, hdr, err))
		return -1;
	ret = fs_script__check(hdr, &a->opts, &bad, err);
	if (ret == FS_SCRIPT_PERF_REFUSES)
		run->status = PERF_REFUSE_STATUS;
	if (ret == FS_SCRIPT_PERF_REFUSES && bad >= 0 && (uint32_t)bad < run->nr_attrs) {
		/* perf_session__process_event()'s complaint, offsets from after the pipe header */
		size_t n = strlen(err->msg);

		snprintf(err->msg + n, sizeof(err->msg) - n, "\n%#llx [%#x]: failed to process type: %d",
			 (unsigned long long)run->attrs[bad].off - 16, run->attrs[bad].size,
			 PERF_RECORD_HEADER_ATTR);
		run->status = PIPE_ATTR_STATUS;
	}
	if (ret)
		return -1;
	if (a->time && fs_timerange__parse_rel(a->time, hdr->first_sample_time,
					       hdr->last_sample_time, a->opts.reltime, &run->tr, err))
		return -1;
	a->opts.time = run->tr;
	run->sc = fs_script__new(hdr, run->ss, &a->opts, STDOUT_FILENO, err);
	return run->sc ? 0 : -1;
}

/* Where each pipe-mode attr came from, for perf's complaint about one. */
static int note_attr(struct run *run, const struct fs_event *ev)
{
	void *v = realloc(run->attrs, (run->nr_attrs + 1) * sizeof(*run->attrs));

	if (!v)
		return -1;
	run->attrs = v;
	run->attrs[run->nr_attrs].off = ev->file_offset;
	run->attrs[run->nr_attrs++].size = ev->event->header.size;
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

/* Records of the header kind (attrs, features, tracing data) come before the first the writer prints. */
static bool header_record(uint32_t type)
{
	return type >= PERF_RECORD_HEADER_ATTR && type != PERF_RECORD_FINISHED_ROUND;
}

/*
 * A file is read ahead in a second thread while this one symbolizes and
 * formats (a pipe keeps one thread: its attr records change the header
 * the writer reads); FLAMESCOPE_THREADS=1 keeps one thread for anything.
 */
static bool read_ahead(const struct fs_header *hdr)
{
	const char *t = getenv("FLAMESCOPE_THREADS");

	if (hdr->pipe_mode || (t && atoi(t) == 1))
		return false;
	return sysconf(_SC_NPROCESSORS_ONLN) > 1;
}

/* The next record in *e: the read-ahead thread's copy, or buf. */
static int next_record(struct run *run, struct fs_event *buf, const struct fs_event **e,
		       struct fs_error *err)
{
	*e = buf;
	return run->ra ? fs_readahead__next(run->ra, e, err) : fs_reader__next(run->r, buf, err);
}

static int run_script(struct args *a, struct run *run, struct fs_error *err)
{
	struct fs_symbolizer_config cfg = {
		.symfs = a->symfs, .kallsyms = a->kallsyms, .vmlinux = a->vmlinux,
		.no_demangle = !a->demangle, .demangle_kernel = a->demangle_kernel,
	};
	const struct fs_header *hdr;
	const struct fs_event *e;
	struct fs_event buf;
	const char *why;
	int ret;

	run->r = fs_reader__open(a->input, err);
	if (!run->r)
		return -1;
	hdr = fs_reader__header(run->r);
	if (a->header_only)
		return print_header(a, hdr, err);
	cfg.os_release = hdr->osrelease;
	run->syms = fs_symbolizer__new(&cfg, err);
	if (!run->syms)
		return -1;
	run->ss = fs_session__new(hdr, run->syms, err);
	if (!run->ss)
		return -1;
	if (!hdr->pipe_mode && start(run, a, hdr, err))
		return -1;
	if (read_ahead(hdr) && !(run->ra = fs_readahead__new(run->r, err)))
		return -1;
	while ((ret = next_record(run, &buf, &e, err)) > 0) {
		uint32_t type = e->event->header.type;

		if (type == PERF_RECORD_HEADER_ATTR && note_attr(run, e))
			return fs_error__set(err, "out of memory");
		if (!run->sc && !header_record(type) && start(run, a, hdr, err))
			return -1;
		if (type == PERF_RECORD_SAMPLE) {
			if (e->has_sample && fs_script__sample(run->sc, e, err))
				return -1;
		} else if (run->sc ? fs_script__event(run->sc, e, err)
				   : fs_session__process(run->ss, e, err)) {
			struct fs_error e = *err;	/* name the file, as the reader does */

			if (!strncmp(e.msg, "writing", 7))
				return -1;
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
	struct args a = { .input = "perf.data", .demangle = true };
	struct run run = { 0 };
	struct fs_error err = { .msg = "" };
	int ret;

	a.opts.max_stack = FS_MAX_STACK;
	a.fields = fs_script_fields__new();
	if (!a.fields) {
		fprintf(stderr, "flamescope script: out of memory\n");
		return 1;
	}
	a.opts.fields = a.fields;
	ret = parse_args(argc, argv, &a);
	if (!ret)
		ret = check_args(&a);
	if (ret) {
		fs_script_fields__delete(a.fields);
		return ret < 0 ? 0 : ret;
	}
	if (a.opts.per_event_dump)
		a.opts.per_event_dump = a.input;
	a.opts.show_kernel_path = a.show_kernel_path;
	ret = run_script(&a, &run, &err) ? 1 : 0;
	/* the reader went away (SIGPIPE ignored, as in `script | head`): perf ends quietly too */
	if (ret && run.sc && fs_script__write_errno(run.sc) == EPIPE) {
		ret = 0;
	} else if (ret && run.status) {
		fprintf(stderr, "%s\n", err.msg);	/* perf's own words */
		ret = run.status;
	} else if (ret) {
		fprintf(stderr, "flamescope script: %s\n", err.msg);
	}
	fs_readahead__delete(run.ra);	/* the thread stops before anything it uses goes */
	if (run.sc)
		fs_script__delete(run.sc);
	fs_timerange__delete(run.tr);
	fs_session__delete(run.ss);
	if (run.syms)
		fs_symbolizer__delete(run.syms);
	if (run.r)
		fs_reader__close(run.r);
	fs_script_fields__delete(a.fields);
	free(run.attrs);
	return ret;
}
