// SPDX-License-Identifier: GPL-2.0-only
/*
 * flamescope diff BEFORE AFTER [flamegraph options]: the flame graph of AFTER
 * coloured by the change from BEFORE, as difffolded.pl BEFORE AFTER | flamegraph.pl
 * draws it (red grew, blue shrank). It is `flamegraph -i AFTER --compare-input BEFORE`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "commands.h"

static int usage(FILE *f, int status)
{
	fprintf(f,
		"\n usage: flamescope diff BEFORE.data AFTER.data [-o OUT] [flamegraph options]\n\n"
		" The flame graph of AFTER coloured by the change from BEFORE (red grew, blue\n"
		" shrank), as difffolded.pl and flamegraph.pl draw it. --normalize scales BEFORE\n"
		" to AFTER's total, --negate swaps the colours, --compare S,E picks BEFORE's range\n"
		" and --start/--end AFTER's. See 'flamescope flamegraph --help' for the rest.\n\n");
	return status;
}

int cmd_diff(int argc, char **argv)
{
	char **args;
	int n = 0, status;

	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")))
		return usage(stdout, 0);
	if (argc < 3 || argv[1][0] == '-' || argv[2][0] == '-') {
		fprintf(stderr, "flamescope diff: expected two perf.data files first\n");
		return usage(stderr, 2);
	}
	args = calloc(argc + 4, sizeof(*args));
	if (!args)
		return 1;
	args[n++] = "flamegraph";
	args[n++] = "-i";
	args[n++] = argv[2];
	args[n++] = "--compare-input";
	args[n++] = argv[1];
	for (int i = 3; i < argc; i++)
		args[n++] = argv[i];
	status = cmd_flamegraph(n, args);
	free(args);
	return status;
}
