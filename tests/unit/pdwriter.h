/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pdwriter: builds small perf.data files with exactly known records, for
 * tests. File mode (PERFILE2 header, attrs + ids, data, feature sections)
 * or pipe mode (16-byte header, HEADER_ATTR and HEADER_FEATURE records);
 * records can be zstd-compressed into COMPRESSED records cut at any size,
 * so records span them as in `perf record -z` output.
 *
 *	struct pdw w;
 *	pdw_init(&w, false);
 *	a = pdw_attr(&w, &attr, ids, nr_ids, "cycles");
 *	pdw_sample(&w, a, &(struct pdw_sample){ .ip = .., .time = .. });
 *	pdw_round(&w);
 *	buf = pdw_finish(&w, &len);	pdw_save(path, buf, len);
 */
#ifndef PDWRITER_H
#define PDWRITER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>
#include <linux/perf_event.h>
#include <perf/event.h>

struct pdw_buf {
	uint8_t *p;
	size_t len, cap;
};

static inline void pdw_buf_add(struct pdw_buf *b, const void *d, size_t n)
{
	if (!n)
		return;
	if (b->len + n > b->cap) {
		b->cap = (b->len + n) * 2 + 256;
		b->p = realloc(b->p, b->cap);
		if (!b->p)
			abort();
	}
	if (d)
		memcpy(b->p + b->len, d, n);
	else
		memset(b->p + b->len, 0, n);
	b->len += n;
}

static inline void pdw_u64(struct pdw_buf *b, uint64_t v) { pdw_buf_add(b, &v, 8); }
static inline void pdw_u32(struct pdw_buf *b, uint32_t v) { pdw_buf_add(b, &v, 4); }

/* perf_header_string: u32 length (NUL included, padded to 64), then the bytes. */
static inline void pdw_str(struct pdw_buf *b, const char *s)
{
	uint32_t n = strlen(s) + 1, len = (n + 63) & ~63u;

	pdw_u32(b, len);
	pdw_buf_add(b, s, n);
	pdw_buf_add(b, NULL, len - n);
}

#define PDW_MAX_ATTRS 8
#define PDW_MAX_IDS 16

struct pdw_attr {
	struct perf_event_attr attr;
	uint64_t ids[PDW_MAX_IDS];
	uint32_t nr_ids;
	const char *name;		/* EVENT_DESC name; NULL: not in EVENT_DESC */
};

/* Every field a sample can carry; the attr's sample_type picks which are written. */
struct pdw_sample {
	uint64_t ip, time, addr, id, stream_id, period;
	uint32_t pid, tid, cpu;
	uint16_t misc;
	const uint64_t *read;		/* read_words u64s, as the kernel lays them out */
	uint32_t read_words;
	const uint64_t *callchain;
	uint64_t nr_callchain;
	const void *raw;		/* raw_size bytes; 4 + raw_size should be a multiple of 8 */
	uint32_t raw_size;
	const struct perf_branch_entry *branch;
	uint64_t branch_nr, branch_hw_idx;
	uint64_t user_abi, intr_abi;	/* regs follow when non-zero: popcount(mask) of them */
	const uint64_t *user_regs, *intr_regs;
	const void *stack;
	uint64_t stack_size, stack_dyn_size;
	uint64_t weight, data_src, transaction, phys_addr, cgroup;
	uint64_t data_page_size, code_page_size;
	const void *aux;
	uint64_t aux_size;
};

struct pdw {
	bool pipe;
	struct pdw_attr attrs[PDW_MAX_ATTRS];
	uint32_t nr_attrs;
	struct pdw_buf data, pending;
	bool compress;
	size_t comp_chunk;		/* payload bytes per COMPRESSED record */
	ZSTD_CCtx *zc;
	bool event_desc;		/* write EVENT_DESC (names) */
	const char *hostname;
	uint64_t first_time, last_time;
};

static inline void pdw_init(struct pdw *w, bool pipe)
{
	memset(w, 0, sizeof(*w));
	w->pipe = pipe;
	w->event_desc = true;
	w->hostname = "pdw-host";
	w->comp_chunk = 4096;
}

