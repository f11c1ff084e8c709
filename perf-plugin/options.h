/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * options: what the heatmap and flamegraph commands share: the input, the
 * symbol places, the sample filters, loading the profile, and writing an
 * output through a temporary file renamed into place (a failed run leaves
 * no partial file).
 */
#ifndef FS_OPTIONS_H
#define FS_OPTIONS_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <time.h>
#include "profile.h"
#include "view.h"

enum {
	OPT_EVENT = 1000, OPT_PID, OPT_TID, OPT_COMM, OPT_CPU, OPT_INCLUDE_IDLE, OPT_IDLE_RULE,
	OPT_WEIGHT, OPT_SYMFS, OPT_BUILDID_DIR, OPT_KALLSYMS, OPT_MAX_STACK, OPT_FORMAT, OPT_TIME,
	OPT_FILTER, OPT_COMMON_END,
};

#define COMMON_OPTIONS							\
	{ "input", required_argument, NULL, 'i' },			\
	{ "output", required_argument, NULL, 'o' },			\
	{ "format", required_argument, NULL, OPT_FORMAT },		\
	{ "event", required_argument, NULL, OPT_EVENT },		\
	{ "pid", required_argument, NULL, OPT_PID },			\
	{ "tid", required_argument, NULL, OPT_TID },			\
	{ "comm", required_argument, NULL, OPT_COMM },			\
	{ "cpu", required_argument, NULL, OPT_CPU },			\
	{ "include-idle", no_argument, NULL, OPT_INCLUDE_IDLE },	\
	{ "idle-rule", required_argument, NULL, OPT_IDLE_RULE },	\
	{ "weight", required_argument, NULL, OPT_WEIGHT },		\
	{ "filter", required_argument, NULL, OPT_FILTER },		\
	{ "time", required_argument, NULL, OPT_TIME },			\
	{ "symfs", required_argument, NULL, OPT_SYMFS },		\
	{ "buildid-dir", required_argument, NULL, OPT_BUILDID_DIR },	\
	{ "kallsyms", required_argument, NULL, OPT_KALLSYMS },		\
	{ "max-stack", required_argument, NULL, OPT_MAX_STACK },	\
	{ "quiet", no_argument, NULL, 'q' },				\
	{ "help", no_argument, NULL, 'h' }

#define COMMON_HELP							\
	"  -i, --input FILE       perf.data to read (default perf.data, - for stdin)\n" \
	"  -o, --output FILE      where to write (- for stdout); format from the extension\n" \
	"      --format FMT       override the format\n"		\
	"      --event NAME       event to show (default: the first sample event)\n" \
	"      --pid LIST         only these processes (comma-separated)\n" \
	"      --tid LIST         only these threads\n"		\
	"      --comm LIST        only these command names\n"		\
	"      --cpu LIST         only these cpus (e.g. 0-3,8)\n"	\
	"      --include-idle     keep the idle loop's samples\n"	\
	"      --idle-rule RULE   flamescope (default: swapper with an idle frame) or leaf\n" \
	"      --weight W         samples (default), period, or offcpu (sched:sched_switch:\n" \
	"                         ns until the switched-out thread runs again)\n" \
	"      --filter EXPR      tracepoint filter, libtraceevent syntax ('prev_state==D')\n" \
	"      --time SPEC        perf's --time ranges (start,stop; 10%%/2; 0%%-10%%)\n" \
	"      --symfs DIR        look for binaries under DIR\n"	\
	"      --buildid-dir DIR  build-id cache (default $PERF_BUILDID_DIR or ~/.debug)\n" \
	"      --kallsyms FILE    kernel symbols to use\n"		\
	"      --max-stack N      frames kept per stack (default 127)\n" \
	"  -q, --quiet            no progress, notes or warnings\n"

struct cli {
	const char *cmd;		/* "heatmap", for messages */
	const char *input, *output, *format, *event, *time_spec, *tp_filter;
	const char *input2;		/* a second input (flamegraph --compare-input), or NULL */
	struct fs_profile_config cfg;
	struct fs_filter filter;
	int32_t *pids, *tids;
	uint32_t *cpus;
	char **comms;
	bool quiet;
	struct fs_timerange *time;
};

