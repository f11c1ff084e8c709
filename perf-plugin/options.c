// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "list.h"
#include "options.h"
#include "palette.h"
#include "timerange.h"
#include "tpfilter.h"
#include "util.h"

void cli__init(struct cli *c, const char *cmd)
{
	memset(c, 0, sizeof(*c));
	c->cmd = cmd;
	c->input = "perf.data";
	c->filter.event = -1;
}

void cli__exit(struct cli *c)
{
	free(c->pids);
	free(c->tids);
	free(c->cpus);
	free(c->comms);
	fs_timerange__delete(c->time);
	fs_filter__release(&c->filter);
}

static int bad(const struct cli *c, const char *opt, const char *arg, const char *why)
{
	fprintf(stderr, "flamescope %s: --%s '%s': %s\n", c->cmd, opt, arg, why);
	return -1;
}

/* Ids or cpus ("1,2,5-7": ranges only where allowed) as the filter's 32-bit values. */
static int parse_ids(const char *arg, bool ranges, int32_t **out, uint32_t *nr)
{
	int64_t *v, bad;
	size_t n;

	if (fs_list__ints(arg, ranges, 0, INT32_MAX, &v, &n, &bad) || n > UINT32_MAX)
		return -1;
	*out = malloc(n * sizeof(**out));
	for (size_t i = 0; *out && i < n; i++)
		(*out)[i] = (int32_t)v[i];
	free(v);
	*nr = (uint32_t)n;
	return *out ? 0 : -1;
}

static int parse_comms(struct cli *c, const char *arg)
{
	size_t n;

	if (fs_list__strs(arg, &c->comms, &n) || n > UINT32_MAX)
		return -1;
	c->filter.comms = (const char *const *)c->comms;
	c->filter.nr_comms = (uint32_t)n;
	return 0;
}

int cli__seconds(const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end || errno || !(v >= 0) || v > 1e12)
		return -1;
	*out = v;
	return 0;
}

int cli__option(struct cli *c, int opt, const char *arg)
{
	switch (opt) {
	case 'i': c->input = arg; return 1;
	case 'o': c->output = arg; return 1;
	case 'q': c->quiet = true; return 1;
	case OPT_FORMAT: c->format = arg; return 1;
	case OPT_EVENT: c->event = arg; return 1;
	case OPT_TIME: c->time_spec = arg; return 1;
	case OPT_SYMFS: c->cfg.syms.symfs = arg; return 1;
	case OPT_BUILDID_DIR: c->cfg.syms.buildid_dir = arg; return 1;
	case OPT_KALLSYMS: c->cfg.syms.kallsyms = arg; return 1;
	case OPT_INCLUDE_IDLE: c->filter.include_idle = true; return 1;
	case OPT_PID:
		if (c->pids || parse_ids(arg, false, &c->pids, &c->filter.nr_pids))
			return bad(c, "pid", arg, "expected a comma-separated list of process ids");
		c->filter.pids = c->pids;
		return 1;
	case OPT_TID:
		if (c->tids || parse_ids(arg, false, &c->tids, &c->filter.nr_tids))
			return bad(c, "tid", arg, "expected a comma-separated list of thread ids");
		c->filter.tids = c->tids;
		return 1;
	case OPT_CPU:
		if (c->cpus || parse_ids(arg, true, (int32_t **)&c->cpus, &c->filter.nr_cpus))

			return bad(c, "cpu", arg, "expected cpus such as 0-3,8");
		c->filter.cpus = c->cpus;
		return 1;
	case OPT_COMM:
		if (c->comms || parse_comms(c, arg))
			return bad(c, "comm", arg, "expected a comma-separated list of command names");
		return 1;
	case OPT_IDLE_RULE:
		if (!strcmp(arg, "flamescope"))
			c->filter.idle_rule = FS_IDLE_FLAMESCOPE;
		else if (!strcmp(arg, "leaf"))
			c->filter.idle_rule = FS_IDLE_LEAF;
		else
			return bad(c, "idle-rule", arg, "expected flamescope or leaf");
		return 1;
	case OPT_WEIGHT:
		if (!strcmp(arg, "samples"))
			c->filter.weight = FS_WEIGHT_SAMPLES;
		else if (!strcmp(arg, "period"))
			c->filter.weight = FS_WEIGHT_PERIOD;
		else if (!strcmp(arg, "offcpu"))
			c->filter.weight = FS_WEIGHT_OFFCPU;
		else
			return bad(c, "weight", arg, "expected samples, period or offcpu");
		c->cfg.offcpu = c->filter.weight == FS_WEIGHT_OFFCPU;
		return 1;
	case OPT_FILTER: {
		struct fs_error err = { "" };

		/* the grammar now, before a long load; fields when the event is known */
		if (fs_tp_filter__check(arg, &err)) {
			fprintf(stderr, "flamescope %s: --filter: %s\n", c->cmd, err.msg);
			return -1;
		}
		c->tp_filter = arg;
		return 1;
	}
	case OPT_MAX_STACK: {
		char *end;
		long v = strtol(arg, &end, 10);

		if (end == arg || *end || v < 1 || v > 65536)
			return bad(c, "max-stack", arg, "expected a number from 1 to 65536");
		c->cfg.max_stack = v;
		return 1;
	}
	}
	return 0;
}