/* Starts compressing the records that follow into COMPRESSED records of chunk bytes. */
static inline void pdw_compress(struct pdw *w, size_t chunk)
{
	w->compress = true;
	w->comp_chunk = chunk;
	w->zc = ZSTD_createCCtx();
}

static inline uint32_t pdw_attr(struct pdw *w, const struct perf_event_attr *a, const uint64_t *ids,
				uint32_t nr_ids, const char *name)
{
	struct pdw_attr *pa = &w->attrs[w->nr_attrs];

	pa->attr = *a;
	if (!pa->attr.size)
		pa->attr.size = sizeof(pa->attr);
	if (nr_ids)
		memcpy(pa->ids, ids, nr_ids * 8);
	pa->nr_ids = nr_ids;
	pa->name = name;
	return w->nr_attrs++;
}

/* Appends a raw record (header included), to the data or to what gets compressed. */
static inline void pdw_raw(struct pdw *w, const void *rec, size_t size)
{
	pdw_buf_add(w->compress ? &w->pending : &w->data, rec, size);
}

/* Compresses the pending records: one zstd frame, cut into COMPRESSED records. */
static inline void pdw_compress_flush(struct pdw *w)
{
	size_t bound = ZSTD_compressBound(w->pending.len), n, off;
	uint8_t *out = malloc(bound ? bound : 1);

	if (!w->pending.len) {
		free(out);
		return;
	}
	n = ZSTD_compressCCtx(w->zc, out, bound, w->pending.p, w->pending.len, 1);
	if (ZSTD_isError(n))
		abort();
	for (off = 0; off < n; off += w->comp_chunk) {
		size_t piece = n - off < w->comp_chunk ? n - off : w->comp_chunk;
		struct perf_event_header h = { PERF_RECORD_COMPRESSED, 0, (uint16_t)(8 + piece) };

		pdw_buf_add(&w->data, &h, 8);	/* unpadded, as perf writes them */
		pdw_buf_add(&w->data, out + off, piece);
	}
	w->pending.len = 0;
	free(out);
}

static inline void pdw_round(struct pdw *w)
{
	struct perf_event_header h = { PERF_RECORD_FINISHED_ROUND, 0, 8 };

	if (w->compress)
		pdw_compress_flush(w);
	pdw_buf_add(&w->data, &h, 8);
}

/* The sample_id_all trailer for attr a. */
static inline void pdw_trailer(struct pdw_buf *b, const struct perf_event_attr *a,
			       const struct pdw_sample *s)
{
	uint64_t t = a->sample_type;

	if (!a->sample_id_all)
		return;
	if (t & PERF_SAMPLE_TID) {
		pdw_u32(b, s->pid);
		pdw_u32(b, s->tid);
	}
	if (t & PERF_SAMPLE_TIME)
		pdw_u64(b, s->time);
	if (t & PERF_SAMPLE_ID)
		pdw_u64(b, s->id);
	if (t & PERF_SAMPLE_STREAM_ID)
		pdw_u64(b, s->stream_id);
	if (t & PERF_SAMPLE_CPU) {
		pdw_u32(b, s->cpu);
		pdw_u32(b, 0);
	}
	if (t & PERF_SAMPLE_IDENTIFIER)
		pdw_u64(b, s->id);
}

static inline void pdw_finish_record(struct pdw *w, struct pdw_buf *b)
{
	((struct perf_event_header *)b->p)->size = b->len;
	pdw_raw(w, b->p, b->len);
	free(b->p);
}

