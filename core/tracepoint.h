/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * tracepoint: the tracing data perf records with tracepoint events
 * (HEADER_TRACING_DATA, or pipe mode's tracing-data record) parsed with
 * libtraceevent, so tracepoint payloads print as `perf script` prints them
 * and their fields can be read and filtered.
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
 * size + saved cmdlines. Every size is checked against the buffer.
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

struct fs_tracepoints;
struct tep_event;
struct tep_handle;

struct fs_tracepoints *fs_tracepoints__new(const void *data, uint64_t size, struct fs_error *err);
void fs_tracepoints__delete(struct fs_tracepoints *tp);
struct tep_handle *fs_tracepoints__tep(const struct fs_tracepoints *tp);

/*
 * Names kernel addresses in payloads ("function=hrtimer_wakeup"), as perf
 * names them with its own kernel symbols (machine__resolve_kernel_addr()),
 * not the recorded kallsyms: fn returns the symbol's name and sets *addr to
 * its start and *mod to a module's name (or NULL); NULL when unknown.
 */
typedef const char *fs_tp_resolver(void *priv, uint64_t *addr, const char **mod);
void fs_tracepoints__set_resolver(struct fs_tracepoints *tp, fs_tp_resolver *fn, void *priv);

/* The format of a tracepoint attr (type PERF_TYPE_TRACEPOINT, config = id); NULL if unknown. */
struct tep_event *fs_tracepoints__event(const struct fs_tracepoints *tp,
					const struct perf_event_attr *attr);

/*
 * The payload as perf script prints it (tep_print_event "%s" of
 * TEP_PRINT_INFO); *text is valid until the next call. Payloads too short
 * for the event's fields print nothing (returns -1) rather than read past
 * their end.
 */
int fs_tracepoints__print(struct fs_tracepoints *tp, struct tep_event *ev, int cpu,
			  const void *raw, uint32_t raw_size, const char **text, size_t *len);

/* True when raw holds every fixed field of ev and its dynamic arrays lie inside raw. */
bool fs_tracepoints__fits(const struct tep_event *ev, const void *raw, uint32_t raw_size);

/* An unsigned/signed number field of a payload; -1 when absent or out of bounds. */
int fs_tracepoints__field(const struct tep_event *ev, const char *name, const void *raw,
			  uint32_t raw_size, int64_t *val);
/* The same in two steps, for callers reading one field of many samples. */
struct tep_format_field;
struct tep_format_field *fs_tracepoints__find_field(const struct tep_event *ev, const char *name);
int fs_tracepoints__read_field(const struct tep_format_field *f, const void *raw,
			       uint32_t raw_size, int64_t *val);
/* "system:name" is ev's name. */
bool fs_tracepoints__is(const struct tep_event *ev, const char *system, const char *name);

/* A libtraceevent filter ("prev_state==2 && prev_pid>0") on one event. */
struct fs_tp_filter;
struct fs_tp_filter *fs_tp_filter__new(struct fs_tracepoints *tp, struct tep_event *ev,
				       const char *expr, struct fs_error *err);
bool fs_tp_filter__match(struct fs_tp_filter *f, int cpu, const void *raw, uint32_t raw_size);
void fs_tp_filter__delete(struct fs_tp_filter *f);

#endif