static int load_error(const struct cli *c, const char *msg)
{
	fprintf(stderr, "flamescope %s: %s\n", c->cmd, msg);
	return -1;
}

static double elapsed(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) + (b->tv_nsec - a->tv_nsec) / 1e9;
}

void cli_progress__init(struct cli_progress *pr, const char *cmd, const char *path, bool quiet)
{
	memset(pr, 0, sizeof(*pr));
	pr->cmd = cmd;
	pr->path = path;
	pr->on = !quiet && isatty(STDERR_FILENO);
	clock_gettime(CLOCK_MONOTONIC, &pr->start);
}

void cli_progress__update(void *arg, uint64_t done, uint64_t total)
{
	struct cli_progress *pr = arg;
	struct timespec now;

	if (!pr->on)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	/* Quick runs stay silent; then at most five redraws a second. */
	if (elapsed(&pr->start, &now) < 1 || (pr->shown && elapsed(&pr->last, &now) < 0.2))
		return;
	pr->last = now;
	pr->shown = true;
	if (total)
		fprintf(stderr, "\rflamescope %s: %s: %llu MB / %llu MB (%u%%)\033[K", pr->cmd, pr->path,
			(unsigned long long)(done >> 20), (unsigned long long)(total >> 20),
			(unsigned)(done < total ? done * 100 / total : 100));
	else
		fprintf(stderr, "\rflamescope %s: %s: %llu MB read\033[K", pr->cmd, pr->path,
			(unsigned long long)(done >> 20));
}

void cli_progress__end(struct cli_progress *pr)
{
	if (pr->shown)
		fprintf(stderr, "\r\033[K");
	pr->shown = false;
}

/* A load's warnings, each distinct one once, printed when the load ends (after progress). */
struct cli_warnings {
	const struct cli *c;
	char **msgs;
	size_t nr, alloc;
};

static void print_warning(const struct cli *c, const char *msg)
{
	if (!c->quiet)
		fprintf(stderr, "flamescope %s: warning: %s\n", c->cmd, msg);
}

static void cli_warnings__add(void *arg, const char *msg)
{
	struct cli_warnings *w = arg;
	char *copy;

	for (size_t i = 0; i < w->nr; i++)
		if (!strcmp(w->msgs[i], msg))
			return;
	copy = strdup(msg);
	if (!copy || FS_GROW(w->msgs, w->alloc, w->nr + 1)) {
		free(copy);
		print_warning(w->c, msg);	/* no room to keep it: now, rather than never */
		return;
	}
	w->msgs[w->nr++] = copy;
}

/* print: false when the load gave nothing to show, whose one error line says it all */
static void cli_warnings__flush(struct cli_warnings *w, bool print)
{
	for (size_t i = 0; i < w->nr; i++) {
		if (print)
			print_warning(w->c, w->msgs[i]);
		free(w->msgs[i]);
	}
	free(w->msgs);
	w->msgs = NULL;
	w->nr = w->alloc = 0;
}

struct fs_profile *cli__load(struct cli *c)
{
	struct cli_warnings warnings = { .c = c };
	struct fs_error err = { "" };
	struct cli_progress pr;
	struct fs_profile *p;

