/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * tpworker: libtraceevent, isolated in a child process. libtraceevent 1.7
 * crashes, reads past payloads and loops for minutes on hostile event
 * formats (a division by zero in a print format, __print_hex of 20 MB, a
 * use-after-free in tep_parse_event); pre-checks cannot enumerate its bugs.
 * So it never runs in the caller: a worker forked at fs_tpw__new() parses
 * the formats and renders payloads, answering over a socket, with a
 * memory bound (RLIMIT_AS: what the caller had at fork plus
 * FS_TPW_MEMORY) and a time bound per answer (FS_TPW_TIMEOUT_MS, then
 * SIGKILL). A worker that crashes or hangs is restarted; the format or
 * payload it died on is named and skipped, everything else still works.
 *
 *	w = fs_tpw__new(&data, meta_cb, priv, &err);	(meta_cb: one call per parsed format)
 *	fs_tpw__print(w, reqs, n, print_cb, priv, &err);	(print_cb: one call per request, in order)
 *	fs_tpw__delete(w);
 *
 * Requests go out in batches and their answers stream back, so a batch of
 * thousands costs about what rendering them in-process would.
 *
 * In a multi-threaded caller: the worker is a fork() of the calling thread
 * alone; it only allocates memory (glibc keeps malloc usable after fork)
 * and runs libtraceevent, so no lock another thread held is ever taken.
 * It closes every inherited descriptor but stderr, ignores SIGINT, SIGTERM,
 * SIGHUP and SIGQUIT (it dies with its parent: PR_SET_PDEATHSIG), writes
 * no core files, and is reaped with waitpid() on its own pid (a caller
 * that reaps every child, or ignores SIGCHLD, is tolerated). Sockets are
 * written with MSG_NOSIGNAL: a dead worker never raises SIGPIPE in the
 * caller. One fs_tpw serves one thread at a time.
 */
#ifndef FS_TPWORKER_H
#define FS_TPWORKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "error.h"

#define FS_TPW_TIMEOUT_MS	2000		/* per answer (a format parsed, a payload rendered) */
#define FS_TPW_MEMORY		(512u << 20)	/* the worker's address space beyond the caller's */
#define FS_TPW_MAX_TEXT		(1u << 20)	/* a rendered payload longer than this is refused */
#define FS_TPW_MAX_PAYLOAD	65536u		/* perf records are at most 64 KiB */

/* The pieces of perf's tracing data (tracepoint.c cuts them out, bounds-checked). */
struct fs_tpw_format {
	const char *text;
	uint64_t size;
	const char *system;
};

struct fs_tpw_data {
	int long_size, page_size;
	const char *header_page;	/* NUL-terminated copies */
	uint64_t header_page_size;
	const char *kallsyms, *printk, *cmdlines;	/* NULL when empty */
	const struct fs_tpw_format *formats;
	uint32_t nr_formats;
};

/*
 * A parsed format's description, as the worker sends it (fs_tpw_msg_*
 * reads it): i32 id, str system, str name, u32 nr_fields, u32 nr_common,
 * then per field str name, u32 offset, u32 size, u32 flags (FS_TPW_F_*),
 * then u32 nr_syms and per flag/symbol name str field, str name, str value.
 * A str is a u32 length and its bytes.
 */
enum {
	FS_TPW_F_SIGNED = 1, FS_TPW_F_STRING = 2, FS_TPW_F_DYNAMIC = 4, FS_TPW_F_RELATIVE = 8,
	FS_TPW_F_ARRAY = 16, FS_TPW_F_POINTER = 32, FS_TPW_F_LONG = 64,
};
typedef int fs_tpw_meta_cb(void *priv, uint32_t format, const uint8_t *desc, size_t len);

/* What happened to one request. */
enum fs_tpw_status {
	FS_TPW_OK,		/* text is the payload as perf prints it */
	FS_TPW_NO_EVENT,	/* the worker has no such event (its format was skipped) */
	FS_TPW_CRASHED,		/* libtraceevent crashed on it (text: a marker) */
	FS_TPW_TIMED_OUT,	/* it ran past FS_TPW_TIMEOUT_MS (text: a marker) */
	FS_TPW_TOO_LONG,	/* the text would exceed FS_TPW_MAX_TEXT (text: a marker) */
	FS_TPW_SKIPPED,		/* its event crashed the worker before: not tried (text: a marker) */
	FS_TPW_GAVE_UP,		/* the worker crashed too often; no more attempts (text: a marker) */
};

struct fs_tpw_request {
	int32_t id;		/* event id */
	int32_t cpu;
	const void *raw;
	uint32_t raw_size;	/* <= FS_TPW_MAX_PAYLOAD */
	void *ctx;		/* for the resolver */
};

typedef int fs_tpw_print_cb(void *priv, size_t i, enum fs_tpw_status st, const char *text,
			    size_t len);
/* Names kernel addresses in payloads (see fs_tracepoints__set_resolver()). */
typedef const char *fs_tpw_resolver(void *priv, void *ctx, uint64_t *addr, const char **mod);

struct fs_tpw_stats {
	uint64_t crashes, timeouts, restarts, skipped_formats, skipped_payloads;
	char last_failure[160];	/* "sched:sched_switch: SIGFPE" */
};

struct fs_tpw;

/* Starts the worker; meta_cb hears each format libtraceevent parsed. NULL + err. */
struct fs_tpw *fs_tpw__new(const struct fs_tpw_data *data, fs_tpw_meta_cb *meta_cb, void *priv,
			   struct fs_error *err);
void fs_tpw__set_resolver(struct fs_tpw *w, fs_tpw_resolver *fn, void *priv);
/* Names an event for markers and stats ("sched:sched_switch"); NULL forgets it. */
int fs_tpw__name_event(struct fs_tpw *w, int32_t id, const char *name);
/*
 * Renders n payloads; cb is called once per request, in order. -1 only when
 * cb fails or memory runs out (err set): crashes and timeouts are answers.
 */
int fs_tpw__print(struct fs_tpw *w, const struct fs_tpw_request *req, size_t n,
		  fs_tpw_print_cb *cb, void *priv, struct fs_error *err);
/*
 * The same in two halves, so the caller works while the worker renders:
 * submit hands req over (it must stay valid until collect) and sends what
 * fits; collect delivers the answers. One batch at a time.
 */
int fs_tpw__submit(struct fs_tpw *w, const struct fs_tpw_request *req, size_t n,
		   struct fs_error *err);
int fs_tpw__collect(struct fs_tpw *w, fs_tpw_print_cb *cb, void *priv, struct fs_error *err);
const struct fs_tpw_stats *fs_tpw__stats(const struct fs_tpw *w);
/* For tests: the running worker's pid (0 if none), and a shorter time bound. */
int fs_tpw__pid(const struct fs_tpw *w);
void fs_tpw__set_timeout(struct fs_tpw *w, unsigned int ms);
void fs_tpw__delete(struct fs_tpw *w);

/* Reading a description: a cursor that fails (and stays failed) past the end. */
struct fs_tpw_msg {
	const uint8_t *p, *end;
	bool bad;
};
uint32_t fs_tpw_msg__u32(struct fs_tpw_msg *m);
/* A string (not NUL-terminated: *len bytes), at most max bytes long. */
const char *fs_tpw_msg__str(struct fs_tpw_msg *m, uint32_t *len, uint32_t max);

#endif
