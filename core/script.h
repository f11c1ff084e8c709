/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * script: the `perf script` text writer (perf 6.1's builtin-script.c and
 * util/evsel_fprintf.c), with perf's -F field lists. Give it every record
 * the reader delivers: samples to fs_script__sample(), the others to
 * fs_script__event() (which keeps the session up to date). It filters
 * (--time, --cpu, --pid, --tid, --comm, --dsos, -S), resolves the stack with
 * the session and appends perf's exact bytes to a large buffer flushed to fd.
 *
 *	sc = fs_script__new(hdr, ss, &opts, STDOUT_FILENO, &err);
 *	... fs_script__sample() or fs_script__event() for each record ...
 *	fs_script__finish(sc, &err); fs_script__delete(sc);
 */
#ifndef FS_SCRIPT_H
#define FS_SCRIPT_H

#include <stdbool.h>
#include <stdint.h>
#include "reader.h"
#include "session.h"
#include "timerange.h"

/*
 * perf's -F field lists (script-fields.c). Start from perf's defaults, give
 * each -F argument in command-line order; the result goes in opts.fields.
 */
struct fs_script_fields;

struct fs_script_fields *fs_script_fields__new(void);
void fs_script_fields__delete(struct fs_script_fields *f);
/*
 * perf's parse_output_fields(): 0, or -1 with perf's exact text in err
 * (perf then exits 129). Warnings perf prints and goes on ("'trace' not
 * valid for hardware events. Ignoring.") go to warn, which may be NULL.
 */
int fs_script_fields__parse(struct fs_script_fields *f, const char *arg,
			    fs_warn_fn *warn, void *ctx,
			    struct fs_error *err);

struct fs_script_opts {
	const struct fs_script_fields *fields;	/* -F, NULL: perf's defaults */
	bool ns;			/* --ns: nanosecond times */
	bool reltime;			/* --reltime: times from the first printed sample */
	bool deltatime;			/* --deltatime: times from the previous one */
	bool hide_callchain;		/* -G: one line per sample */
	int max_stack;			/* --max-stack; < 0: perf's 127 (0 prints empty chains) */
	const struct fs_timerange *time;	/* --time, or NULL */
	const char *pids, *tids, *comms;	/* --pid, --tid, --comm lists, or NULL */
	const char *cpus;		/* --cpu list ("0-2,5"), or NULL */
	const char *dsos, *symbols;	/* --dsos, -S lists: the sample ip's dso, symbol or address */
	bool show_task, show_mmap, show_switch, show_lost;	/* --show-*-events */
	const char *per_event_dump;	/* --per-event-dump: samples go to THIS.EVENT.dump */
	bool show_kernel_path;		/* --show-kernel-path: dsos by their long names */
};

struct fs_script;

/* fs_script__check()'s answer when perf script refuses the file and options. */
#define FS_SCRIPT_PERF_REFUSES 1

/*
 * Checks the fields and options against the file's attrs as perf does: 0,
 * FS_SCRIPT_PERF_REFUSES with perf's exact text in err (perf exits 255),
 * or -1 when perf would print something we do not reproduce (err says what).
 * In pipe mode perf refuses an attr while processing its record: then
 * *bad_attr is its index in hdr->evsels (perf names the record and exits
 * 234), else -1.
 */
int fs_script__check(const struct fs_header *hdr, const struct fs_script_opts *opts,
		     int *bad_attr, struct fs_error *err);
/* NULL + err when fs_script__check() fails or out of memory. */
struct fs_script *fs_script__new(const struct fs_header *hdr, struct fs_session *ss,
				 const struct fs_script_opts *opts, int fd, struct fs_error *err);
/* Prints one PERF_RECORD_SAMPLE if it passes the filters; -1 on a write error. */
int fs_script__sample(struct fs_script *sc, const struct fs_event *ev, struct fs_error *err);
/*
 * Any other record: updates the session (the caller does not call
 * fs_session__process() for it) and prints it when a --show-*-events
 * option asks, in perf's order around the update.
 */
int fs_script__event(struct fs_script *sc, const struct fs_event *ev, struct fs_error *err);
/* Appends raw text (e.g. the --header block) to the output. */
int fs_script__write(struct fs_script *sc, const char *s, size_t len, struct fs_error *err);
/* The errno of a failed write (EPIPE: the reader went away), 0 if none failed. */
int fs_script__write_errno(const struct fs_script *sc);
/* Flushes what is buffered; with --per-event-dump, puts the files in place and says so. */
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
