// SPDX-License-Identifier: GPL-2.0-only
/*
 * sample: PERF_RECORD_SAMPLE fields in the kernel's order (see the layout in
 * linux/perf_event.h), and the sample_id_all trailer of other kernel records.
 * Every field is checked against the record's size before it is read.
 */
#include <string.h>
#include "reader-int.h"

int fs_sample__id_pos(uint64_t type)
{
	int idx = 0;

	if (type & PERF_SAMPLE_IDENTIFIER)
		return 0;
	if (!(type & PERF_SAMPLE_ID))
		return -1;
	idx += !!(type & PERF_SAMPLE_IP);
	idx += !!(type & PERF_SAMPLE_TID);
	idx += !!(type & PERF_SAMPLE_TIME);
	idx += !!(type & PERF_SAMPLE_ADDR);
	return idx;
}

int fs_sample__is_pos(uint64_t type)
{
	int idx = 1;

	if (type & PERF_SAMPLE_IDENTIFIER)
		return 1;
	if (!(type & PERF_SAMPLE_ID))
		return -1;
	idx += !!(type & PERF_SAMPLE_CPU);
	idx += !!(type & PERF_SAMPLE_STREAM_ID);
	return idx;
}

size_t fs_sample__min_size(uint64_t type)
{
	uint64_t fixed = type & (PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_IP | PERF_SAMPLE_TID |
				 PERF_SAMPLE_TIME | PERF_SAMPLE_ADDR | PERF_SAMPLE_ID |
				 PERF_SAMPLE_STREAM_ID | PERF_SAMPLE_CPU | PERF_SAMPLE_PERIOD);

	return sizeof(struct perf_event_header) + 8 * __builtin_popcountll(fixed);
}

/* The trailer, read backwards from the record's end as perf does. */
static int parse_id_sample(uint64_t type, const union perf_event *ev, struct fs_sample *s)
{
	const uint8_t *min = (const uint8_t *)ev + sizeof(ev->header);
	const uint8_t *a = (const uint8_t *)ev + ev->header.size;
	uint32_t u[2];

	/* a corrupt size may leave the end unaligned: copy, do not dereference */
#define TAKE(dst) do { if (a - min < 8) return -1; a -= 8; memcpy(dst, a, 8); } while (0)
	if (type & PERF_SAMPLE_IDENTIFIER)
		TAKE(&s->id);
	if (type & PERF_SAMPLE_CPU) {
		TAKE(u);
		s->cpu = u[0];
	}
	if (type & PERF_SAMPLE_STREAM_ID)
		TAKE(&s->stream_id);
	if (type & PERF_SAMPLE_ID)
		TAKE(&s->id);
	if (type & PERF_SAMPLE_TIME)
		TAKE(&s->time);
	if (type & PERF_SAMPLE_TID) {
		TAKE(u);
		s->pid = u[0];
		s->tid = u[1];
	}
#undef TAKE
	return 0;
}

int fs_evsel__sample_time(const struct fs_evsel *evsel, const union perf_event *ev, uint64_t *ts)
{
	uint64_t type = evsel->attr.sample_type;
	const uint64_t *a;

	*ts = (uint64_t)-1;
	if (ev->header.type != PERF_RECORD_SAMPLE) {
		struct fs_sample s;

		if (!evsel->attr.sample_id_all)
			return 0;
		s.time = (uint64_t)-1;
		if (parse_id_sample(type, ev, &s))
			return -1;
		*ts = s.time;
		return 0;
	}
	if (!(type & PERF_SAMPLE_TIME))
		return 0;
	if (ev->header.size < fs_sample__min_size(type))
		return -1;
	a = (const uint64_t *)ev->sample.array;
	a += !!(type & PERF_SAMPLE_IDENTIFIER);
	a += !!(type & PERF_SAMPLE_IP);
	a += !!(type & PERF_SAMPLE_TID);
	*ts = *a;
	return 0;
}