	c->cfg.path = c->input;
	if (cli__check_output(c))	/* before a long load, not after */
		return NULL;
	/* off-CPU time is sched_switch's: make it the default event */
	if (c->filter.weight == FS_WEIGHT_OFFCPU && !c->event)
		c->event = "sched:sched_switch";
	c->cfg.tp_filter = c->tp_filter;
	c->cfg.tp_filter_event = c->event;
	cli_progress__init(&pr, c->cmd, c->input, c->quiet);
	c->cfg.progress = pr.on ? cli_progress__update : NULL;
	c->cfg.progress_arg = &pr;
	c->cfg.warn = cli_warnings__add;
	c->cfg.warn_arg = &warnings;
	p = fs_profile__load(&c->cfg, &err);
	c->cfg.progress = NULL;
	c->cfg.progress_arg = NULL;
	c->cfg.warn = NULL;
	c->cfg.warn_arg = NULL;
	cli_progress__end(&pr);
	cli_warnings__flush(&warnings, p && p->nr_samples);

	if (!p) {
		load_error(c, err.msg);
		return NULL;
	}
	if (!p->nr_samples) {
		fprintf(stderr, "flamescope %s: %s: no samples\n", c->cmd, c->input);
		goto fail;
	}
	if (c->event) {
		c->filter.event = fs_profile__event(p, c->event);
		if (c->filter.event < 0) {
			fprintf(stderr, "flamescope %s: %s: no event '%s' (events:", c->cmd, c->input, c->event);
			for (uint32_t i = 0; i < p->nr_events; i++)
				fprintf(stderr, " %s", p->events[i]);
			fprintf(stderr, ")\n");
			goto fail;
		}
	} else {
		c->filter.event = p->samples[0].event;
	}
	if (c->filter.weight == FS_WEIGHT_OFFCPU && strcmp(p->events[c->filter.event], "sched:sched_switch")) {
		fprintf(stderr, "flamescope %s: %s: --weight offcpu needs sched:sched_switch, not %s\n",
			c->cmd, c->input, p->events[c->filter.event]);
		goto fail;
	}
	if (c->time_spec) {
		uint64_t first = p->hdr_first_time ? p->hdr_first_time : p->first_time;
		uint64_t last = p->hdr_last_time ? p->hdr_last_time : p->last_time;

		if (fs_timerange__parse(c->time_spec, first, last, &c->time, &err) < 0) {
			load_error(c, err.msg);
			goto fail;
		}
		c->filter.time = c->time;
	}
	if (fs_filter__prepare(&c->filter, p, &err)) {
		load_error(c, err.msg);
		goto fail;
	}
	return p;
fail:
	fs_profile__delete(p);
	return NULL;
}

int cli__parse(struct cli *c, int argc, char **argv, const struct option *longopts,
	       int (*own)(int opt, const char *arg, void *ctx), void *ctx, int (*usage)(FILE *f, int status))
{
	int opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "i:o:qh", longopts, NULL)) != -1) {
		int r;

		if (opt == 'h')
			return usage(stdout, 0);
		r = cli__option(c, opt, optarg);
		if (r < 0 || (r == 0 && (opt == '?' || own(opt, optarg, ctx))))
			return 2;
	}
	if (optind < argc) {
		fprintf(stderr, "flamescope %s: unexpected argument '%s'\n", c->cmd, argv[optind]);
		return 2;
	}
	return -1;
}

const char *cli__format_of(const struct cli *c, const char *dflt, const char *known)
{
	const char *f = cli__format(c, dflt), *k = known;
	size_t len = strlen(f);

	for (; (k = strstr(k, f)); k += len)
		if ((k == known || k[-1] == ' ') && (k[len] == ' ' || !k[len]))
			return f;
	fprintf(stderr, "flamescope %s: unknown format '%s' (%s)\n", c->cmd, f, known);
	return NULL;
}

const char *cli__format(const struct cli *c, const char *dflt)
{
	const char *dot;

	if (c->format)
		return c->format;
	if (!c->output || !strcmp(c->output, "-"))
		return dflt;
	dot = strrchr(c->output, '.');
	if (dot && !strchr(dot, '/'))
		return dot + 1;
	return dflt;
}

/* a and b name one file, whatever their names ("-" is stdin). */
static bool same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	if ((strcmp(a, "-") ? stat(a, &sa) : fstat(STDIN_FILENO, &sa)) || stat(b, &sb))
		return false;
	return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