static inline void pdw_sample(struct pdw *w, uint32_t ai, const struct pdw_sample *s)
{
	const struct perf_event_attr *a = &w->attrs[ai].attr;
	uint64_t t = a->sample_type;
	struct perf_event_header h = { PERF_RECORD_SAMPLE, s->misc, 0 };
	struct pdw_buf b = { 0 };

	pdw_buf_add(&b, &h, 8);
	if (t & PERF_SAMPLE_IDENTIFIER)
		pdw_u64(&b, s->id);
	if (t & PERF_SAMPLE_IP)
		pdw_u64(&b, s->ip);
	if (t & PERF_SAMPLE_TID) {
		pdw_u32(&b, s->pid);
		pdw_u32(&b, s->tid);
	}
	if (t & PERF_SAMPLE_TIME)
		pdw_u64(&b, s->time);
	if (t & PERF_SAMPLE_ADDR)
		pdw_u64(&b, s->addr);
	if (t & PERF_SAMPLE_ID)
		pdw_u64(&b, s->id);
	if (t & PERF_SAMPLE_STREAM_ID)
		pdw_u64(&b, s->stream_id);
	if (t & PERF_SAMPLE_CPU) {
		pdw_u32(&b, s->cpu);
		pdw_u32(&b, 0);
	}
	if (t & PERF_SAMPLE_PERIOD)
		pdw_u64(&b, s->period);
	if (t & PERF_SAMPLE_READ)
		pdw_buf_add(&b, s->read, s->read_words * 8);
	if (t & PERF_SAMPLE_CALLCHAIN) {
		pdw_u64(&b, s->nr_callchain);
		pdw_buf_add(&b, s->callchain, s->nr_callchain * 8);
	}
	if (t & PERF_SAMPLE_RAW) {
		pdw_u32(&b, s->raw_size);
		pdw_buf_add(&b, s->raw, s->raw_size);
	}
	if (t & PERF_SAMPLE_BRANCH_STACK) {
		pdw_u64(&b, s->branch_nr);
		if (a->branch_sample_type & PERF_SAMPLE_BRANCH_HW_INDEX)
			pdw_u64(&b, s->branch_hw_idx);
		pdw_buf_add(&b, s->branch, s->branch_nr * sizeof(struct perf_branch_entry));
	}
	if (t & PERF_SAMPLE_REGS_USER) {
		pdw_u64(&b, s->user_abi);
		if (s->user_abi)
			pdw_buf_add(&b, s->user_regs, 8 * __builtin_popcountll(a->sample_regs_user));
	}
	if (t & PERF_SAMPLE_STACK_USER) {
		pdw_u64(&b, s->stack_size);
		pdw_buf_add(&b, s->stack, s->stack_size);
		if (s->stack_size)
			pdw_u64(&b, s->stack_dyn_size);
	}
	if (t & (PERF_SAMPLE_WEIGHT | PERF_SAMPLE_WEIGHT_STRUCT))
		pdw_u64(&b, s->weight);
	if (t & PERF_SAMPLE_DATA_SRC)
		pdw_u64(&b, s->data_src);
	if (t & PERF_SAMPLE_TRANSACTION)
		pdw_u64(&b, s->transaction);
	if (t & PERF_SAMPLE_REGS_INTR) {
		pdw_u64(&b, s->intr_abi);
		if (s->intr_abi)
			pdw_buf_add(&b, s->intr_regs, 8 * __builtin_popcountll(a->sample_regs_intr));
	}
	if (t & PERF_SAMPLE_PHYS_ADDR)
		pdw_u64(&b, s->phys_addr);
	if (t & PERF_SAMPLE_CGROUP)
		pdw_u64(&b, s->cgroup);
	if (t & PERF_SAMPLE_DATA_PAGE_SIZE)
		pdw_u64(&b, s->data_page_size);
	if (t & PERF_SAMPLE_CODE_PAGE_SIZE)
		pdw_u64(&b, s->code_page_size);
	if (t & PERF_SAMPLE_AUX) {
		pdw_u64(&b, s->aux_size);
		pdw_buf_add(&b, s->aux, s->aux_size);
	}
	pdw_finish_record(w, &b);
}

/* A COMM record with attr ai's trailer taken from id (pid, tid, time, id, cpu ...). */
static inline void pdw_comm(struct pdw *w, uint32_t ai, uint32_t pid, uint32_t tid,
			    const char *comm, const struct pdw_sample *id)
{
	struct perf_event_header h = { PERF_RECORD_COMM, 0, 0 };
	struct pdw_buf b = { 0 };
	char name[16] = { 0 };

	strncpy(name, comm, 15);
	pdw_buf_add(&b, &h, 8);
	pdw_u32(&b, pid);
	pdw_u32(&b, tid);
	pdw_buf_add(&b, name, 16);
	pdw_trailer(&b, &w->attrs[ai].attr, id);
	pdw_finish_record(w, &b);
}