void cli__init(struct cli *c, const char *cmd);
void cli__exit(struct cli *c);
/* Handles a common option: 1 handled, 0 not a common one, -1 bad value (message printed). */
int cli__option(struct cli *c, int opt, const char *arg);
/*
 * The whole command line: common options by cli__option(), the command's own
 * by own() (0 ok, else bad: message printed), -h by usage(). Returns -1 to go
 * on, else the exit status (0 after --help, 2 for bad usage).
 */
int cli__parse(struct cli *c, int argc, char **argv, const struct option *longopts,
	       int (*own)(int opt, const char *arg, void *ctx), void *ctx, int (*usage)(FILE *f, int status));
/* The output format (see cli__format) if it is one of the space-separated known; else NULL, said. */
const char *cli__format_of(const struct cli *c, const char *dflt, const char *known);
/* Loads the profile and resolves the filter; NULL after printing the error. */
struct fs_profile *cli__load(struct cli *c);
/* The format: --format, else the output's extension, else dflt. */
const char *cli__format(const struct cli *c, const char *dflt);
/* Parses seconds (fractions allowed, >= 0); -1 when not a number. */
int cli__seconds(const char *s, double *out);
/* "flamescope CMD: --OPT 'ARG': WHY" on stderr; returns -1. */
int cli__bad_value(const char *cmd, const char *opt, const char *arg, const char *why);
/* ARG as a number in [lo, hi] into *out; -1 (said, as cli__bad_value) otherwise. */
int cli__number(const char *cmd, const char *opt, const char *arg, double lo, double hi, double *out);

/* -1 (said) when the output names an input file, whatever the names: it would replace it. */
int cli__check_output(const struct cli *c);

/*
 * The heat-map options heatmap and top share: rows, colour scale, title,
 * palette and image size. cli__heatmap_option() returns 1 when it took opt,
 * 0 when opt is not one of them, -1 for a bad value (message printed).
 */
enum {
	OPT_HM_ROWS = 1100, OPT_HM_MAX, OPT_HM_TITLE, OPT_HM_PALETTE, OPT_HM_WIDTH, OPT_HM_HEIGHT,
	OPT_HM_CELL_SIZE,
};

#define HEATMAP_STYLE_OPTIONS						\
	{ "rows", required_argument, NULL, OPT_HM_ROWS },		\
	{ "max", required_argument, NULL, OPT_HM_MAX },			\
	{ "title", required_argument, NULL, OPT_HM_TITLE },		\
	{ "palette", required_argument, NULL, OPT_HM_PALETTE },		\
	{ "width", required_argument, NULL, OPT_HM_WIDTH },		\
	{ "height", required_argument, NULL, OPT_HM_HEIGHT },		\
	{ "cell-size", required_argument, NULL, OPT_HM_CELL_SIZE }

#define HEATMAP_STYLE_HELP						\
	"      --rows N           rows per column (default 50: 20 ms cells)\n" \
	"      --max N            top of the colour scale (to compare images)\n" \
	"      --title TEXT       title\n"				\
	"      --palette NAME     flamescope (default) or viridis (colour-blind safe)\n" \
	"      --width W, --height H, --cell-size N   PNG/SVG size\n"

int cli__heatmap_option(const char *cmd, int opt, const char *arg, struct fs_heatmap_opts *ho,
			struct fs_heatmap_style *st);

/*
 * Output through a temporary file in the target's directory, renamed on
 * success: with the existing file's mode (else 0666 less the umask), onto
 * what a symlink points to, removed on SIGINT/SIGTERM/SIGHUP/SIGQUIT.
 */
struct cli_out {
	FILE *f;
	char *path, *tmp;
};
int cli_out__open(struct cli_out *o, const struct cli *c);
/* Closes and renames (ok) or removes the temporary file; returns the exit status. */
int cli_out__close(struct cli_out *o, const struct cli *c, bool ok);

/*
 * Progress on stderr, "PATH: 120 MB / 512 MB (23%)", once a run has taken a
 * second, only when stderr is a terminal and not quiet; cleared at the end.
 * cli__load uses it; update fits fs_profile_config.progress. A reader loop
 * can call update(&pr, fs_reader__stats(r)->bytes_read, hdr->data_size).
 */
struct cli_progress {
	const char *cmd, *path;
	struct timespec start, last;
	bool on, shown;
};
void cli_progress__init(struct cli_progress *pr, const char *cmd, const char *path, bool quiet);
void cli_progress__update(void *pr, uint64_t done, uint64_t total);
void cli_progress__end(struct cli_progress *pr);

#endif