int cli__check_output(const struct cli *c)
{
	const char *in[] = { c->input, c->input2 };

	if (!c->output || !strcmp(c->output, "-"))
		return 0;
	for (int i = 0; i < 2; i++) {
		if (in[i] && same_file(in[i], c->output)) {
			fprintf(stderr, "flamescope %s: %s: the output is the input %s: refusing to replace it\n",
				c->cmd, c->output, in[i]);
			return -1;
		}
	}
	return 0;
}

/*
 * What a symlink at path finally names (a dangling one too): the file to
 * replace. NULL (errno set) on a loop or an unreadable link.
 */
static char *link_target(const char *path)
{
	char *cur = strdup(path);

	for (int hops = 0; cur && hops < 40; hops++) {
		char target[PATH_MAX], *next;
		struct stat st;
		ssize_t n;

		if (lstat(cur, &st) || !S_ISLNK(st.st_mode))
			return cur;
		n = readlink(cur, target, sizeof(target) - 1);
		if (n < 0) {
			free(cur);
			return NULL;
		}
		target[n] = 0;
		if (target[0] == '/' || !strchr(cur, '/')) {
			next = strdup(target);
		} else {
			int dir = (int)(strrchr(cur, '/') - cur);

			next = asprintf(&next, "%.*s/%s", dir, cur, target) < 0 ? NULL : next;
		}
		free(cur);
		cur = next;
	}
	free(cur);
	errno = ELOOP;
	return NULL;
}

/*
 * While a temporary output exists, SIGINT, SIGTERM, SIGHUP and SIGQUIT remove
 * it first. Only where the signal would kill us: a command that handles one
 * itself (top stops cleanly, after writing) or runs with it ignored (nohup)
 * keeps its own disposition, or a second signal would kill it mid-write.
 */
static const int cleanup_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
static char *volatile cleanup_path;
static struct sigaction cleanup_old[4];
static bool cleanup_armed[4];