/* A record of any type with an 8-byte body and attr ai's trailer. */
static inline void pdw_other(struct pdw *w, uint32_t ai, uint32_t type, const struct pdw_sample *id)
{
	struct perf_event_header h = { type, 0, 0 };
	struct pdw_buf b = { 0 };

	pdw_buf_add(&b, &h, 8);
	pdw_u64(&b, 0x1234);
	if (type < PERF_RECORD_USER_TYPE_START)
		pdw_trailer(&b, &w->attrs[ai].attr, id);
	pdw_finish_record(w, &b);
}

static inline void pdw_lost(struct pdw *w, uint32_t ai, uint64_t lost, const struct pdw_sample *id)
{
	struct perf_event_header h = { PERF_RECORD_LOST, 0, 0 };
	struct pdw_buf b = { 0 };

	pdw_buf_add(&b, &h, 8);
	pdw_u64(&b, 7);
	pdw_u64(&b, lost);
	pdw_trailer(&b, &w->attrs[ai].attr, id);
	pdw_finish_record(w, &b);
}

/* Feature payloads, as perf's write_* functions lay them out. */
static inline void pdw_feature(struct pdw *w, unsigned int feat, struct pdw_buf *b)
{
	switch (feat) {
	case 3:	/* HOSTNAME */
		pdw_str(b, w->hostname);
		break;
	case 4:	/* OSRELEASE */
		pdw_str(b, "6.1.0-pdw");
		break;
	case 5:	/* VERSION */
		pdw_str(b, "6.1.pdw");
		break;
	case 6:	/* ARCH */
		pdw_str(b, "x86_64");
		break;
	case 7:	/* NRCPUS: avail, online */
		pdw_u32(b, 4);
		pdw_u32(b, 3);
		break;
	case 8:	/* CPUDESC */
		pdw_str(b, "Pdw CPU @ 1GHz");
		break;
	case 9:	/* CPUID */
		pdw_str(b, "GenuineIntel,6,1,1");
		break;
	case 10:	/* TOTAL_MEM */
		pdw_u64(b, 1048576);
		break;
	case 11:	/* CMDLINE */
		pdw_u32(b, 3);
		pdw_str(b, "perf");
		pdw_str(b, "record");
		pdw_str(b, "it's");
		break;
	case 12:	/* EVENT_DESC */
		pdw_u32(b, w->nr_attrs);
		pdw_u32(b, sizeof(struct perf_event_attr));
		for (uint32_t i = 0; i < w->nr_attrs; i++) {
			pdw_buf_add(b, &w->attrs[i].attr, sizeof(struct perf_event_attr));
			pdw_u32(b, w->attrs[i].nr_ids);
			pdw_str(b, w->attrs[i].name ? w->attrs[i].name : "");
			pdw_buf_add(b, w->attrs[i].ids, w->attrs[i].nr_ids * 8);
		}
		break;
	case 21:	/* SAMPLE_TIME */
		pdw_u64(b, w->first_time);
		pdw_u64(b, w->last_time);
		break;
	case 23:	/* CLOCKID */
		pdw_u64(b, 1000);
		break;
	case 27:	/* COMPRESSED: version, type, level, ratio, mmap_len (u32s) */
		pdw_u32(b, 1);
		pdw_u32(b, 1);
		pdw_u32(b, 1);
		pdw_u32(b, 5);
		pdw_u32(b, 528384);	/* perf record's default: 128 pages and the control page */
		break;
	}
}

static inline int pdw_features(const struct pdw *w, unsigned int *feats)
{
	static const unsigned int all[] = { 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 21, 23, 27 };
	int n = 0;

	for (unsigned int i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		if (all[i] == 12 && !w->event_desc)
			continue;
		if (all[i] == 27 && !w->compress)
			continue;
		feats[n++] = all[i];
	}
	return n;
}

