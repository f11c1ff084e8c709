// SPDX-License-Identifier: GPL-2.0-only
/*
 * flamescope: FlameScope for Linux perf. Also installed as perf-flamescope,
 * so `perf flamescope ...` runs it.
 */
#include <stdio.h>
#include <string.h>
#include "commands.h"

static const struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} cmds[] = {
	{ "info",	cmd_info,	"Show the header and record counts of a perf.data file" },
	{ "script",	cmd_script,	"Print samples as perf script does, from perf.data" },
	{ "heatmap",	cmd_heatmap,	"Subsecond-offset heat map (SVG, PNG, JSON, terminal)" },
	{ "flamegraph",	cmd_flamegraph,	"Flame graph of a time range (SVG, PNG, folded, JSON)" },
};

static int usage(FILE *f, int status)
{
	fprintf(f, "\n usage: flamescope COMMAND [ARGS]\n\n The available commands are:\n");
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(f, "   %-12s %s\n", cmds[i].name, cmds[i].help);
	fprintf(f, "\n See 'flamescope COMMAND --help' for more information on a command.\n\n");
	return status;
}

int main(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : NULL;

	if (!name)
		return usage(stderr, 2);
	if (!strcmp(name, "--help") || !strcmp(name, "-h") || !strcmp(name, "help"))
		return usage(stdout, 0);
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(name, cmds[i].name))
			return cmds[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "flamescope: '%s' is not a flamescope command. See 'flamescope --help'.\n", name);
	return 2;
}
