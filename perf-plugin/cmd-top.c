// SPDX-License-Identifier: GPL-2.0-only
/*
 * flamescope top: FlameScope while it happens. The live source (libperf's
 * rings) feeds a window of the last --window seconds; each second the
 * terminal view redraws it, or in dashboard mode every --every seconds the
 * heat map is written to --png/--svg/--json (atomically, as heatmap writes
 * them), and --save writes the window as a perf.data.
 *
 * Columns are whole seconds of perf time (CLOCK_MONOTONIC here): the window
 * shows the `window` complete seconds before the horizon, every record
 * before which has been delivered.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <perf/core.h>
#include "commands.h"
#include "formats.h"
#include "live.h"
#include "options.h"
#include "pdwrite.h"
#include "timerange.h"
#include "top.h"
#include "util.h"
#include "window.h"

#define NSEC		1000000000ull
#define TICK_MS		100	/* one round of the rings */
#define SETTLE_NS	(3 * TICK_MS * 1000000ull)	/* past a second's end until it is complete */
/*
 * Work per wakeup is bounded, so a signal or a key is seen within about a
 * tick however fast records come: records are taken for at most a tick
 * (the rest wait, and the live source stops reading rings it cannot keep up
 * with: the kernel counts what it drops), and after a stop the last ones
 * for at most FINAL_NS. Should anything still hold it up (a huge binary's
 * symbols, a slow disk), STOP_GRACE_S after the signal a watchdog restores
 * the terminal, ends the command started and exits.
 */
#define TAKE_NS		(TICK_MS * 1000000ull)
#define FINAL_NS	(2 * NSEC)
#define STOP_GRACE_S	5
#define STR(x)		STR_(x)
#define STR_(x)		#x

enum {
	OPT_EVERY = OPT_COMMON_END, OPT_PNG, OPT_SVG, OPT_JSON, OPT_SAVE, OPT_OUTPUT_DIR, OPT_DURATION,
};