static inline uint8_t *pdw_finish_pipe(struct pdw *w, size_t *len)
{
	struct pdw_buf out = { 0 };
	unsigned int feats[32];
	int nf = pdw_features(w, feats);

	pdw_u64(&out, 0x32454c4946524550ULL);
	pdw_u64(&out, 16);
	for (uint32_t i = 0; i < w->nr_attrs; i++) {
		struct perf_event_header h = { PERF_RECORD_HEADER_ATTR, 0,
			(uint16_t)(8 + sizeof(struct perf_event_attr) + 8 * w->attrs[i].nr_ids) };

		pdw_buf_add(&out, &h, 8);
		pdw_buf_add(&out, &w->attrs[i].attr, sizeof(struct perf_event_attr));
		pdw_buf_add(&out, w->attrs[i].ids, 8 * w->attrs[i].nr_ids);
	}
	for (int i = 0; i < nf; i++) {
		struct pdw_buf f = { 0 };
		struct perf_event_header h = { PERF_RECORD_HEADER_FEATURE, 0, 0 };

		pdw_feature(w, feats[i], &f);
		while (f.len % 8)
			pdw_buf_add(&f, NULL, 1);
		h.size = 16 + f.len;
		pdw_buf_add(&out, &h, 8);
		pdw_u64(&out, feats[i]);
		pdw_buf_add(&out, f.p, f.len);
		free(f.p);
	}
	pdw_buf_add(&out, w->data.p, w->data.len);
	*len = out.len;
	return out.p;
}

/* The whole file; the caller frees it. Releases w's buffers. */
static inline uint8_t *pdw_finish(struct pdw *w, size_t *len)
{
	struct pdw_buf out = { 0 }, feat = { 0 };
	uint64_t hdr[13] = { 0 }, ids_at[PDW_MAX_ATTRS];
	unsigned int feats[32];
	int nf = pdw_features(w, feats);
	uint8_t *ret;

	if (w->compress)
		pdw_compress_flush(w);
	if (w->pipe) {
		ret = pdw_finish_pipe(w, len);
		goto done;
	}
	pdw_buf_add(&out, NULL, sizeof(hdr));
	for (uint32_t i = 0; i < w->nr_attrs; i++) {
		ids_at[i] = out.len;
		pdw_buf_add(&out, w->attrs[i].ids, 8 * w->attrs[i].nr_ids);
	}
	hdr[0] = 0x32454c4946524550ULL;
	hdr[1] = sizeof(hdr);
	hdr[2] = sizeof(struct perf_event_attr) + 16;
	hdr[3] = out.len;
	for (uint32_t i = 0; i < w->nr_attrs; i++) {
		pdw_buf_add(&out, &w->attrs[i].attr, sizeof(struct perf_event_attr));
		pdw_u64(&out, ids_at[i]);
		pdw_u64(&out, 8 * w->attrs[i].nr_ids);
	}
	hdr[4] = out.len - hdr[3];
	hdr[5] = out.len;
	hdr[6] = w->data.len;
	pdw_buf_add(&out, w->data.p, w->data.len);
	/* feature table, then payloads */
	uint64_t table = out.len, at = table + 16 * nf;

	pdw_buf_add(&out, NULL, 16 * nf);
	for (int i = 0; i < nf; i++) {
		size_t start = feat.len;
		uint64_t sec[2];

		hdr[9 + feats[i] / 64] |= 1ULL << (feats[i] % 64);
		pdw_feature(w, feats[i], &feat);
		sec[0] = at + start;
		sec[1] = feat.len - start;
		memcpy(out.p + table + 16 * i, sec, 16);
	}
	pdw_buf_add(&out, feat.p, feat.len);
	free(feat.p);
	memcpy(out.p, hdr, sizeof(hdr));
	*len = out.len;
	ret = out.p;
done:
	free(w->data.p);
	free(w->pending.p);
	if (w->zc)
		ZSTD_freeCCtx(w->zc);
	memset(&w->data, 0, sizeof(w->data));
	memset(&w->pending, 0, sizeof(w->pending));
	w->zc = NULL;
	return ret;
}

static inline int pdw_save(const char *path, const void *p, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		return -1;
	if (fwrite(p, 1, len, f) != len) {
		fclose(f);
		return -1;
	}
	return fclose(f);
}

#endif