struct cursor {
	const uint8_t *p, *end;
};

static inline bool fits(const struct cursor *c, uint64_t n)
{
	return (uint64_t)(c->end - c->p) >= n;
}

static inline int u64_at(struct cursor *c, uint64_t *v)
{
	if (!fits(c, 8))
		return -1;
	memcpy(v, c->p, 8);
	c->p += 8;
	return 0;
}

/* Takes n bytes (n from the file: checked before pointer arithmetic). */
static inline int take(struct cursor *c, uint64_t n, const void **at)
{
	if (!fits(c, n))
		return -1;
	*at = c->p;
	c->p += n;
	return 0;
}

static int parse_read(const struct perf_event_attr *attr, struct cursor *c, struct fs_sample *s)
{
	uint64_t fmt = attr->read_format, per = 1, words, nr = 1;
	const void *at;

	per += !!(fmt & PERF_FORMAT_ID);
	per += !!(fmt & PERF_FORMAT_LOST);
	words = !!(fmt & PERF_FORMAT_TOTAL_TIME_ENABLED) + !!(fmt & PERF_FORMAT_TOTAL_TIME_RUNNING);
	if (fmt & PERF_FORMAT_GROUP) {
		if (!fits(c, 8))
			return -1;
		memcpy(&nr, c->p, 8);
		words += 1;
		if (nr > (uint64_t)(c->end - c->p) / 8 / per)
			return -1;
	}
	words += nr * per;
	if (take(c, words * 8, &at))
		return -1;
	s->read = at;
	s->read_words = words;
	return 0;
}

static int parse_regs(struct cursor *c, uint64_t mask, uint64_t *abi, const uint64_t **regs,
		      uint32_t *nr)
{
	const void *at;

	if (u64_at(c, abi))
		return -1;
	if (!*abi)
		return 0;
	*nr = __builtin_popcountll(mask);
	if (take(c, (uint64_t)*nr * 8, &at))
		return -1;
	*regs = at;
	return 0;
}

static int parse_tail(const struct perf_event_attr *attr, struct cursor *c, struct fs_sample *s)
{
	uint64_t type = attr->sample_type, v;
	const void *at;

	if ((type & PERF_SAMPLE_READ) && parse_read(attr, c, s))
		return -1;
	if (type & PERF_SAMPLE_CALLCHAIN) {
		if (u64_at(c, &s->nr_callchain) || s->nr_callchain > (uint64_t)(c->end - c->p) / 8)
			return -1;
		s->callchain = (const uint64_t *)c->p;
		c->p += s->nr_callchain * 8;
	}
	if (type & PERF_SAMPLE_RAW) {
		uint32_t sz;

		if (!fits(c, 4))
			return -1;
		memcpy(&sz, c->p, 4);
		c->p += 4;
		if (take(c, sz, &s->raw_data))
			return -1;
		s->raw_size = sz;
	}
	if (type & PERF_SAMPLE_BRANCH_STACK) {
		if (u64_at(c, &s->branch_nr))
			return -1;
		if ((attr->branch_sample_type & PERF_SAMPLE_BRANCH_HW_INDEX) &&
		    u64_at(c, &s->branch_hw_idx))
			return -1;
		if (s->branch_nr > (uint64_t)(c->end - c->p) / sizeof(struct perf_branch_entry))
			return -1;
		s->branch_entries = (const void *)c->p;
		c->p += s->branch_nr * sizeof(struct perf_branch_entry);
	}
	if ((type & PERF_SAMPLE_REGS_USER) &&
	    parse_regs(c, attr->sample_regs_user, &s->user_regs_abi, &s->user_regs, &s->nr_user_regs))
		return -1;
	if (type & PERF_SAMPLE_STACK_USER) {
		if (u64_at(c, &s->user_stack_size) || take(c, s->user_stack_size, &s->user_stack))
			return -1;
		if (s->user_stack_size && u64_at(c, &s->user_stack_dyn_size))
			return -1;
	}
	if (type & (PERF_SAMPLE_WEIGHT | PERF_SAMPLE_WEIGHT_STRUCT)) {
		if (u64_at(c, &v))
			return -1;
		s->weight = v;
		if (type & PERF_SAMPLE_WEIGHT_STRUCT) {
			s->weight = (uint32_t)v;
			s->ins_lat = v >> 32;
			s->p_stage_cyc = v >> 48;
		}
	}
	if ((type & PERF_SAMPLE_DATA_SRC) && u64_at(c, &s->data_src))
		return -1;
	if ((type & PERF_SAMPLE_TRANSACTION) && u64_at(c, &s->transaction))
		return -1;
	if ((type & PERF_SAMPLE_REGS_INTR) &&
	    parse_regs(c, attr->sample_regs_intr, &s->intr_regs_abi, &s->intr_regs, &s->nr_intr_regs))
		return -1;
	if ((type & PERF_SAMPLE_PHYS_ADDR) && u64_at(c, &s->phys_addr))
		return -1;
	if ((type & PERF_SAMPLE_CGROUP) && u64_at(c, &s->cgroup))
		return -1;
	if ((type & PERF_SAMPLE_DATA_PAGE_SIZE) && u64_at(c, &s->data_page_size))
		return -1;
	if ((type & PERF_SAMPLE_CODE_PAGE_SIZE) && u64_at(c, &s->code_page_size))
		return -1;
	if (type & PERF_SAMPLE_AUX) {
		if (u64_at(c, &s->aux_size) || take(c, s->aux_size, &at))
			return -1;
		s->aux_data = at;
	}
	return 0;
}