static const struct option long_options[] = {
	{ "all-cpus", no_argument, NULL, 'a' },
	{ "pid", required_argument, NULL, 'p' },
	{ "freq", required_argument, NULL, 'F' },
	{ "window", required_argument, NULL, 'w' },
	{ "mmap-pages", required_argument, NULL, 'm' },
	{ "every", required_argument, NULL, OPT_EVERY },
	{ "png", required_argument, NULL, OPT_PNG },
	{ "svg", required_argument, NULL, OPT_SVG },
	{ "json", required_argument, NULL, OPT_JSON },
	{ "save", required_argument, NULL, OPT_SAVE },
	{ "output-dir", required_argument, NULL, OPT_OUTPUT_DIR },
	{ "duration", required_argument, NULL, OPT_DURATION },
	{ "comm", required_argument, NULL, OPT_COMM },
	{ "tid", required_argument, NULL, OPT_TID },
	{ "cpu", required_argument, NULL, OPT_CPU },
	{ "include-idle", no_argument, NULL, OPT_INCLUDE_IDLE },
	{ "idle-rule", required_argument, NULL, OPT_IDLE_RULE },
	{ "symfs", required_argument, NULL, OPT_SYMFS },
	{ "buildid-dir", required_argument, NULL, OPT_BUILDID_DIR },
	{ "kallsyms", required_argument, NULL, OPT_KALLSYMS },
	{ "max-stack", required_argument, NULL, OPT_MAX_STACK },
	HEATMAP_STYLE_OPTIONS,
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int usage(FILE *f, int status)
{
	fprintf(f,
		"\n usage: flamescope top [-a | -p PID[,PID...] | [--] COMMAND [ARGS]] [options]\n\n"
		" The subsecond-offset heat map of the last --window seconds, while it happens:\n"
		" in the terminal (arrows move, Enter picks a range, w writes its flame graph),\n"
		" or with --png/--svg/--json rewritten every --every seconds for dashboards.\n\n"
		"  -a, --all-cpus         every process on every cpu (the default)\n"
		"  -p, --pid LIST         these processes, their threads and children\n"
		"  -F, --freq HZ          samples per second per cpu (default 49; max: the kernel's limit)\n"
		"  -w, --window SECONDS   seconds kept and shown (default 60)\n"
		"  -m, --mmap-pages N     ring buffer pages per cpu, a power of two (default 128)\n"
		"      --png FILE, --svg FILE, --json FILE\n"
		"                         dashboard mode: rewrite these every --every seconds\n"
		"      --every SECONDS    refresh period (default 10 with files, else 1)\n"
		"      --save FILE        the window as a perf.data (with files: every refresh;\n"
		"                         in the terminal: on w and at exit)\n"
		"      --output-dir DIR   where w writes (default .)\n"
		"      --duration SECONDS stop after this long\n"
		"      --comm LIST, --tid LIST, --cpu LIST   only these samples in the views\n"
		"      --include-idle     keep the idle loop's samples\n"
		"      --idle-rule RULE   flamescope (default) or leaf\n"
		"      --symfs DIR, --buildid-dir DIR, --kallsyms FILE, --max-stack N\n"
		HEATMAP_STYLE_HELP
		"  -q, --quiet            no notes on stderr\n\n");
	return status;
}

struct top {
	struct cli c;			/* filters, symbol places, quiet */
	struct fs_live_config lc;
	int32_t *pids;
	uint32_t window, every;
	double duration;
	const char *png, *svg, *json, *save, *outdir;
	struct fs_heatmap_opts ho;
	struct fs_heatmap_style st;
	char **command;
	int argc;
	char **cmdline;			/* "flamescope" and argv, for the perf.data header */
	/* running */
	struct fs_live *live;
	struct fs_window *w;
	struct top_term *term;
	pid_t child;
	int child_status;
	double wall_offset;
	char what[128], title[256];
	int64_t frozen_origin;		/* paused: the origin shown; else -1 */
	uint64_t lost_said;
	bool write_failed;
	bool freq_max;			/* -F max */
	char **warnings;		/* each distinct one once; the terminal view's after it closes */
	size_t nr_warnings, alloc_warnings;
	bool over;			/* the processes are gone (the terminal view stays) */
};

static volatile sig_atomic_t got_stop, got_winch, got_tstp;
/* what the watchdog undoes: set before the signals can come */
static struct top_term *volatile stop_term;
static volatile pid_t stop_child;

static void on_stop(int sig)
{
	if (!got_stop)
		alarm(STOP_GRACE_S);
	got_stop = sig;
}

/* Async-signal-safe only: write, kill, _exit, and the terminal's restore (write, tcsetattr). */
static void on_overdue(int sig)
{
	static const char msg[] = "flamescope top: not done " STR(STOP_GRACE_S) " s after the signal: "
				  "ending now, without the last files\n";

	(void)sig;
	top_term__restore(stop_term);
	if (stop_child > 0)	/* it had its SIGTERM when the stop began */
		kill(stop_child, SIGKILL);
	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0)
		_exit(1);
	_exit(1);
}

static void on_winch(int sig)
{
	(void)sig;
	got_winch = 1;
}

static void on_tstp(int sig)
{
	(void)sig;
	got_tstp = 1;
}

