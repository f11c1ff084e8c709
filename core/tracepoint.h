/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * tracepoint: the tracing data perf records with tracepoint events
 * (HEADER_TRACING_DATA, or pipe mode's tracing-data record): the events'
 * formats, so payloads print as `perf script` prints them and their fields
 * can be read and filtered.
 *
 *	tp = fs_tracepoints__new(hdr->tracing_data, hdr->tracing_data_size, &err);
 *	ev = fs_tracepoints__event(tp, &evsel->attr);	(attr.config is the event id)
 *	fs_tracepoints__print(tp, ev, s->cpu, s->raw_data, s->raw_size, &text, &len);
 *
 * Layout (perf's util/trace-event-read.c): "\x17\x08\x44tracing", a version
 * string, endianness, long size, page size, "header_page" + u64 size + text,
 * "header_event" + u64 size + text, u32 count of ftrace formats (u64 size +
 * text each), u32 count of systems (name, u32 count, u64 size + text each),
 * u32 size + kallsyms, u32 size + printk formats, and from version 0.6 u64
 * size + saved cmdlines. Every size is checked against the buffer here.
 *
 * The formats themselves are parsed, and payloads rendered, by libtraceevent
 * in a worker process (tpworker.h: it forks at fs_tracepoints__new(); read
 * there what that means for a multi-threaded caller). What the caller gets
 * is plain data checked on arrival: each event's fields (offset, size,
 * signedness, kind) and the names its print format gives field values.
 * A format libtraceevent cannot parse, or that crashes it, is skipped (its
 * events are unknown); a payload that crashes it or runs past the time bound
 * prints as a "[payload not printed: ...]" marker; the rest works.
 *
 * Plugins are loaded as perf 6.1 (Debian) loads them: its libtraceevent has
 * no system plugin directory, so only $TRACEEVENT_PLUGIN_DIR and
 * ~/.local/lib/traceevent/plugins are searched; with none there, payloads
 * use the events' own print formats, as perf's do.
 */
#ifndef FS_TRACEPOINT_H
#define FS_TRACEPOINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/perf_event.h>
#include "error.h"
#include "tpworker.h"

/* A payload field as the format declares it (flags: FS_TPW_F_*). */
struct fs_tp_field {
	const char *name;
	uint32_t offset, size, flags;
};

/* A name the print format gives a field's value (__print_flags, __print_symbolic). */
struct fs_tp_sym {
	uint32_t field;			/* index in fields */
	const char *name;
	uint64_t value;
};

struct fs_tp_event {
	int32_t id;
	const char *system, *name;
	const struct fs_tp_field *fields;	/* the common_* fields first */
	uint32_t nr_fields, nr_common;
	const struct fs_tp_sym *syms;
	uint32_t nr_syms;
};

struct fs_tracepoints;

struct fs_tracepoints *fs_tracepoints__new(const void *data, uint64_t size, struct fs_error *err);
void fs_tracepoints__delete(struct fs_tracepoints *tp);

/*
 * Names kernel addresses in payloads ("function=hrtimer_wakeup"), as perf
 * names them with its own kernel symbols (machine__resolve_kernel_addr()),
 * not the recorded kallsyms: fn returns the symbol's name and sets *addr to
 * its start and *mod to a module's name (or NULL); NULL when unknown. ctx
 * is the request's (fs_tracepoints__print_batch()).
 */
typedef const char *fs_tp_resolver(void *priv, void *ctx, uint64_t *addr, const char **mod);
void fs_tracepoints__set_resolver(struct fs_tracepoints *tp, fs_tp_resolver *fn, void *priv);

/* The events whose formats parsed, by id: i from 0 to nr - 1. */
size_t fs_tracepoints__nr_events(const struct fs_tracepoints *tp);
const struct fs_tp_event *fs_tracepoints__event_at(const struct fs_tracepoints *tp, size_t i);

/* The format of a tracepoint attr (type PERF_TYPE_TRACEPOINT, config = id); NULL if unknown. */
const struct fs_tp_event *fs_tracepoints__event(const struct fs_tracepoints *tp,
						const struct perf_event_attr *attr);

/*
 * The payload as perf script prints it (tep_print_event "%s" of
 * TEP_PRINT_INFO); *text is valid until the next call. Payloads too short
 * for the event's fields print nothing (returns -1) rather than read past
 * their end. A payload libtraceevent crashed or hung on gives a marker text
 * (returns 1).
 */
int fs_tracepoints__print(struct fs_tracepoints *tp, const struct fs_tp_event *ev, int cpu,
			  const void *raw, uint32_t raw_size, const char **text, size_t *len);

/*
 * The same for n payloads at once (what the worker costs is paid per batch,
 * not per payload): cb hears each in order, with status 0 (text), -1
 * (nothing printed: unknown event or short payload) or 1 (a marker text).
 * -1 only when cb fails or memory runs out.
 */
struct fs_tp_request {
	const struct fs_tp_event *ev;
	int cpu;
	const void *raw;
	uint32_t raw_size;
	void *ctx;
};
typedef int fs_tp_print_cb(void *priv, size_t i, int status, const char *text, size_t len);
int fs_tracepoints__print_batch(struct fs_tracepoints *tp, const struct fs_tp_request *req,
				size_t n, fs_tp_print_cb *cb, void *priv, struct fs_error *err);
/* In two halves (req stays valid until collect): the caller goes on while they render. */
int fs_tracepoints__submit(struct fs_tracepoints *tp, const struct fs_tp_request *req, size_t n,
			   struct fs_error *err);
int fs_tracepoints__collect(struct fs_tracepoints *tp, fs_tp_print_cb *cb, void *priv,
			    struct fs_error *err);

/* Crashes, timeouts and formats left out so far (for a warning). */
const struct fs_tpw_stats *fs_tracepoints__stats(const struct fs_tracepoints *tp);
/* For tests: the worker. */
struct fs_tpw *fs_tracepoints__worker(const struct fs_tracepoints *tp);

/* True when raw holds every fixed field of ev and its dynamic arrays lie inside raw. */
bool fs_tracepoints__fits(const struct fs_tp_event *ev, const void *raw, uint32_t raw_size);

/* An unsigned/signed number field of a payload; -1 when absent or out of bounds. */
int fs_tracepoints__field(const struct fs_tp_event *ev, const char *name, const void *raw,
			  uint32_t raw_size, int64_t *val);
/* The same in two steps, for callers reading one field of many samples. */
const struct fs_tp_field *fs_tracepoints__find_field(const struct fs_tp_event *ev, const char *name);
int fs_tracepoints__read_field(const struct fs_tp_field *f, const void *raw, uint32_t raw_size,
			       int64_t *val);
/*
 * A string field's bytes (a char array, or a __data_loc one) inside raw,
 * up to its first NUL: *len bytes at the returned pointer; NULL if f is no
 * string or does not fit.
 */
const char *fs_tracepoints__read_str(const struct fs_tp_field *f, const void *raw,
				     uint32_t raw_size, size_t *len);
/* "system:name" is ev's name. */
bool fs_tracepoints__is(const struct fs_tp_event *ev, const char *system, const char *name);
/* The saved cmdlines' comm of pid (libtraceevent's tep_data_comm_from_pid()): "<...>" if none. */
const char *fs_tracepoints__comm(const struct fs_tracepoints *tp, int pid);

#endif
