// SPDX-License-Identifier: GPL-2.0-only
/*
 * flamescope: FlameScope for Linux perf. Also installed as perf-flamescope,
 * so `perf flamescope ...` runs it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "commands.h"
#include "util.h"

static const struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} cmds[] = {
	{ "info",	cmd_info,	"Show the header and record counts of a perf.data file" },
	{ "script",	cmd_script,	"Print samples as perf script does, from perf.data" },
	{ "heatmap",	cmd_heatmap,	"Subsecond-offset heat map (SVG, PNG, JSON, terminal)" },
	{ "flamegraph",	cmd_flamegraph,	"Flame graph of a time range (SVG, PNG, folded, JSON)" },
	{ "diff",	cmd_diff,	"Differential flame graph of two perf.data files" },
	{ "find",	cmd_find,	"Find the perturbations and the code behind them" },
	{ "report",	cmd_report,	"FlameScope in one offline HTML file: heat map, range flame graphs" },
	{ "top",	cmd_top,	"Live heat map of the last seconds (terminal, or PNG for dashboards)" },
};

static int usage(FILE *f, int status)
{
	fprintf(f, "\n usage: flamescope [--help] COMMAND [ARGS]\n"
		"    or: perf flamescope COMMAND [ARGS]\n\n The available commands are:\n");
	for (size_t i = 0; i < ARRAY_SIZE(cmds); i++)
		fprintf(f, "   %-12s %s\n", cmds[i].name, cmds[i].help);
	fprintf(f, "\n See 'flamescope help COMMAND' or 'man flamescope-COMMAND' for more information\n"
		" on a command; 'man flamescope' for perf script --dlfilter flamescope-dlfilter.so\n"
		" and perf script record/report flamescope.\n\n");
	return status;
}

static const struct cmd *find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(cmds); i++)
		if (!strcmp(name, cmds[i].name))
			return &cmds[i];
	return NULL;
}

/*
 * Output that stdout lost (a full disk) fails a command that thought it
 * succeeded; a reader that went away (EPIPE, SIGPIPE ignored) does not,
 * as perf ends quietly then.
 */
static int close_stdout(const char *name, int status)
{
	int e;

	if (!fflush(stdout) && !ferror(stdout))
		return status;
	e = ferror(stdout) && !errno ? EIO : errno;
	if (status || e == EPIPE)
		return status;
	fprintf(stderr, "flamescope %s: writing to stdout: %s\n", name, strerror(e));
	return 1;
}

int main(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : NULL;
	const struct cmd *cmd;

	if (!name)
		return usage(stderr, 2);
	if (!strcmp(name, "help") && argc > 2 && find(argv[2])) {
		/* perf help COMMAND shows the command's page; ours is its --help. */
		char *help_argv[] = { argv[2], "--help", NULL };

		return find(argv[2])->fn(2, help_argv);
	}
	if (!strcmp(name, "--help") || !strcmp(name, "-h") || !strcmp(name, "help"))
		return usage(stdout, 0);
	cmd = find(name);
	if (cmd)
		return close_stdout(name, cmd->fn(argc - 1, argv + 1));
	fprintf(stderr, "flamescope: '%s' is not a flamescope command. See 'flamescope --help'.\n", name);
	return 2;
}