static int silent(enum libperf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

/* ---- options ---- */

static int bad(const char *opt, const char *arg, const char *why)
{
	fprintf(stderr, "flamescope top: --%s '%s': %s\n", opt, arg, why);
	return -1;
}

static int parse_u32(const char *opt, const char *arg, uint32_t lo, uint32_t hi, uint32_t *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (end == arg || *end || errno || arg[0] == '-' || v < lo || v > hi) {
		char why[64];

		snprintf(why, sizeof(why), "expected a number from %u to %u", lo, hi);
		return bad(opt, arg, why);
	}
	*out = v;
	return 0;
}

static int parse_pids(struct top *t, const char *arg)
{
	char *copy = strdup(arg), *save = NULL;
	uint32_t n = 0;

	t->pids = calloc(strlen(arg) / 2 + 2, sizeof(*t->pids));
	if (!copy || !t->pids) {
		free(copy);
		return bad("pid", arg, "out of memory");
	}
	for (char *s = strtok_r(copy, ",", &save); s; s = strtok_r(NULL, ",", &save)) {
		char *end;
		long v = strtol(s, &end, 10);

		if (end == s || *end || v <= 0 || v > INT32_MAX) {
			free(copy);
			return bad("pid", arg, "expected a comma-separated list of process ids");
		}
		t->pids[n++] = v;
	}
	free(copy);
	if (!n)
		return bad("pid", arg, "expected a comma-separated list of process ids");
	t->lc.pids = t->pids;
	t->lc.nr_pids = n;
	return 0;
}

static int parse_opt(struct top *t, int opt, const char *arg)
{
	int r = cli__option(&t->c, opt, arg);
	double d;

	if (r)
		return r > 0 ? 0 : -1;
	r = cli__heatmap_option("top", opt, arg, &t->ho, &t->st);
	if (r)
		return r > 0 ? 0 : -1;
	switch (opt) {
	case 'a': t->lc.system_wide = true; return 0;
	case 'p': return t->lc.nr_pids ? bad("pid", arg, "given twice") : parse_pids(t, arg);
	case 'F':	/* as perf record: "max" is perf_event_max_sample_rate, above it is lowered */
		if (!strcmp(arg, "max")) {
			t->lc.freq = UINT32_MAX;
			t->freq_max = true;
			return 0;
		}
		return parse_u32("freq", arg, 1, UINT32_MAX - 1, &t->lc.freq);
	case 'w': return parse_u32("window", arg, 1, 86400, &t->window);
	case 'm': return parse_u32("mmap-pages", arg, 1, 1u << 20, &t->lc.mmap_pages);
	case OPT_EVERY: return parse_u32("every", arg, 1, 86400, &t->every);
	case OPT_PNG: t->png = arg; return 0;
	case OPT_SVG: t->svg = arg; return 0;
	case OPT_JSON: t->json = arg; return 0;
	case OPT_SAVE: t->save = arg; return 0;
	case OPT_OUTPUT_DIR: t->outdir = arg; return 0;
	case OPT_DURATION:
		if (cli__seconds(arg, &d) || d <= 0)
			return bad("duration", arg, "expected seconds");
		t->duration = d;
		return 0;
	}
	return -1;
}

static int parse(struct top *t, int argc, char **argv)
{
	int opt;

	optind = 1;
	/* '+': the first word that is no option starts the command, as perf record reads it */
	while ((opt = getopt_long(argc, argv, "+ap:F:w:m:qh", long_options, NULL)) != -1) {
		if (opt == 'h')
			return usage(stdout, 0);
		if (opt == '?' || parse_opt(t, opt, optarg))
			return 2;
	}
	if (optind < argc)
		t->command = argv + optind;
	if ((t->lc.system_wide ? 1 : 0) + (t->lc.nr_pids ? 1 : 0) + (t->command ? 1 : 0) > 1) {
		fprintf(stderr, "flamescope top: -a, -p and a command exclude each other\n");
		return 2;
	}
	if (t->lc.mmap_pages & (t->lc.mmap_pages - 1)) {
		fprintf(stderr, "flamescope top: --mmap-pages %u: expected a power of two\n",
			t->lc.mmap_pages);
		return 2;
	}
	if (!t->lc.nr_pids && !t->command)
		t->lc.system_wide = true;	/* as perf top */
	if (!t->every)
		t->every = t->png || t->svg || t->json ? 10 : 1;
	return -1;
}

/* ---- the workload ---- */

/*
 * The command is forked first and waits on a pipe, so its events can be
 * opened (enable_on_exec) before it runs: counting starts at its exec.
 */
static pid_t fork_command(char **command, bool quiet_stdio, int *go)
{
	int fds[2];
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (!pid) {
		char c;

		close(fds[1]);
		if (read(fds[0], &c, 1) != 1)
			_exit(127);	/* the parent gave up */
		if (quiet_stdio) {	/* the terminal view owns the screen and the keys */
			int null = open("/dev/null", O_RDWR);

			dup2(null, 0);
			dup2(null, 1);
			dup2(null, 2);
		}
		signal(SIGPIPE, SIG_DFL);
		execvp(command[0], command);
		fprintf(stderr, "flamescope top: %s: %s\n", command[0], strerror(errno));
		_exit(127);
	}
	close(fds[0]);
	*go = fds[1];
	return pid;
}

static void reap(struct top *t, bool wait)
{
	int status;

	if (t->child <= 0)
		return;
	if (waitpid(t->child, &status, wait ? 0 : WNOHANG) == t->child) {
		t->child_status = status;
		t->child = 0;
		stop_child = 0;
	}
}

/* Ends the command started: SIGTERM, as perf record does, and SIGKILL if it ignores that a while. */
static void end_child(struct top *t)
{
	reap(t, false);
	if (t->child <= 0)
		return;
	kill(t->child, SIGTERM);
	for (int i = 0; i < 100 && t->child > 0; i++) {
		poll(NULL, 0, 10);
		reap(t, false);
	}
	if (t->child > 0)
		kill(t->child, SIGKILL);
	reap(t, true);
}

/* ---- time ---- */

static double wall_offset(void)
{
	struct timespec rt, mono;

	clock_gettime(CLOCK_REALTIME, &rt);
	clock_gettime(CLOCK_MONOTONIC, &mono);
	return (rt.tv_sec - mono.tv_sec) + (rt.tv_nsec - mono.tv_nsec) / 1e9;
}

static int64_t window_origin(const struct top *t)
{
	int64_t end = (int64_t)(fs_live__horizon(t->live) / NSEC);

	if (t->frozen_origin >= 0)
		return t->frozen_origin;
	return end - (int64_t)t->window;
}

static void clock_label(const struct top *t, int64_t sec, char *out, size_t size)
{
	time_t w = (time_t)floor((double)sec + t->wall_offset);
	struct tm tm;

	localtime_r(&w, &tm);
	strftime(out, size, "%H:%M:%S", &tm);
}

/* ---- warnings ---- */

static void say_warning(const struct top *t, const char *msg)
{
	if (!t->c.quiet)
		fprintf(stderr, "flamescope top: warning: %s\n", msg);
}

/* Printed at once, but not over the terminal view: after it closes. */
static void on_warning(void *arg, const char *msg)
{
	struct top *t = arg;
	char *copy;

	for (size_t i = 0; i < t->nr_warnings; i++)
		if (!strcmp(t->warnings[i], msg))
			return;
	copy = strdup(msg);
	if (!copy || FS_GROW(t->warnings, t->alloc_warnings, t->nr_warnings + 1)) {
		free(copy);
		return;
	}
	t->warnings[t->nr_warnings++] = copy;
	if (!t->term || !top_term__interactive(t->term))
		say_warning(t, msg);
}

static void warnings_free(struct top *t)
{
	for (size_t i = 0; i < t->nr_warnings; i++)
		free(t->warnings[i]);
	free(t->warnings);
	t->warnings = NULL;
	t->nr_warnings = 0;
}

/* ---- feeding ---- */

/*
 * One round: read the rings, then take the ready records until none is
 * left, the budget (ns) is spent, or (but for the final round) a signal
 * came. What is left waits for the next round.
 */
static int pump(struct top *t, bool final, uint64_t budget)
{
	struct fs_error err = { "" };
	uint64_t until = fs_live__now() + budget;
	struct fs_event ev;
	unsigned n = 0;

	if (fs_live__read(t->live, final, &err) < 0)
		goto fail;
	while ((final || !got_stop) && fs_live__next(t->live, &ev) > 0) {
		if (fs_window__add(t->w, &ev, &err))
			goto fail;
		if (!(++n & 255) && fs_live__now() >= until)
			break;
	}
	return 0;
fail:
	fprintf(stderr, "flamescope top: %s\n", err.msg);
	return -1;
}

static int evict(struct top *t)
{
	struct fs_error err = { "" };
	int64_t origin = window_origin(t);

	if (fs_window__evict(t->w, origin > 0 ? (uint64_t)origin * NSEC : 0, &err)) {
		fprintf(stderr, "flamescope top: %s\n", err.msg);
		return -1;
	}
	return 0;
}

static int prepare(struct top *t)
{
	struct fs_error err = { "" };

	t->c.filter.event = 0;
	if (fs_filter__prepare(&t->c.filter, fs_window__profile(t->w), &err)) {
		fprintf(stderr, "flamescope top: %s\n", err.msg);
		return -1;
	}
	return 0;
}

/* ---- writing ---- */

static FILE *out_open(struct top *t, struct cli_out *o, const char *path)
{
	t->c.output = path;
	return cli_out__open(o, &t->c) ? NULL : o->f;
}

static int out_close(struct top *t, struct cli_out *o, const char *path, bool ok,
		     const struct fs_error *err)
{
	int status;

	t->c.output = path;
	status = cli_out__close(o, &t->c, ok);
	if (!ok && err->msg[0])
		fprintf(stderr, "flamescope top: %s: %s\n", path, err->msg);
	return status;
}

static struct fs_heatmap *window_heatmap(struct top *t, struct fs_error *err)
{
	struct fs_heatmap_opts ho = t->ho;

	ho.has_origin = true;
	ho.origin = (double)window_origin(t);
	ho.has_from = false;
	ho.has_to = true;
	ho.to = t->window - 1e-6;
	ho.max_columns = t->window + 1;
	return fs_heatmap__from_profile(fs_window__profile(t->w), &t->c.filter, &ho, err);
}

static void default_title(struct top *t)
{
	const struct fs_live_stats *ls = fs_live__stats(t->live);
	int64_t origin = window_origin(t);
	char a[16], b[16];
	int n;

	if (t->st.title && t->st.title != t->title)
		return;
	clock_label(t, origin, a, sizeof(a));
	clock_label(t, origin + t->window, b, sizeof(b));
	n = snprintf(t->title, sizeof(t->title), "flamescope top: %s, %s-%s", t->what, a, b);
	if (ls->nr_lost && n > 0 && (size_t)n < sizeof(t->title))
		snprintf(t->title + n, sizeof(t->title) - n, ", %llu samples lost",
			 (unsigned long long)ls->nr_lost);
	t->st.title = t->title;
}

static int write_heatmap(struct top *t, const char *path, const char *format)
{
	struct fs_error err = { "" };
	struct fs_heatmap *hm = window_heatmap(t, &err);
	struct cli_out o;
	FILE *f;
	int ret = -1;

	if (!hm) {
		fprintf(stderr, "flamescope top: %s\n", err.msg);
		return -1;
	}
	default_title(t);
	f = out_open(t, &o, path);
	if (f) {
		ret = heatmap_format__find(format)->write(hm, &t->st, f, &err);
		ret = out_close(t, &o, path, ret == 0, &err) ? -1 : 0;
	}
	fs_heatmap__delete(hm);
	return ret;
}

struct save_arg {
	struct fs_pdwriter *pw;
	struct fs_error *err;
	bool final;
};

/* A refresh's save gives way to a signal (its file is left as it was); the final one does not. */
static int save_record(void *arg, const union perf_event *ev)
{
	struct save_arg *a = arg;

	if (got_stop && !a->final)
		return -1;
	return fs_pdwriter__add(a->pw, ev, a->err);
}

static int write_save(struct top *t, const char *path, bool final)
{
	struct fs_error err = { "" };
	struct save_arg a = { NULL, &err, final };
	struct cli_out o;
	FILE *f = out_open(t, &o, path);
	bool ok = false;

	if (!f)
		return -1;
	a.pw = fs_pdwriter__new(f, fs_live__header(t->live), (const char *const *)t->cmdline,
				t->argc + 1, &err);
	if (a.pw) {
		ok = !fs_window__for_each_record(t->w, save_record, &a);
		ok = !fs_pdwriter__finish(a.pw, &err) && ok;
	}
	return out_close(t, &o, path, ok, &err) ? -1 : 0;
}

static void note_lost(struct top *t)
{
	const struct fs_live_stats *ls = fs_live__stats(t->live);

	if (ls->nr_lost <= t->lost_said || t->c.quiet || t->term)
		return;
	fprintf(stderr, "flamescope top: %llu samples lost so far (the rings filled up): "
		"lower -F or raise -m\n", (unsigned long long)ls->nr_lost);
	t->lost_said = ls->nr_lost;
}

static int dashboard_write(struct top *t, bool final)
{
	const struct fs_profile *p = fs_window__profile(t->w);
	int64_t origin = window_origin(t);
	int ret = 0;
	char a[16];

	if (prepare(t))
		return -1;
	ret |= t->png ? write_heatmap(t, t->png, "png") : 0;
	ret |= t->svg ? write_heatmap(t, t->svg, "svg") : 0;
	ret |= t->json ? write_heatmap(t, t->json, "json") : 0;
	ret |= t->save ? write_save(t, t->save, final) : 0;
	t->write_failed = ret != 0;
	note_lost(t);
	if (!t->c.quiet && !ret) {
		clock_label(t, origin, a, sizeof(a));
		fprintf(stderr, "flamescope top: wrote %u s from %lld (perf time; %s): %llu samples, "
			"%llu lost\n", t->window, (long long)origin, a,
			(unsigned long long)p->nr_samples,
			(unsigned long long)fs_live__stats(t->live)->nr_lost);
	}
	return ret;
}

/* The range's flame graph (SVG) and the window's heat map (PNG, SVG), named by the time. */
static void term_write(struct top *t, const struct top_view *v)
{
	struct fs_flame_style fst;
	struct fs_fold_opts fo = { 0 };
	struct fs_filter f = t->c.filter;
	struct fs_timerange *tr = malloc(sizeof(*tr) + sizeof(tr->r[0]));
	struct fs_error err = { "" };
	struct fs_flame *fl = NULL;
	char base[4200], flame[4300], png[4300], svg[4300], stamp[32], data[4300];
	time_t now = time(NULL);
	struct tm tm;
	struct cli_out o;
	FILE *out;
	bool ok = false;

	if (!tr) {
		top_term__message(t->term, "out of memory");
		return;
	}
	localtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	snprintf(base, sizeof(base), "%s/flamescope-top-%s", t->outdir ? t->outdir : ".", stamp);
	snprintf(flame, sizeof(flame), "%s-flame.svg", base);
	snprintf(png, sizeof(png), "%s-heat.png", base);
	snprintf(svg, sizeof(svg), "%s-heat.svg", base);
	tr->nr = 1;
	top_term__range(t->term, v, &tr->r[0].start, &tr->r[0].end);
	tr->r[0].end--;		/* timerange ends are inclusive */
	f.time = tr;
	f.comm_ids = NULL;
	fs_flame_style__init(&fst);
	if (fs_filter__prepare(&f, v->p, &err) == 0 &&
	    (fl = fs_flame__from_profile(v->p, &f, &fo, &err)) && (out = out_open(t, &o, flame)))
		ok = out_close(t, &o, flame, fs_flame__write_svg(fl, &fst, out, &err) == 0, &err) == 0;
	fs_flame__delete(fl);
	fs_filter__release(&f);
	free(tr);
	ok = ok && !write_heatmap(t, png, "png") && !write_heatmap(t, svg, "svg");
	if (ok && t->save)
		ok = !write_save(t, t->save, false);
	snprintf(data, sizeof(data), "%s%s", t->save ? ", " : "", t->save ? t->save : "");
	if (ok)
		top_term__message(t->term, "wrote %s-{flame.svg,heat.png,heat.svg}%s", base, data);
	else
		top_term__message(t->term, "writing failed%s%s", err.msg[0] ? ": " : "", err.msg);
}

/* ---- the loop ---- */

static void fill_view(struct top *t, struct top_view *v)
{
	const struct fs_live_stats *ls = fs_live__stats(t->live);

	*v = (struct top_view){
		.p = fs_window__profile(t->w), .filter = &t->c.filter,
		.origin = window_origin(t), .columns = t->window, .rows = t->ho.rows,
		.wall_offset = t->wall_offset, .what = t->what, .samples = ls->nr_samples,
		.lost = ls->nr_lost, .throttled = ls->nr_throttled,
		.paused = t->frozen_origin >= 0 && !t->over,
		.ended = ls->ended || (t->command && !t->child),
		.user_only = ls->user_only, .palette = t->st.palette, .max = t->st.max,
	};
}

static int term_draw(struct top *t)
{
	struct top_view v;

	if (prepare(t))
		return -1;
	fill_view(t, &v);
	if (top_term__draw(t->term, &v)) {
		fprintf(stderr, "flamescope top: out of memory drawing\n");
		return -1;
	}
	return 0;
}

static bool handle_key(struct top *t, bool *redraw)
{
	enum top_action a = top_term__input(t->term);
	struct top_view v;

	switch (a) {
	case TOP_QUIT:
		return false;
	case TOP_PAUSE:
		t->frozen_origin = t->frozen_origin >= 0 ? -1 : window_origin(t);
		*redraw = true;
		break;
	case TOP_WRITE:
		if (!prepare(t)) {
			fill_view(t, &v);
			term_write(t, &v);
		}
		*redraw = true;
		break;
	case TOP_REDRAW:
		*redraw = true;
		break;
	case TOP_NONE:
		break;
	}
	return true;
}

static void suspend(struct top *t)
{
	top_term__suspend(t->term);
	signal(SIGTSTP, SIG_DFL);
	raise(SIGTSTP);		/* stops here until SIGCONT */
	signal(SIGTSTP, on_tstp);
	top_term__resume(t->term);
}

/* The next refresh: a whole number of periods, once the second before it is complete. */
static uint64_t next_refresh(const struct top *t, uint64_t now)
{
	uint64_t period = (uint64_t)t->every * NSEC, next = (now - SETTLE_NS) / period * period;

	return next + period + SETTLE_NS;
}

/* The profiled processes are gone: the command exited, or every -p process did. */
static bool gone(struct top *t)
{
	reap(t, false);
	return t->command ? !t->child : fs_live__stats(t->live)->ended;
}

/*
 * Dashboards and plain frames stop when the processes are gone; the
 * terminal view keeps the last picture (frozen, "(ended)") until q.
 */
static int at_end(struct top *t, bool *redraw)
{
	if (!t->term || !top_term__interactive(t->term))
		return 1;
	if (!t->over) {
		t->over = true;
		if (pump(t, true, FINAL_NS))
			return -1;
		if (t->frozen_origin < 0)
			t->frozen_origin = window_origin(t);
		*redraw = true;
	}
	return 0;
}

static int run(struct top *t)
{
	uint64_t start = fs_live__now(), due = next_refresh(t, start);
	bool dashboard = t->png || t->svg || t->json;
	bool redraw = !dashboard;

	while (!got_stop) {
		struct pollfd pfd = { t->term ? top_term__fd(t->term) : -1, POLLIN, 0 };
		uint64_t now = fs_live__now();

		poll(&pfd, 1, fs_live__pending(t->live) ? 0 : TICK_MS);	/* behind: no sleep */
		if (got_tstp && t->term) {
			got_tstp = 0;
			suspend(t);
			redraw = true;
		}
		if (got_winch)
			got_winch = 0, redraw = true;
		if (t->term && (pfd.revents & POLLIN) && !handle_key(t, &redraw))
			break;
		if (pump(t, false, TAKE_NS))
			return 1;
		if (t->duration > 0 && fs_live__now() - start >= t->duration * NSEC)
			break;
		if (gone(t)) {
			int r = at_end(t, &redraw);

			if (r)
				return r < 0;
		}
		if (!fs_live__horizon(t->live))
			continue;	/* nothing delivered yet: no window to show */
		now = fs_live__now();
		if (now < due && !(redraw && t->term && top_term__interactive(t->term)))
			continue;
		if (now >= due)
			due = next_refresh(t, now);
		redraw = false;
		if (evict(t))
			return 1;
		if (dashboard)
			dashboard_write(t, false);	/* a failed write is said; the next may succeed */
		else if (term_draw(t))
			return 1;
	}
	return 0;
}

/* After the loop: the last records, and the final picture. */
static int finish(struct top *t, bool dashboard)
{
	end_child(t);	/* stopped before the command ended */
	if (pump(t, true, FINAL_NS) || evict(t))
		return 1;
	if (fs_live__pending(t->live) && !t->c.quiet)
		fprintf(stderr, "flamescope top: stopped with %llu records not taken (%.0f s to take "
			"the last ones)\n", (unsigned long long)fs_live__pending(t->live),
			(double)FINAL_NS / NSEC);
	if (dashboard)
		return dashboard_write(t, true) || t->write_failed ? 1 : 0;
	if (t->save)
		return prepare(t) || write_save(t, t->save, true) ? 1 : 0;
	return 0;
}

/* perf record's warning, when the kernel's limit lowered -F (not for -F max, which asks for it). */
static void note_freq(const struct top *t)
{
	const struct fs_live_stats *ls = fs_live__stats(t->live);

	if (ls->freq == ls->freq_asked || t->freq_max || t->c.quiet)
		return;
	fprintf(stderr, "flamescope top: warning: -F %u is above kernel.perf_event_max_sample_rate: "
		"sampling at %u Hz (the limit can be raised through "
		"/proc/sys/kernel/perf_event_max_sample_rate; the kernel lowers it when its "
		"sampling interrupts take too long)\n", ls->freq_asked, ls->freq);
}

static void describe(struct top *t)
{
	const char *ev = fs_live__event_name(t->live);
	uint32_t hz = fs_live__stats(t->live)->freq;

	if (t->lc.system_wide)
		snprintf(t->what, sizeof(t->what), "%s %u Hz, all cpus", ev, hz);
	else if (t->command)
		snprintf(t->what, sizeof(t->what), "%s %u Hz, %.40s", ev, hz,
			 strrchr(t->command[0], '/') ? strrchr(t->command[0], '/') + 1 : t->command[0]);
	else if (t->lc.nr_pids == 1)
		snprintf(t->what, sizeof(t->what), "%s %u Hz, pid %d", ev, hz, t->lc.pids[0]);
	else
		snprintf(t->what, sizeof(t->what), "%s %u Hz, %u processes", ev, hz, t->lc.nr_pids);
}

static int start(struct top *t, bool dashboard, int *go)
{
	struct fs_window_config wc = { .syms = t->c.cfg.syms, .max_stack = t->c.cfg.max_stack,
				       .keep_records = t->save != NULL,
				       .warn = on_warning, .warn_arg = t };
	struct fs_error err = { "" };

	libperf_init(silent);
	if (t->command) {
		t->child = fork_command(t->command, !dashboard && isatty(STDOUT_FILENO), go);
		stop_child = t->child;
		if (t->child < 0) {
			fprintf(stderr, "flamescope top: cannot start %s: %s\n", t->command[0],
				strerror(errno));
			return 1;
		}
		t->lc.pids = (const int32_t *)&t->child;
		t->lc.nr_pids = 1;
		t->lc.enable_on_exec = true;
	}
	t->live = fs_live__open(&t->lc, &err);
	if (!t->live) {
		fprintf(stderr, "flamescope top: %s\n", err.msg);
		return 1;
	}
	t->w = fs_window__new(&wc, fs_live__header(t->live), &err);
	if (!t->w) {
		fprintf(stderr, "flamescope top: %s\n", err.msg);
		return 1;
	}
	describe(t);
	note_freq(t);
	t->wall_offset = wall_offset();
	return 0;
}

static void signals(bool term)
{
	struct sigaction sa = { .sa_handler = on_stop };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = on_overdue;
	sigaction(SIGALRM, &sa, NULL);
	sa.sa_handler = on_winch;
	sigaction(SIGWINCH, &sa, NULL);
	if (term) {
		sa.sa_handler = on_tstp;
		sigaction(SIGTSTP, &sa, NULL);
	}
	signal(SIGPIPE, SIG_IGN);
}

int cmd_top(int argc, char **argv)
{
	struct top t = { .window = 60, .frozen_origin = -1, .argc = argc };
	bool dashboard, deferred;
	int status, go = -1;

	cli__init(&t.c, "top");
	t.cmdline = calloc(argc + 2, sizeof(*t.cmdline));
	if (!t.cmdline) {
		fprintf(stderr, "flamescope top: out of memory\n");
		return 1;
	}
	t.cmdline[0] = "flamescope";
	memcpy(t.cmdline + 1, argv, argc * sizeof(*argv));
	t.st.palette = "flamescope";
	status = parse(&t, argc, argv);
	if (status >= 0)
		goto out;
	dashboard = t.png || t.svg || t.json;
	signals(!dashboard);
	status = start(&t, dashboard, &go);
	if (status)
		goto out;
	if (!dashboard)
		stop_term = t.term = top_term__open();
	if (go >= 0) {
		if (write(go, "g", 1) != 1)
			status = 1;
		close(go);
		go = -1;
	}
	fs_live__enable(t.live);
	status = run(&t);
	deferred = t.term && top_term__interactive(t.term);
	stop_term = NULL;
	top_term__close(t.term);
	t.term = NULL;
	for (size_t i = 0; deferred && i < t.nr_warnings; i++)
		say_warning(&t, t.warnings[i]);
	if (!status)
		status = finish(&t, dashboard);
	if (got_stop && !t.c.quiet)
		fprintf(stderr, "flamescope top: stopped by signal %d\n", (int)got_stop);
	if (!status && t.command && WIFEXITED(t.child_status) && WEXITSTATUS(t.child_status) == 127) {
		fprintf(stderr, "flamescope top: %s could not run\n", t.command[0]);
		status = 1;
	}
out:
	stop_term = NULL;
	top_term__close(t.term);
	if (go >= 0)
		close(go);	/* the waiting child reads EOF and exits */
	end_child(&t);
	fs_window__delete(t.w);
	fs_live__close(t.live);
	warnings_free(&t);
	free(t.pids);
	free(t.cmdline);
	cli__exit(&t.c);
	return status;
}