static void sample_init(struct fs_sample *s, const union perf_event *ev)
{
	memset(s, 0, sizeof(*s));
	s->time = (uint64_t)-1;
	s->pid = s->tid = s->cpu = (uint32_t)-1;
	s->branch_hw_idx = (uint64_t)-1;
	s->cpumode = ev->header.misc & PERF_RECORD_MISC_CPUMODE_MASK;
}

int fs_evsel__parse_sample(const struct fs_evsel *evsel, const union perf_event *ev,
			   struct fs_sample *s)
{
	const struct perf_event_attr *attr = &evsel->attr;
	uint64_t type = attr->sample_type;
	const uint64_t *a = (const uint64_t *)ev->sample.array;
	uint32_t u[2];

	sample_init(s, ev);
	s->evsel = (struct fs_evsel *)evsel;
	if (ev->header.type != PERF_RECORD_SAMPLE) {
		if (!attr->sample_id_all)
			return 0;
		return parse_id_sample(type, ev, s);
	}
	if (ev->header.size < fs_sample__min_size(type))
		return -1;
	s->period = attr->sample_period;	/* as perf: overwritten by PERIOD */
	if (type & PERF_SAMPLE_IDENTIFIER)
		s->id = *a++;
	if (type & PERF_SAMPLE_IP)
		s->ip = *a++;
	if (type & PERF_SAMPLE_TID) {
		memcpy(u, a++, 8);
		s->pid = u[0];
		s->tid = u[1];
	}
	if (type & PERF_SAMPLE_TIME)
		s->time = *a++;
	if (type & PERF_SAMPLE_ADDR)
		s->addr = *a++;
	if (type & PERF_SAMPLE_ID)
		s->id = *a++;
	if (type & PERF_SAMPLE_STREAM_ID)
		s->stream_id = *a++;
	if (type & PERF_SAMPLE_CPU) {
		memcpy(u, a++, 8);
		s->cpu = u[0];
	}
	if (type & PERF_SAMPLE_PERIOD)
		s->period = *a++;

	struct cursor c = { (const uint8_t *)a, (const uint8_t *)ev + ev->header.size };

	return parse_tail(attr, &c, s);
}
