// SPDX-License-Identifier: GPL-2.0-only
/*
 * The text perf script prints for the records --show-task-events,
 * --show-mmap-events, --show-switch-events and --show-lost-events ask for
 * (perf 6.1's perf_event__fprintf() and friends in util/event.c), after the
 * prefix the sample fields give them. Strings are taken only up to the end
 * of their record.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "script-int.h"
#include "util.h"

#define PROT_READ_FLAG	0x1
#define PROT_WRITE_FLAG	0x2
#define PROT_EXEC_FLAG	0x4
#define MAP_SHARED_FLAG	0x1

/* The record's string at s, bounded by the record: its length, or -1 when it runs past. */
static int rec_str(const union perf_event *ev, const char *s, const char **out)
{
	const char *end = (const char *)ev + ev->header.size;
	size_t n;

	if (s >= end)
		return -1;
	n = strnlen(s, end - s);
	*out = s;
	return n < (size_t)(end - s) ? (int)n : -1;
}

static int comm_text(const union perf_event *ev, char *buf, size_t size)
{
	const char *comm;
	int n;

	if (ev->header.size < offsetof(struct perf_record_comm, comm) + 1 ||
	    (n = rec_str(ev, ev->comm.comm, &comm)) < 0)
		return -1;
	return snprintf(buf, size, "%s: %.*s:%d/%d\n",
			ev->header.misc & PERF_RECORD_MISC_COMM_EXEC ? " exec" : "", n, comm,
			(int)ev->comm.pid, (int)ev->comm.tid);
}

static int mmap_text(const union perf_event *ev, char *buf, size_t size)
{
	const struct perf_record_mmap *m = &ev->mmap;
	const char *name;
	int n;

	if (ev->header.size < offsetof(struct perf_record_mmap, filename) + 1 ||
	    (n = rec_str(ev, m->filename, &name)) < 0)
		return -1;
	return snprintf(buf, size, " %d/%d: [%#llx(%#llx) @ %#llx]: %c %.*s\n", (int)m->pid,
			(int)m->tid, (unsigned long long)m->start, (unsigned long long)m->len,
			(unsigned long long)m->pgoff,
			ev->header.misc & PERF_RECORD_MISC_MMAP_DATA ? 'r' : 'x', n, name);
}

static int mmap2_text(const union perf_event *ev, char *buf, size_t size)
{
	const struct perf_record_mmap2 *m = &ev->mmap2;
	char id[64], bid[41];
	const char *name;
	int n;

	if (ev->header.size < offsetof(struct perf_record_mmap2, filename) + 1 ||
	    (n = rec_str(ev, m->filename, &name)) < 0)
		return -1;
	if (ev->header.misc & PERF_RECORD_MISC_MMAP_BUILD_ID) {
		size_t len = m->build_id_size > 20 ? 20 : m->build_id_size;

		for (size_t i = 0; i < len; i++)
			sprintf(bid + 2 * i, "%02x", m->build_id[i]);
		bid[2 * len] = '\0';
		snprintf(id, sizeof(id), " <%s>", bid);
	} else {
		snprintf(id, sizeof(id), " %02x:%02x %llu %llu", m->maj, m->min,
			 (unsigned long long)m->ino, (unsigned long long)m->ino_generation);
	}
	return snprintf(buf, size, " %d/%d: [%#llx(%#llx) @ %#llx%s]: %c%c%c%c %.*s\n",
			(int)m->pid, (int)m->tid, (unsigned long long)m->start,
			(unsigned long long)m->len, (unsigned long long)m->pgoff, id,
			m->prot & PROT_READ_FLAG ? 'r' : '-', m->prot & PROT_WRITE_FLAG ? 'w' : '-',
			m->prot & PROT_EXEC_FLAG ? 'x' : '-', m->flags & MAP_SHARED_FLAG ? 's' : 'p',
			n, name);
}

static int switch_text(const union perf_event *ev, char *buf, size_t size)
{
	bool out = ev->header.misc & PERF_RECORD_MISC_SWITCH_OUT;
	const char *in_out = !out ? "IN         " :
			     !(ev->header.misc & PERF_RECORD_MISC_SWITCH_OUT_PREEMPT) ?
			     "OUT        " : "OUT preempt";

	if (ev->header.type == PERF_RECORD_SWITCH)
		return snprintf(buf, size, " %s\n", in_out);
	if (ev->header.size < sizeof(struct perf_record_switch))
		return -1;
	return snprintf(buf, size, " %s  %s pid/tid: %5d/%-5d\n", in_out, out ? "next" : "prev",
			(int)ev->context_switch.next_prev_pid, (int)ev->context_switch.next_prev_tid);
}

int fs_script__record_text(const union perf_event *ev, char *buf, size_t size)
{
	static const char *const names[] = {
		[PERF_RECORD_MMAP] = "MMAP", [PERF_RECORD_LOST] = "LOST",
		[PERF_RECORD_COMM] = "COMM", [PERF_RECORD_EXIT] = "EXIT",
		[PERF_RECORD_FORK] = "FORK", [PERF_RECORD_MMAP2] = "MMAP2",
		[PERF_RECORD_SWITCH] = "SWITCH", [PERF_RECORD_SWITCH_CPU_WIDE] = "SWITCH_CPU_WIDE",
	};
	uint32_t type = ev->header.type;
	int n, m;

	if (type >= ARRAY_SIZE(names) || !names[type])
		return -1;
	n = snprintf(buf, size, "PERF_RECORD_%s", names[type]);
	switch (type) {
	case PERF_RECORD_COMM:
		m = comm_text(ev, buf + n, size - n);
		break;
	case PERF_RECORD_FORK:
	case PERF_RECORD_EXIT:
		if (ev->header.size < sizeof(struct perf_record_fork))
			return -1;
		m = snprintf(buf + n, size - n, "(%d:%d):(%d:%d)\n", (int)ev->fork.pid,
			     (int)ev->fork.tid, (int)ev->fork.ppid, (int)ev->fork.ptid);
		break;
	case PERF_RECORD_MMAP:
		m = mmap_text(ev, buf + n, size - n);
		break;
	case PERF_RECORD_MMAP2:
		m = mmap2_text(ev, buf + n, size - n);
		break;
	case PERF_RECORD_SWITCH:
	case PERF_RECORD_SWITCH_CPU_WIDE:
		m = switch_text(ev, buf + n, size - n);
		break;
	case PERF_RECORD_LOST:
		if (ev->header.size < sizeof(struct perf_record_lost))
			return -1;
		m = snprintf(buf + n, size - n, " lost %llu\n", (unsigned long long)ev->lost.lost);
		break;
	default:
		return -1;
	}
	if (m < 0 || (size_t)(n + m) >= size)
		return -1;
	return n + m;
}
