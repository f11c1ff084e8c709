/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The flamescope command's subcommands. Each parses its own options and
 * returns the process exit status: 0 ok, 1 bad input or failure, 2 bad usage.
 */
#ifndef FS_COMMANDS_H
#define FS_COMMANDS_H

int cmd_info(int argc, char **argv);
int cmd_script(int argc, char **argv);
int cmd_heatmap(int argc, char **argv);
int cmd_flamegraph(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_find(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_top(int argc, char **argv);

#endif
