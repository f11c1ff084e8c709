/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * script: the `perf script` text writer (perf 6.1's builtin-script.c and
 * util/evsel_fprintf.c, default fields). Give it every sample the reader
 * delivers, after fs_session__process() has seen the records before it;
 * it filters (--time, --cpu, --pid, --tid, --comm), resolves the stack with
 * the session and appends perf's exact bytes to a large buffer flushed to fd.
 *
 *	sc = fs_script__new(hdr, ss, &opts, STDOUT_FILENO, &err);
 *	... fs_script__sample(sc, &ev, &err) for each sample ...
 *	fs_script__finish(sc, &err); fs_script__delete(sc);
 */
#ifndef FS_SCRIPT_H
#define FS_SCRIPT_H

#include <stdbool.h>
#include <stdint.h>
#include "reader.h"
#include "session.h"
#include "timerange.h"

struct fs_script_opts {
	bool ns;			/* --ns: nanosecond times */
	bool show_pid;			/* -F +pid: "pid/tid" */
	bool reltime;			/* --reltime: times from the first printed sample */
	int max_stack;			/* 0: perf's 127 */
	const struct fs_timerange *time;	/* --time, or NULL */
	const char *pids, *tids, *comms;	/* --pid, --tid, --comm lists, or NULL */
	const char *cpus;		/* --cpu list ("0-2,5"), or NULL */
};

struct fs_script;

/* Checks the fields perf would print against the file's attrs; NULL + err when perf would refuse. */
struct fs_script *fs_script__new(const struct fs_header *hdr, struct fs_session *ss,
				 const struct fs_script_opts *opts, int fd, struct fs_error *err);
/* Prints one PERF_RECORD_SAMPLE if it passes the filters; -1 on a write error. */
int fs_script__sample(struct fs_script *sc, const struct fs_event *ev, struct fs_error *err);
/* Appends raw text (e.g. the --header block) to the output. */
int fs_script__write(struct fs_script *sc, const char *s, size_t len, struct fs_error *err);
/* The errno of a failed write (EPIPE: the reader went away), 0 if none failed. */
int fs_script__write_errno(const struct fs_script *sc);
/* Flushes what is buffered. */
int fs_script__finish(struct fs_script *sc, struct fs_error *err);
/* Tracepoint samples whose payload could not be formatted (unknown event, payload too short). */
uint64_t fs_script__nr_trace_samples(const struct fs_script *sc);
/* Payloads printed as a "[payload not printed: ...]" marker (libtraceevent crashed or hung); *why: the last cause. */
uint64_t fs_script__nr_trace_markers(const struct fs_script *sc, const char **why);
void fs_script__delete(struct fs_script *sc);

/*
 * perf script --header's block ("# ========" ... "#"), read from the file's
 * feature sections (script-header.c); *text is malloc'ed. Fails, rather than
 * print something else, on features whose text is not reproduced yet.
 */
int fs_script__header_text(const char *path, const struct fs_header *hdr, char **text,
			   size_t *len, struct fs_error *err);
/* The "# event : name = ..." lines alone, from the attrs the reader parsed (pipe mode too). */
int fs_script__event_lines(const struct fs_header *hdr, char **text, size_t *len, struct fs_error *err);

#endif