static void cleanup_on_signal(int sig)
{
	if (cleanup_path)
		unlink(cleanup_path);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void cleanup_arm(char *tmp)
{
	struct sigaction sa = { .sa_handler = cleanup_on_signal };

	sigemptyset(&sa.sa_mask);
	for (int i = 0; i < 4; i++)
		sigaddset(&sa.sa_mask, cleanup_signals[i]);
	cleanup_path = tmp;
	for (int i = 0; i < 4; i++) {
		sigaction(cleanup_signals[i], NULL, &cleanup_old[i]);
		cleanup_armed[i] = !(cleanup_old[i].sa_flags & SA_SIGINFO) &&
				   cleanup_old[i].sa_handler == SIG_DFL;
		if (cleanup_armed[i])
			sigaction(cleanup_signals[i], &sa, NULL);
	}
}

static void cleanup_disarm(void)
{
	for (int i = 0; i < 4; i++)
		if (cleanup_armed[i])
			sigaction(cleanup_signals[i], &cleanup_old[i], NULL);
	cleanup_path = NULL;
}

/*
 * The temporary file gets the mode the output will have: an existing
 * file's (and its owner, when we may), else 0666 less the umask.
 */
static void output_mode(int fd, const char *path)
{
	struct stat st;
	mode_t mask;

	if (!stat(path, &st) && S_ISREG(st.st_mode)) {
		if (fchown(fd, st.st_uid, st.st_gid)) {
			/* not ours to give away: the mode still follows */
		}
		fchmod(fd, st.st_mode & 0777);	/* no set-id bits: they are not ours to copy */
		return;
	}
	mask = umask(0);
	umask(mask);
	fchmod(fd, 0666 & ~mask);
}

int cli_out__open(struct cli_out *o, const struct cli *c)
{
	struct stat st;
	int fd;

	memset(o, 0, sizeof(*o));
	if (!c->output || !strcmp(c->output, "-")) {
		o->f = stdout;
		return 0;
	}
	if (cli__check_output(c))
		return -1;
	/*
	 * Only a regular file (or a new one) is replaced through a temporary file:
	 * renaming over /dev/null or a FIFO would replace the device itself.
	 */
	if (!stat(c->output, &st) && !S_ISREG(st.st_mode)) {
		o->f = fopen(c->output, "w");
		if (!o->f)
			fprintf(stderr, "flamescope %s: %s: %s\n", c->cmd, c->output, strerror(errno));
		return o->f ? 0 : -1;
	}
	/* a symlink stays: what it points to is written */
	o->path = link_target(c->output);
	if (!o->path) {
		fprintf(stderr, "flamescope %s: %s: %s\n", c->cmd, c->output, strerror(errno));
		return -1;
	}
	if (asprintf(&o->tmp, "%s.tmp-XXXXXX", o->path) < 0)
		goto fail;
	fd = mkstemp(o->tmp);
	if (fd < 0) {
		fprintf(stderr, "flamescope %s: %s: %s\n", c->cmd, c->output, strerror(errno));
		free(o->tmp);
		o->tmp = NULL;
		goto fail;
	}
	cleanup_arm(o->tmp);
	output_mode(fd, o->path);
	o->f = fdopen(fd, "w");
	if (o->f)
		return 0;
	close(fd);
	unlink(o->tmp);
	cleanup_disarm();
fail:
	free(o->path);
	free(o->tmp);
	memset(o, 0, sizeof(*o));
	return -1;
}

int cli_out__close(struct cli_out *o, const struct cli *c, bool ok)
{
	int status = ok ? 0 : 1;

	if (o->f == stdout) {
		if (fflush(stdout) && ok) {
			fprintf(stderr, "flamescope %s: writing to stdout: %s\n", c->cmd, strerror(errno));
			status = 1;
		}
		return status;
	}
	if (!o->tmp) {		/* a device or FIFO, written in place */
		if (fclose(o->f) && ok) {
			fprintf(stderr, "flamescope %s: %s: %s\n", c->cmd, c->output, strerror(errno));
			status = 1;
		}
		return status;
	}
	if (fclose(o->f) && ok) {
		fprintf(stderr, "flamescope %s: %s: %s\n", c->cmd, o->path, strerror(errno));
		status = 1;
	}
	if (status == 0 && rename(o->tmp, o->path)) {
		fprintf(stderr, "flamescope %s: %s: %s\n", c->cmd, o->path, strerror(errno));
		status = 1;
	}
	if (status)
		unlink(o->tmp);
	cleanup_disarm();
	free(o->path);
	free(o->tmp);
	return status;
}

static int parse_count(const char *cmd, const char *opt, const char *arg, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v = strtoull(arg, &end, 10);

	if (end == arg || *end || arg[0] == '-' || v < 1 || v > max) {
		fprintf(stderr, "flamescope %s: --%s '%s': expected a number from 1 to %llu\n",
			cmd, opt, arg, (unsigned long long)max);
		return -1;
	}
	*out = v;
	return 0;
}

int cli__heatmap_option(const char *cmd, int opt, const char *arg, struct fs_heatmap_opts *ho,
			struct fs_heatmap_style *st)
{
	uint64_t v;

	switch (opt) {
	case OPT_HM_ROWS:
		if (parse_count(cmd, "rows", arg, 10000, &v))
			return -1;
		ho->rows = v;
		return 1;
	case OPT_HM_MAX:
		if (parse_count(cmd, "max", arg, UINT64_MAX, &v))
			return -1;
		st->max = v;
		return 1;
	case OPT_HM_TITLE:
		st->title = arg;
		return 1;
	case OPT_HM_PALETTE:
		if (!fs_palette__heat_valid(arg)) {
			fprintf(stderr, "flamescope %s: --palette '%s': expected flamescope or viridis\n",
				cmd, arg);
			return -1;
		}
		st->palette = arg;
		return 1;
	case OPT_HM_WIDTH:
	case OPT_HM_HEIGHT:
	case OPT_HM_CELL_SIZE:
		if (parse_count(cmd, opt == OPT_HM_WIDTH ? "width" : opt == OPT_HM_HEIGHT ? "height" :
				"cell-size", arg, 32768, &v))
			return -1;
		if (opt == OPT_HM_WIDTH)
			st->width = v;
		else if (opt == OPT_HM_HEIGHT)
			st->height = v;
		else
			st->cell_size = v;
		return 1;
	}
	return 0;
}

int cli__bad_value(const char *cmd, const char *opt, const char *arg, const char *why)
{
	fprintf(stderr, "flamescope %s: --%s '%s': %s\n", cmd, opt, arg, why);
	return -1;
}

int cli__number(const char *cmd, const char *opt, const char *arg, double lo, double hi, double *out)
{
	char *end;
	double v = strtod(arg, &end);

	if (end == arg || *end || !(v >= lo && v <= hi))
		return cli__bad_value(cmd, opt, arg, "number out of range");
	*out = v;
	return 0;
}
