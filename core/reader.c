// SPDX-License-Identifier: GPL-2.0-only
/*
 * reader: walks a perf.data file (mmapped) or stream (read in chunks) and
 * delivers its records in the order perf's ordered_events does:
 *
 *  - user records (type >= 64) at once; FINISHED_ROUND first delivers the
 *    queued records with time <= next_flush, then next_flush = max_timestamp
 *    (a round with an empty queue changes nothing, as in perf);
 *  - kernel records with no time (-1) or time 0 at once;
 *  - the rest queued, stably sorted by time, delivered by rounds and a final
 *    flush at the end;
 *  - should the queue hold more than QUEUE_MAX bytes (a stream without
 *    rounds), perf's OE_FLUSH__HALF before the record that would pass it:
 *    next_flush = first + (last - first) / 2, first the earliest queued
 *    time, last the time of the record queued last, and the queued records
 *    up to it are delivered (perf applies it under report.queue-size).
 *
 * The queue is an array of (time, record, offset, buffer) entries, kept in
 * arrival order and merge-sorted when a round flushes: records mostly arrive
 * in per-cpu runs, so the sort is close to linear. Records point into the
 * mapping, into a pipe chunk or into an inflated COMPRESSED payload; chunks
 * and payloads count the queued records pointing into them and are recycled
 * when none is left.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>
#include "reader-int.h"
#include "util.h"

#define PERF_MAGIC2	0x32454c4946524550ULL	/* "PERFILE2" */
#define PERF_MAGIC1	0x454c494646524550ULL	/* "PERFFILE" */
#define NO_BUF		UINT32_MAX
#define NO_EVSEL	UINT32_MAX
#define BAD_EVSEL	(UINT32_MAX - 1)	/* record too small to hold its sample id */
#define CHUNK		(1u << 20)
#define FILE_RETAIN_MAX	(256u << 20)	/* buffer bytes past which file records come from the mapping */
#define MAX_INFLATE	(1ull << 30)
#define MAX_FIRST_INFLATE	(1u << 24)
#define QUEUE_MAX	(64ull << 20)	/* queued record bytes (and entries) before a HALF flush */

struct file_section {
	uint64_t offset, size;
};

struct file_header {
	uint64_t magic, size, attr_size;
	struct file_section attrs, data, event_types;
	uint64_t features[4];
};

/* A pipe chunk or an inflated COMPRESSED payload. */
struct rbuf {
	uint8_t *data;
	size_t cap, len, head;		/* head: next record to parse */
	uint64_t pending;		/* queued or held records pointing in */
	uint64_t base;			/* stream offset of data[0]; COMPRESSED record offset */
	bool live;			/* still parsed from */
	bool used;
};

struct qent {
	uint64_t ts;
	const union perf_event *ev;
	uint64_t off;
	uint32_t buf, evsel;
};

struct fs_reader {
	char *path;
	int fd;
	bool own_fd, pipe;
	const uint8_t *map;
	size_t map_size;
	uint64_t pos, end;		/* file mode: next record, end of data */
	uint64_t stream_pos;		/* pipe mode: offset of the next byte parsed */
	bool eof;			/* pipe mode: read() returned 0 */
	struct fs_header h;
	struct fs_reader_stats st;

	struct evsel_fast {		/* per evsel, for the walk's hot path */
		uint32_t min_size;	/* smallest SAMPLE record its layout allows */
		int32_t time_idx;	/* u64 index of a SAMPLE's time, -1: none */
	} *fast;
	uint64_t *id_keys;		/* open addressing, 0 = empty (id 0 maps to the first evsel) */
	uint32_t *id_vals, id_mask;
	int id_pos, is_pos;

	struct qent *q, *tmp;
	size_t qcap, qlen, qsorted, qhead, qready;
	uint64_t next_flush, max_ts, last_flush;
	uint64_t last_ts;		/* of the record queued last (perf's oe->last) */
	uint64_t queued_bytes, queue_max;	/* records and entries queued, the HALF limit */
	struct qent after;		/* FINISHED_ROUND, delivered after its flush */
	struct qent waiting;		/* queued once the HALF flush it caused is delivered */
	bool have_after, have_waiting, done;
	bool unordered;			/* fs_reader__set_ordered(r, false) */

	struct rbuf *bufs;
	uint32_t nr_bufs, pipe_buf, dec_buf, held;
	uint32_t file_buf;		/* file mode: the chunk read last (base: its file offset) */
	size_t buf_bytes;		/* capacity of the buffers in use */
	uint32_t *free_ids, nr_free, free_cap;	/* unused bufs, reused first */
	bool from_dec;			/* the last raw record came from dec_buf */
	ZSTD_DStream *zstd;
	uint64_t claimed_end;		/* file mode: where the header says the data ends */
	struct fs_error note;		/* damage perf reads past: said once, after the records */
};

/* ---- evsel lookup by sample id ---- */

static uint32_t id_hash(uint64_t id, uint32_t mask)
{
	return (uint32_t)fs_hash64(id) & mask;
}

static int ids_build(struct fs_reader *r)
{
	uint64_t n = 0;
	uint32_t size = 16;

	for (uint32_t i = 0; i < r->h.nr_evsels; i++)
		n += r->h.evsels[i].nr_ids;
	while (size < 2 * n)
		size *= 2;
	free(r->id_keys);
	free(r->id_vals);
	r->id_keys = calloc(size, sizeof(*r->id_keys));
	r->id_vals = calloc(size, sizeof(*r->id_vals));
	if (!r->id_keys || !r->id_vals)
		return -1;
	r->id_mask = size - 1;
	for (uint32_t i = 0; i < r->h.nr_evsels; i++) {
		const struct fs_evsel *e = &r->h.evsels[i];

		for (uint32_t j = 0; j < e->nr_ids; j++) {
			uint32_t k = id_hash(e->ids[j], r->id_mask);

			if (!e->ids[j])
				continue;
			while (r->id_keys[k] && r->id_keys[k] != e->ids[j])
				k = (k + 1) & r->id_mask;
			if (!r->id_keys[k]) {	/* the first attr holding an id wins */
				r->id_keys[k] = e->ids[j];
				r->id_vals[k] = i;
			}
		}
	}
	free(r->fast);
	r->fast = calloc(r->h.nr_evsels + 1, sizeof(*r->fast));
	if (!r->fast)
		return -1;
	for (uint32_t i = 0; i < r->h.nr_evsels; i++) {
		uint64_t t = r->h.evsels[i].attr.sample_type;

		r->fast[i].min_size = fs_sample__min_size(t);
		r->fast[i].time_idx = !(t & PERF_SAMPLE_TIME) ? -1 :
			!!(t & PERF_SAMPLE_IDENTIFIER) + !!(t & PERF_SAMPLE_IP) + !!(t & PERF_SAMPLE_TID);
	}
	if (r->h.nr_evsels) {
		r->id_pos = fs_sample__id_pos(r->h.evsels[0].attr.sample_type);
		r->is_pos = fs_sample__is_pos(r->h.evsels[0].attr.sample_type);
	}
	return 0;
}

/*
 * perf's evlist__event2evsel: the evsel index, NO_EVSEL for an unknown id,
 * BAD_EVSEL when the record cannot hold the id (perf fails there too).
 */
static uint32_t event_evsel(const struct fs_reader *r, const union perf_event *ev)
{
	const struct fs_evsel *first = r->h.evsels;
	uint64_t n, id;
	uint32_t k;

	if (r->h.nr_evsels <= 1)
		return r->h.nr_evsels ? 0 : NO_EVSEL;
	if (!first->attr.sample_id_all && ev->header.type != PERF_RECORD_SAMPLE)
		return 0;
	n = (ev->header.size - sizeof(ev->header)) / 8;
	if (ev->header.type == PERF_RECORD_SAMPLE) {
		if (r->id_pos < 0)
			return 0;
		if ((uint64_t)r->id_pos >= n)
			return BAD_EVSEL;
		id = ev->sample.array[r->id_pos];
	} else {
		if (r->is_pos < 0)
			return 0;
		if ((uint64_t)r->is_pos > n)
			return BAD_EVSEL;
		id = ev->sample.array[n - r->is_pos];
	}
	if (!id)
		return 0;
	for (k = id_hash(id, r->id_mask); r->id_keys[k]; k = (k + 1) & r->id_mask)
		if (r->id_keys[k] == id)
			return r->id_vals[k];
	return NO_EVSEL;
}

/* ---- buffers ---- */

/* Back to the free stack once nothing points in and nothing parses it. */
static void buf_put(struct fs_reader *r, uint32_t i)
{
	struct rbuf *b = &r->bufs[i];

	if (b->pending || b->live || !b->used)
		return;
	if (r->nr_free == r->free_cap) {
		uint32_t cap = r->free_cap ? 2 * r->free_cap : 16;
		uint32_t *f = realloc(r->free_ids, cap * sizeof(*f));

		if (!f)
			return;		/* stays out of the pool until close */
		r->free_ids = f;
		r->free_cap = cap;
	}
	b->used = false;
	r->buf_bytes -= b->cap;
	r->free_ids[r->nr_free++] = i;
}

/* A free buffer with room for cap bytes: O(1), from the free stack's top few. */
static uint32_t buf_get(struct fs_reader *r, size_t cap)
{
	uint32_t best = NO_BUF;
	struct rbuf *b;

	if (r->nr_free) {
		uint32_t k = r->nr_free - 1, lo = r->nr_free > 8 ? r->nr_free - 8 : 0;

		for (uint32_t j = r->nr_free; j-- > lo;) {
			if (r->bufs[r->free_ids[j]].cap >= cap) {
				k = j;
				break;
			}
		}
		best = r->free_ids[k];
		r->free_ids[k] = r->free_ids[--r->nr_free];
	} else {
		b = realloc(r->bufs, (r->nr_bufs + 1) * sizeof(*b));
		if (!b)
			return NO_BUF;
		r->bufs = b;
		best = r->nr_bufs++;
		memset(&r->bufs[best], 0, sizeof(*b));
	}
	b = &r->bufs[best];
	b->len = b->head = b->pending = 0;
	b->base = 0;
	b->live = b->used = true;
	if (b->cap < cap) {
		uint8_t *d = realloc(b->data, cap);

		if (!d) {
			b->live = false;
			r->buf_bytes += b->cap;
			buf_put(r, best);
			return NO_BUF;
		}
		b->data = d;
		b->cap = cap;
	}
	r->buf_bytes += b->cap;
	return best;
}

static void buf_release(struct fs_reader *r, uint32_t i)
{
	if (i == NO_BUF)
		return;
	r->bufs[i].pending--;
	buf_put(r, i);
}

static void buf_retire(struct fs_reader *r, uint32_t i)
{
	if (i == NO_BUF)
		return;
	r->bufs[i].live = false;
	buf_put(r, i);
}

/* ---- pipe input ---- */

/*
 * Makes n bytes available at the pipe chunk's head: 1 when they are, 0 at a
 * clean end of stream, -1 on a read error or a stream ending mid-record
 * (*partial set).
 */
static int pipe_need(struct fs_reader *r, size_t n, bool *partial, struct fs_error *err)
{
	struct rbuf *b = &r->bufs[r->pipe_buf];
	size_t avail = b->len - b->head;

	*partial = false;
	if (avail >= n)
		return 1;
	if (r->eof)
		goto end;
	if (b->pending) {	/* records point in: carry the rest over to a new chunk */
		uint32_t nb = buf_get(r, n > CHUNK ? n : CHUNK);

		if (nb == NO_BUF)
			return fs_error__set(err, "%s: out of memory reading the stream", r->path);
		b = &r->bufs[r->pipe_buf];
		memcpy(r->bufs[nb].data, b->data + b->head, avail);
		r->bufs[nb].len = avail;
		r->bufs[nb].base = b->base + b->head;
		buf_retire(r, r->pipe_buf);
		r->pipe_buf = nb;
		b = &r->bufs[nb];
	} else {		/* nothing points in: compact, grow for a big record */
		memmove(b->data, b->data + b->head, avail);
		b->base += b->head;
		b->len = avail;
		b->head = 0;
		if (b->cap < n) {
			uint8_t *d = realloc(b->data, n);

			if (!d)
				return fs_error__set(err, "%s: out of memory reading the stream", r->path);
			b->data = d;
			r->buf_bytes += n - b->cap;
			b->cap = n;
		}
	}
	while (b->len - b->head < n) {
		ssize_t got = read(r->fd, b->data + b->len, b->cap - b->len);

		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return fs_error__set(err, "%s: read error at offset %#llx: %s", r->path,
					     (unsigned long long)(b->base + b->len), strerror(errno));
		if (!got) {
			r->eof = true;
			goto end;
		}
		b->len += got;
	}
	return 1;
end:
	*partial = b->len > b->head;
	return *partial ? -1 : 0;
}

/* Skips n bytes of the stream that follow a record (tracing data, aux data). */
static int pipe_skip(struct fs_reader *r, uint64_t n, uint64_t off, struct fs_error *err)
{
	while (n) {
		struct rbuf *b = &r->bufs[r->pipe_buf];
		size_t take = b->len - b->head;
		bool partial;

		if (take > n)
			take = n;
		b->head += take;
		r->stream_pos += take;
		n -= take;
		if (n && pipe_need(r, n < CHUNK ? n : CHUNK, &partial, err) <= 0) {
			if (!partial && r->eof)
				return fs_error__set(err, "%s: stream ends inside the data following the record at offset %#llx",
						     r->path, (unsigned long long)off);
			if (partial)
				continue;	/* take what is left, then fail above */
			return -1;
		}
	}
	return 0;
}

/* ---- the queue ---- */

/* Entries go in timestamp order; equal timestamps keep their arrival order. */
#define QENT_BEFORE(ctx, a, b)	((a)->ts < (b)->ts)
FS_DEFINE_STABLE_SORT(qent_sort, struct qent, QENT_BEFORE)

static int queue_grow(struct fs_reader *r)
{
	size_t cap = r->qcap ? 2 * r->qcap : 4096;
	struct qent *q = realloc(r->q, cap * sizeof(*q));

	if (!q)
		return -1;
	r->q = q;
	q = realloc(r->tmp, cap * sizeof(*q));
	if (!q)
		return -1;
	r->tmp = q;
	r->qcap = cap;
	return 0;
}

static int enqueue(struct fs_reader *r, uint64_t ts, const union perf_event *ev, uint64_t off,
		   uint32_t buf, uint32_t evsel)
{
	struct qent *e;

	if (r->qhead) {		/* the previous flush is delivered: drop it */
		memmove(r->q, r->q + r->qhead, (r->qlen - r->qhead) * sizeof(*r->q));
		r->qlen -= r->qhead;
		r->qsorted -= r->qhead;
		r->qready = r->qhead = 0;
	}
	if (ts < r->last_flush)
		r->st.nr_unordered++;
	if (r->qlen == r->qcap && queue_grow(r))
		return -1;
	if (!r->qlen || ts >= r->max_ts)
		r->max_ts = ts;
	r->last_ts = ts;
	r->queued_bytes += ev->header.size + sizeof(*e);
	if (r->qsorted == r->qlen && (!r->qlen || r->q[r->qlen - 1].ts <= ts))
		r->qsorted++;
	e = &r->q[r->qlen++];
	e->ts = ts;
	e->ev = ev;
	e->off = off;
	e->buf = buf;
	e->evsel = evsel;
	if (buf != NO_BUF)
		r->bufs[buf].pending++;
	return 0;
}

enum flush_how { FLUSH_FINAL, FLUSH_ROUND, FLUSH_HALF };

/* perf's __ordered_events__flush for FINAL, ROUND and HALF. */
static void flush(struct fs_reader *r, enum flush_how how)
{
	size_t n = r->qlen - r->qhead, sorted = r->qsorted - r->qhead, lo = 0, hi;
	uint64_t limit;
	struct qent *q;

	if (!n)
		return;
	q = r->q + r->qhead;	/* after the check: r->q is NULL before the first record */
	if (sorted < n) {
		qent_sort(q + sorted, n - sorted, r->tmp, NULL);
		qent_sort_merge(q, sorted, n, r->tmp, NULL);
		r->qsorted = r->qlen;
	}
	if (how == FLUSH_HALF)	/* last >= first: both are queued */
		r->next_flush = q[0].ts + (r->last_ts - q[0].ts) / 2;
	limit = how == FLUSH_FINAL ? UINT64_MAX : r->next_flush;
	hi = n;
	if (limit) {
		while (lo < hi) {	/* first entry past the limit */
			size_t mid = lo + (hi - lo) / 2;

			if (q[mid].ts <= limit)
				lo = mid + 1;
			else
				hi = mid;
		}
	}
	r->qready = r->qhead + lo;
	if (lo)
		r->last_flush = q[lo - 1].ts;
	/* perf's oe->last moves to the queue's tail when it was delivered */
	if (lo < n && r->last_ts <= limit)
		r->last_ts = q[n - 1].ts;
	if (how == FLUSH_ROUND)
		r->next_flush = r->max_ts;
}

/* ---- records ---- */

/*
 * perf does not pad COMPRESSED records, so the records after one sit at odd
 * offsets: those are copied to an aligned buffer, freed once delivered.
 */
static const union perf_event *aligned(struct fs_reader *r, const union perf_event *ev,
				       uint32_t *buf)
{
	uint16_t size;
	uint32_t nb;

	if (!((uintptr_t)ev & 7))
		return ev;
	memcpy(&size, (const char *)ev + offsetof(struct perf_event_header, size), 2);
	nb = buf_get(r, size);
	if (nb == NO_BUF)
		return NULL;
	memcpy(r->bufs[nb].data, ev, size);
	r->bufs[nb].live = false;	/* lives while the record is held or queued */
	*buf = nb;
	return (const void *)r->bufs[nb].data;
}

/* The next raw record of an inflated payload, or NULL when it holds no whole one. */
static const union perf_event *next_inflated(struct fs_reader *r, uint64_t *off, uint32_t *buf,
					     int *ret, struct fs_error *err)
{
	struct rbuf *b = &r->bufs[r->dec_buf];
	const union perf_event *ev;
	struct perf_event_header h;

	*ret = 0;
	if (b->len - b->head < sizeof(h))
		return NULL;
	memcpy(&h, b->data + b->head, sizeof(h));
	*off = b->base;
	if (h.size < sizeof(h)) {
		*ret = fs_error__set(err, "%s: record at +%#llx of the COMPRESSED data at offset %#llx has size %u",
				     r->path, (unsigned long long)b->head, (unsigned long long)b->base,
				     h.size);
		return NULL;
	}
	if (b->len - b->head < h.size)
		return NULL;	/* continues in the next COMPRESSED record */
	*buf = r->dec_buf;
	ev = aligned(r, (const void *)(b->data + b->head), buf);
	if (!ev) {
		*ret = fs_error__set(err, "%s: out of memory", r->path);
		return NULL;
	}
	r->bufs[r->dec_buf].head += h.size;
	r->from_dec = true;
	return ev;
}

/*
 * File mode: n bytes at r->pos (the caller checked they are in the data),
 * in a chunk read with pread(), *buf set to it. Reading costs a copy in the
 * kernel; walking a mapping costs a page fault or a page-table walk per page
 * touched, several times the copy (on a virtual machine with shadow page
 * tables, about 0.5 s of CPU per GB against 0.1 s), and every record's
 * header and stack copy lands on a new page. A chunk lives while records
 * queued for the next round point into it; should those pin more than
 * FILE_RETAIN_MAX bytes (a file without rounds), the rest of the records are
 * read from the mapping instead (*buf NO_BUF), which costs no memory.
 */
static const uint8_t *file_bytes(struct fs_reader *r, uint64_t n, uint32_t *buf,
				 struct fs_error *err)
{
	struct rbuf *b = r->file_buf != NO_BUF ? &r->bufs[r->file_buf] : NULL;
	uint64_t want;
	uint32_t nb;

	if (b && r->pos >= b->base && n <= b->len && r->pos - b->base <= b->len - n) {
		*buf = r->file_buf;
		return b->data + (r->pos - b->base);
	}
	*buf = NO_BUF;
	want = r->end - r->pos < CHUNK ? r->end - r->pos : CHUNK;
	if (want < n)
		want = n;
	if (b && !b->pending && b->cap >= want) {
		nb = r->file_buf;	/* nothing points in: read over it */
	} else {
		buf_retire(r, r->file_buf);
		r->file_buf = NO_BUF;
		if (r->buf_bytes > FILE_RETAIN_MAX)
			return r->map + r->pos;
		nb = buf_get(r, want);
		if (nb == NO_BUF) {
			fs_error__set(err, "%s: out of memory", r->path);
			return NULL;
		}
		r->file_buf = nb;
	}
	b = &r->bufs[nb];
	b->base = r->pos;
	b->len = 0;
	while (b->len < want) {
		ssize_t got = pread(r->fd, b->data + b->len, want - b->len, r->pos + b->len);

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			fs_error__set(err, "%s: read error at offset %#llx: %s", r->path,
				      (unsigned long long)(r->pos + b->len),
				      got ? strerror(errno) : "the file shrank while being read");
			b->len = 0;
			return NULL;
		}
		b->len += got;
	}
	*buf = nb;
	return b->data;
}

/* The next raw record: 1, 0 at the end, -1 on error. */
static int next_raw(struct fs_reader *r, const union perf_event **evp, uint64_t *off,
		    uint32_t *buf, struct fs_error *err)
{
	const union perf_event *ev;
	int ret;

	r->from_dec = false;
	if (r->dec_buf != NO_BUF) {
		ev = next_inflated(r, off, buf, &ret, err);
		if (ret)
			return ret;
		if (ev) {
			*evp = ev;
			return 1;
		}
	}
	if (!r->pipe) {
		/* a cut at a record boundary is as truncated as one inside a record */
		if (r->pos >= r->end && r->end < r->claimed_end)
			return fs_error__set(err, "%s: truncated file: the data section should end at %#llx, the file ends at %#llx",
					     r->path, (unsigned long long)r->claimed_end, (unsigned long long)r->end);
		if (r->pos >= r->end)
			return 0;
		struct perf_event_header h;
		const uint8_t *p;

		*off = r->pos;
		*buf = NO_BUF;
		if (r->end - r->pos < sizeof(h))
			return fs_error__set(err, "%s: truncated %s: record header at offset %#llx",
					     r->path, r->end < r->claimed_end ? "file" : "data", (unsigned long long)r->pos);
		p = file_bytes(r, sizeof(h), buf, err);
		if (!p)
			return -1;
		memcpy(&h, p, sizeof(h));
		if (h.size < sizeof(h))
			return fs_error__set(err, "%s: record at offset %#llx has size %u, smaller than its 8-byte header",
					     r->path, (unsigned long long)r->pos, h.size);
		if (h.size > r->end - r->pos && r->end < r->claimed_end)
			return fs_error__set(err, "%s: truncated file: the record at offset %#llx (size %u) runs past the end of the file at %#llx (the data section should end at %#llx)",
					     r->path, (unsigned long long)r->pos, h.size,
					     (unsigned long long)r->end, (unsigned long long)r->claimed_end);
		if (h.size > r->end - r->pos)
			return fs_error__set(err, "%s: record at offset %#llx (size %u) runs past the end of the data at %#llx",
					     r->path, (unsigned long long)r->pos, h.size,
					     (unsigned long long)r->end);
		p = file_bytes(r, h.size, buf, err);
		if (!p)
			return -1;
		ev = aligned(r, (const void *)p, buf);
		if (!ev)
			return fs_error__set(err, "%s: out of memory", r->path);
		r->pos += h.size;
		r->st.bytes_read = r->pos - r->h.data_offset;
		*evp = ev;
		return 1;
	}

	bool partial;
	struct rbuf *b;

	struct perf_event_header h;

	ret = pipe_need(r, sizeof(h), &partial, err);
	if (ret <= 0)
		goto pipe_end;
	b = &r->bufs[r->pipe_buf];
	memcpy(&h, b->data + b->head, sizeof(h));
	if (h.size < sizeof(h))
		return fs_error__set(err, "%s: record at offset %#llx has size %u, smaller than its 8-byte header",
				     r->path, (unsigned long long)r->stream_pos, h.size);
	ret = pipe_need(r, h.size, &partial, err);
	if (ret <= 0)
		goto pipe_end;
	b = &r->bufs[r->pipe_buf];
	*buf = r->pipe_buf;
	ev = aligned(r, (const void *)(b->data + b->head), buf);
	if (!ev)
		return fs_error__set(err, "%s: out of memory", r->path);
	b = &r->bufs[r->pipe_buf];
	*evp = ev;
	*off = r->stream_pos;
	b->head += h.size;
	r->stream_pos += h.size;
	r->st.bytes_read = r->stream_pos;
	return 1;
pipe_end:
	/*
	 * A stream cut inside a record (a killed perf record): perf says
	 * "unexpected end of event stream" and delivers what came before;
	 * so do we, then the note.
	 */
	if (partial && !r->note.msg[0])
		fs_error__set(&r->note, "%s: the stream ends inside the record at offset %#llx (cut short): the records before it are all there is, as perf reads it",
			      r->path, (unsigned long long)r->stream_pos);
	return partial ? 0 : ret;
}

/*
 * Bytes that follow a record (perf's "skip"): the tracing data after
 * HEADER_TRACING_DATA (kept), the aux data after AUXTRACE (skipped).
 */
static int skip_after(struct fs_reader *r, const union perf_event *ev, uint64_t off,
		      uint32_t buf, struct fs_error *err)
{
	bool tracing = ev->header.type == PERF_RECORD_HEADER_TRACING_DATA;
	const uint8_t *data;
	uint64_t n = 0;
	bool partial;

	if (tracing && ev->header.size >= sizeof(struct perf_record_header_tracing_data))
		n = ev->tracing_data.size;
	else if (ev->header.type == PERF_RECORD_AUXTRACE &&
		 ev->header.size >= sizeof(struct perf_record_auxtrace))
		n = ev->auxtrace.size;
	if (!n)
		return 0;
	(void)buf;
	if (r->from_dec) {
		struct rbuf *b = &r->bufs[buf];

		if (n > b->len - b->head)
			return fs_error__set(err, "%s: data following a record in the COMPRESSED record at offset %#llx runs past its end",
					     r->path, (unsigned long long)off);
		data = b->data + b->head;
		b->head += n;
	} else if (!r->pipe) {
		if (n > r->end - r->pos)
			return fs_error__set(err, "%s: data following the record at offset %#llx runs past the end of the data",
					     r->path, (unsigned long long)off);
		data = r->map + r->pos;
		r->pos += n;
	} else if (tracing) {
		if (n > MAX_INFLATE)
			return fs_error__set(err, "%s: tracing data of %llu bytes at offset %#llx",
					     r->path, (unsigned long long)n, (unsigned long long)off);
		if (pipe_need(r, n, &partial, err) <= 0)
			return fs_error__set(err, "%s: stream ends inside the tracing data after offset %#llx",
					     r->path, (unsigned long long)off);
		data = r->bufs[r->pipe_buf].data + r->bufs[r->pipe_buf].head;
		if (fs_header__feature(&r->h, FS_FEAT_TRACING_DATA, data, n, r->path, off, err))
			return -1;
		return pipe_skip(r, n, off, err);
	} else {
		return pipe_skip(r, n, off, err);
	}
	if (tracing)
		return fs_header__feature(&r->h, FS_FEAT_TRACING_DATA, data, n, r->path, off, err);
	return 0;
}

/*
 * perf inflates a COMPRESSED record into a buffer of the mmap length
 * HEADER_COMPRESSED gives (what perf record compressed it from) plus what
 * the previous one left: zstd output past that is refused ("Destination
 * buffer is too small"), and no mmap length means nothing can be inflated.
 * The buffer grows to that bound only as output comes.
 */
static int inflate_record(struct fs_reader *r, const union perf_event *ev, uint64_t off,
			  struct fs_error *err)
{
	uint32_t prev = r->dec_buf, nb;
	size_t rem = 0, src_size = ev->header.size - sizeof(struct perf_record_compressed);
	uint64_t limit = r->h.comp.mmap_len < MAX_INFLATE ? r->h.comp.mmap_len : MAX_INFLATE;
	size_t cap;
	ZSTD_inBuffer in = { (const char *)ev + sizeof(struct perf_record_compressed), src_size, 0 };

	if (!limit)
		return fs_error__set(err, "%s: COMPRESSED record at offset %#llx, but no mmap length (HEADER_COMPRESSED) to inflate it into",
				     r->path, (unsigned long long)off);
	if (!r->zstd) {
		r->zstd = ZSTD_createDStream();
		if (!r->zstd || ZSTD_isError(ZSTD_initDStream(r->zstd)))
			return fs_error__set(err, "%s: cannot set up zstd", r->path);
	}
	if (prev != NO_BUF)
		rem = r->bufs[prev].len - r->bufs[prev].head;
	cap = 4 * src_size < MAX_FIRST_INFLATE ? 4 * src_size : MAX_FIRST_INFLATE;
	if (cap < 65536)
		cap = 65536;
	if (cap > limit)
		cap = limit;
	nb = buf_get(r, rem + cap);
	if (nb == NO_BUF)
		return fs_error__set(err, "%s: out of memory inflating the record at offset %#llx",
				     r->path, (unsigned long long)off);
	struct rbuf *b = &r->bufs[nb];

	if (rem)
		memcpy(b->data, r->bufs[prev].data + r->bufs[prev].head, rem);
	b->len = rem;
	b->base = off;
	buf_retire(r, prev);
	r->dec_buf = nb;
	for (;;) {
		size_t ret, room, max = rem + limit;
		ZSTD_outBuffer out;

		if (b->cap - b->len < 65536 && b->cap < max) {
			size_t ncap = 2 * b->cap < max ? 2 * b->cap : max;
			uint8_t *d = realloc(b->data, ncap);

			if (!d)
				return fs_error__set(err, "%s: out of memory inflating the record at offset %#llx",
						     r->path, (unsigned long long)off);
			b->data = d;
			r->buf_bytes += ncap - b->cap;
			b->cap = ncap;
		}
		room = (b->cap < max ? b->cap : max) - b->len;
		if (!room) {
			if (in.pos < in.size)
				return fs_error__set(err, "%s: COMPRESSED record at offset %#llx inflates past the mmap length of %llu bytes the header gives (perf: Destination buffer is too small)",
						     r->path, (unsigned long long)off,
						     (unsigned long long)r->h.comp.mmap_len);
			break;	/* what zstd still holds comes with the next record, as in perf */
		}
		out = (ZSTD_outBuffer){ b->data + b->len, room, 0 };
		ret = ZSTD_decompressStream(r->zstd, &out, &in);
		if (ZSTD_isError(ret))
			return fs_error__set(err, "%s: bad zstd data in the COMPRESSED record at offset %#llx: %s",
					     r->path, (unsigned long long)off, ZSTD_getErrorName(ret));
		b->len += out.pos;
		r->st.nr_compressed_bytes += out.pos;
		if (in.pos == in.size && out.pos < out.size)
			break;
	}
	return 0;
}

static int pipe_attr(struct fs_reader *r, const union perf_event *ev, uint64_t off,
		     struct fs_error *err)
{
	uint64_t body = ev->header.size - sizeof(ev->header);
	uint32_t asz;

	if (body < PERF_ATTR_SIZE_VER0)
		goto bad;
	asz = ev->attr.attr.size;
	if (asz < PERF_ATTR_SIZE_VER0 || asz > body)
		goto bad;
	if (fs_header__add_attr(&r->h, &ev->attr.attr, asz,
				(const uint64_t *)((const char *)&ev->attr.attr + asz),
				(body - asz) / 8) ||
	    fs_header__default_names(&r->h) || ids_build(r))
		return fs_error__set(err, "%s: out of memory", r->path);
	return 0;
bad:
	return fs_error__set(err, "%s: bad HEADER_ATTR record at offset %#llx", r->path,
			     (unsigned long long)off);
}

static int user_record(struct fs_reader *r, const union perf_event *ev, uint64_t off,
		       struct fs_error *err)
{
	switch (ev->header.type) {
	case PERF_RECORD_HEADER_ATTR:
		return pipe_attr(r, ev, off, err);
	case PERF_RECORD_HEADER_FEATURE:
		if (ev->header.size < sizeof(struct perf_record_header_feature))
			return fs_error__set(err, "%s: bad HEADER_FEATURE record at offset %#llx",
					     r->path, (unsigned long long)off);
		if (!ev->feat.feat_id || ev->feat.feat_id >= FS_FEAT_LAST)
			return 0;	/* perf warns and goes on */
		if (fs_header__feature(&r->h, ev->feat.feat_id, (const uint8_t *)ev->feat.data,
				       ev->header.size - sizeof(ev->feat), r->path, off, err))
			return -1;
		return ev->feat.feat_id == FS_FEAT_EVENT_DESC ? fs_header__default_names(&r->h) : 0;
	case PERF_RECORD_HEADER_BUILD_ID:
		return fs_header__feature(&r->h, FS_FEAT_BUILD_ID, (const uint8_t *)ev,
					  ev->header.size, r->path, off, err);
	case PERF_RECORD_EVENT_UPDATE:
		return fs_header__event_update(&r->h, ev);
	case PERF_RECORD_COMPRESSED:
		return inflate_record(r, ev, off, err);
	case PERF_RECORD_FINISHED_ROUND:
		flush(r, FLUSH_ROUND);
		return 0;
	default:
		return 0;
	}
}

static int fill_event(struct fs_reader *r, struct fs_event *out, const union perf_event *ev,
		      uint64_t off, uint32_t evsel, struct fs_error *err)
{
	struct fs_sample *s = &out->sample;
	struct fs_evsel *e;

	out->event = ev;
	out->file_offset = off;
	out->has_sample = false;
	if (ev->header.type >= PERF_RECORD_USER_TYPE_START || evsel == NO_EVSEL ||
	    (ev->header.type != PERF_RECORD_SAMPLE && !r->h.evsels[evsel].attr.sample_id_all)) {
		memset(s, 0, sizeof(*s));
		s->time = (uint64_t)-1;
		s->pid = s->tid = s->cpu = (uint32_t)-1;
		s->cpumode = ev->header.misc & PERF_RECORD_MISC_CPUMODE_MASK;
		if (evsel == NO_EVSEL && ev->header.type < PERF_RECORD_USER_TYPE_START)
			r->st.nr_unknown_id++;
		return 0;
	}
	e = &r->h.evsels[evsel];
	if (fs_evsel__parse_sample(e, ev, s))
		return fs_error__set(err, "%s: %s at offset %#llx (size %u) is too small for its sample_type %#llx",
				     r->path, ev->header.type == PERF_RECORD_SAMPLE ?
				     "sample" : "record's sample_id_all trailer",
				     (unsigned long long)off, ev->header.size,
				     (unsigned long long)e->attr.sample_type);
	out->has_sample = true;
	if (ev->header.type == PERF_RECORD_LOST_SAMPLES &&
	    ev->header.size >= sizeof(struct perf_record_lost_samples))
		e->nr_lost_samples += ev->lost_samples.lost;
	if (ev->header.type == PERF_RECORD_SAMPLE) {
		e->nr_samples++;
		r->st.nr_samples++;
		if (s->time != (uint64_t)-1) {
			if (!r->st.first_sample_time || s->time < r->st.first_sample_time)
				r->st.first_sample_time = s->time;
			if (s->time > r->st.last_sample_time)
				r->st.last_sample_time = s->time;
		}
	}
	return 0;
}

static void count(struct fs_reader *r, const union perf_event *ev)
{
	if (ev->header.type == PERF_RECORD_LOST && ev->header.size >= sizeof(struct perf_record_lost))
		r->st.nr_lost += ev->lost.lost;
	else if (ev->header.type == PERF_RECORD_LOST_SAMPLES &&
		 ev->header.size >= sizeof(struct perf_record_lost_samples))
		r->st.nr_lost_samples += ev->lost_samples.lost;
}

int fs_reader__next(struct fs_reader *r, struct fs_event *out, struct fs_error *err)
{
	const union perf_event *ev = NULL;
	uint64_t off = 0, ts;
	uint32_t buf = NO_BUF, evsel;
	int ret;

	buf_release(r, r->held);
	r->held = NO_BUF;
	for (;;) {
		if (r->qhead < r->qready) {
			struct qent *e = &r->q[r->qhead++];

			r->queued_bytes -= e->ev->header.size + sizeof(*e);
			r->held = e->buf;
			return fill_event(r, out, e->ev, e->off, e->evsel, err) ? -1 : 1;
		}
		if (r->have_waiting) {	/* its HALF flush is delivered */
			struct qent *e = &r->waiting;

			r->have_waiting = false;
			ret = enqueue(r, e->ts, e->ev, e->off, e->buf, e->evsel);
			buf_release(r, e->buf);
			if (ret)
				return fs_error__set(err, "%s: out of memory queueing records", r->path);
			continue;
		}
		if (r->have_after) {
			r->have_after = false;
			r->held = r->after.buf;
			return fill_event(r, out, r->after.ev, r->after.off, NO_EVSEL, err) ? -1 : 1;
		}
		if (r->done)
			return 0;
		ret = next_raw(r, &ev, &off, &buf, err);
		if (ret < 0)
			return -1;
		if (!ret) {
			flush(r, FLUSH_FINAL);
			r->done = true;
			continue;
		}
		if (buf != NO_BUF)	/* held while we read what follows it */
			r->bufs[buf].pending++;
		if (skip_after(r, ev, off, buf, err)) {
			buf_release(r, buf);
			return -1;
		}
		if (ev->header.type >= PERF_RECORD_HEADER_MAX) {
			r->st.nr_unknown++;
			buf_release(r, buf);
			continue;
		}
		r->st.nr_records[ev->header.type]++;
		if (ev->header.type >= PERF_RECORD_USER_TYPE_START) {
			if (user_record(r, ev, off, err)) {
				buf_release(r, buf);
				return -1;
			}
			if (ev->header.type == PERF_RECORD_FINISHED_ROUND) {
				r->after = (struct qent){ 0, ev, off, buf, NO_EVSEL };
				r->have_after = true;
				continue;
			}
			r->held = buf;
			return fill_event(r, out, ev, off, NO_EVSEL, err) ? -1 : 1;
		}
		count(r, ev);
		evsel = event_evsel(r, ev);
		ts = (uint64_t)-1;
		if (ev->header.type == PERF_RECORD_SAMPLE && evsel < r->h.nr_evsels) {
			/* fs_evsel__sample_time, with the layout worked out once */
			const struct evsel_fast *f = &r->fast[evsel];

			if (ev->header.size < f->min_size)
				evsel = BAD_EVSEL;
			else if (f->time_idx >= 0)
				ts = ev->sample.array[f->time_idx];
		}
		if (evsel == BAD_EVSEL ||
		    (evsel != NO_EVSEL && ev->header.type != PERF_RECORD_SAMPLE &&
		     fs_evsel__sample_time(&r->h.evsels[evsel], ev, &ts))) {
			buf_release(r, buf);
			return fs_error__set(err, "%s: record at offset %#llx (type %u, size %u) is too small for its sample layout",
					     r->path, (unsigned long long)off, ev->header.type,
					     ev->header.size);
		}
		if (ts && ts != (uint64_t)-1 && !r->unordered) {
			if (r->qlen > r->qhead &&
			    r->queued_bytes + ev->header.size + sizeof(struct qent) > r->queue_max) {
				/* the queue is full: deliver its older half, then queue this one */
				flush(r, FLUSH_HALF);
				r->waiting = (struct qent){ ts, ev, off, buf, evsel };
				r->have_waiting = true;	/* keeps the reference taken above */
				continue;
			}
			ret = enqueue(r, ts, ev, off, buf, evsel);
			buf_release(r, buf);	/* enqueue took its own reference */
			if (ret)
				return fs_error__set(err, "%s: out of memory queueing records", r->path);
			continue;
		}
		r->held = buf;
		return fill_event(r, out, ev, off, evsel, err) ? -1 : 1;
	}
}

/* ---- open ---- */

static bool in_file(uint64_t off, uint64_t size, uint64_t file_size)
{
	return off <= file_size && size <= file_size - off;
}

static int read_attrs(struct fs_reader *r, const struct file_header *fh, struct fs_error *err)
{
	uint64_t fsize = r->map_size, nr, abytes;

	if (fh->attr_size < PERF_ATTR_SIZE_VER0 + sizeof(struct file_section) ||
	    fh->attr_size > 65536)
		return fs_error__set(err, "%s: bad attr size %llu in the header at offset 0x10",
				     r->path, (unsigned long long)fh->attr_size);
	if (!in_file(fh->attrs.offset, fh->attrs.size, fsize) || fh->attrs.size % fh->attr_size)
		return fs_error__set(err, "%s: attr section [%#llx, +%#llx) is out of bounds or not a multiple of %llu (file size %#llx)",
				     r->path, (unsigned long long)fh->attrs.offset,
				     (unsigned long long)fh->attrs.size,
				     (unsigned long long)fh->attr_size, (unsigned long long)fsize);
	nr = fh->attrs.size / fh->attr_size;
	abytes = fh->attr_size - sizeof(struct file_section);
	for (uint64_t i = 0; i < nr; i++) {
		uint64_t at = fh->attrs.offset + i * fh->attr_size;
		struct file_section ids;

		memcpy(&ids, r->map + at + abytes, sizeof(ids));
		if (!in_file(ids.offset, ids.size, fsize) || ids.size % 8)
			return fs_error__set(err, "%s: ids section [%#llx, +%#llx) of the attr at offset %#llx is out of bounds (file size %#llx)",
					     r->path, (unsigned long long)ids.offset,
					     (unsigned long long)ids.size, (unsigned long long)at,
					     (unsigned long long)fsize);
		if (fs_header__add_attr(&r->h, r->map + at, abytes,
					(const uint64_t *)(r->map + ids.offset), ids.size / 8))
			return fs_error__set(err, "%s: out of memory", r->path);
	}
	return 0;
}

/*
 * Feature sections follow the data: a file cut short loses them first.
 * perf ignores what it cannot read there (perf_header__process_sections()'s
 * result is not checked): no features when the table is cut, and none from
 * the first unreadable section on. So do we, with a note.
 */
static int read_features(struct fs_reader *r, const struct file_header *fh, struct fs_error *err)
{
	uint64_t fsize = r->map_size, at = r->h.feat_offset, nr = 0;

	(void)err;
	for (int i = 0; i < 4; i++)
		nr += __builtin_popcountll(fh->features[i]);
	if (!nr)
		return 0;
	if (!in_file(at, nr * sizeof(struct file_section), fsize)) {
		fs_error__set(&r->note, "%s: the feature section table at offset %#llx (%llu entries) runs past the end of the file (%#llx): no header features are read, as perf reads none",
			      r->path, (unsigned long long)at, (unsigned long long)nr,
			      (unsigned long long)fsize);
		return 0;
	}
	for (unsigned int feat = 0; feat < 256; feat++) {
		struct fs_error ferr = { "" };
		struct file_section s;

		if (!((fh->features[feat / 64] >> (feat % 64)) & 1))
			continue;
		memcpy(&s, r->map + at, sizeof(s));
		if (!in_file(s.offset, s.size, fsize))
			fs_error__set(&ferr, "%s: feature %u section [%#llx, +%#llx) listed at offset %#llx is out of bounds (file size %#llx)",
				      r->path, feat, (unsigned long long)s.offset,
				      (unsigned long long)s.size, (unsigned long long)at,
				      (unsigned long long)fsize);
		else if (feat)
			fs_header__feature(&r->h, feat, r->map + s.offset, s.size, r->path, s.offset, &ferr);
		if (ferr.msg[0]) {
			fs_error__set(&r->note, "%.300s: it and the features after it are not read, as perf reads them",
				      ferr.msg);
			return 0;
		}
		at += sizeof(s);
	}
	return 0;
}

static int open_file_mode(struct fs_reader *r, struct fs_error *err)
{
	struct file_header fh;
	uint64_t fsize = r->map_size;

	memset(&fh, 0, sizeof(fh));
	if (fsize < offsetof(struct file_header, features))
		return fs_error__set(err, "%s: truncated header: file is %llu bytes, header needs %zu at offset 0",
				     r->path, (unsigned long long)fsize, sizeof(fh));
	memcpy(&fh, r->map, offsetof(struct file_header, features));
	if (fh.size != sizeof(fh) && fh.size != offsetof(struct file_header, features))
		return fs_error__set(err, "%s: unsupported header size %llu at offset 0x8",
				     r->path, (unsigned long long)fh.size);
	if (fsize < fh.size)
		return fs_error__set(err, "%s: truncated header: file is %llu bytes, header needs %llu at offset 0",
				     r->path, (unsigned long long)fsize, (unsigned long long)fh.size);
	memcpy(&fh, r->map, fh.size);
	r->h.file_version = 2;
	r->h.file_size = fsize;
	r->h.attr_offset = fh.attrs.offset;
	r->h.data_offset = fh.data.offset;
	r->h.data_size = fh.data.size;
	if (fh.data.offset > fsize || fh.data.offset < fh.size)
		return fs_error__set(err, "%s: data section offset %#llx is outside the file (size %#llx)",
				     r->path, (unsigned long long)fh.data.offset, (unsigned long long)fsize);
	r->h.feat_offset = fh.data.offset + fh.data.size;
	if (read_attrs(r, &fh, err) || read_features(r, &fh, err))
		return -1;
	r->claimed_end = fh.data.offset + fh.data.size;
	if (fs_header__default_names(&r->h) || ids_build(r))
		return fs_error__set(err, "%s: out of memory", r->path);
	r->pos = fh.data.offset;
	/* a file cut short: its records are read up to the cut (as perf does), then refused there */
	r->end = in_file(fh.data.offset, fh.data.size, fsize) ? r->claimed_end : fsize;
	madvise((void *)(r->map + (r->pos & ~4095ULL)), r->end - (r->pos & ~4095ULL),
		MADV_SEQUENTIAL);
	return 0;
}

static int check_magic(struct fs_reader *r, uint64_t magic, struct fs_error *err)
{
	if (magic == PERF_MAGIC2)
		return 0;
	if (magic == __builtin_bswap64(PERF_MAGIC2))
		return fs_error__set(err, "%s: byte-swapped perf.data from a machine of the other endianness (magic at offset 0): not supported",
				     r->path);
	if (magic == PERF_MAGIC1 || magic == __builtin_bswap64(PERF_MAGIC1))
		return fs_error__set(err, "%s: perf.data version 1 (PERFFILE magic at offset 0) is not supported",
				     r->path);
	return fs_error__set(err, "%s: not a perf.data file: bad magic %#llx at offset 0",
			     r->path, (unsigned long long)magic);
}

static int open_pipe_mode(struct fs_reader *r, uint64_t skip, struct fs_error *err)
{
	uint64_t hdr[2];
	bool partial;
	struct rbuf *b;
	int ret;

	r->pipe = true;
	r->h.pipe_mode = true;
	r->pipe_buf = buf_get(r, CHUNK);
	if (r->pipe_buf == NO_BUF)
		return fs_error__set(err, "%s: out of memory", r->path);
	if (skip && lseek(r->fd, skip, SEEK_SET) < 0)
		return fs_error__set(err, "%s: cannot seek: %s", r->path, strerror(errno));
	r->bufs[r->pipe_buf].base = skip;
	ret = pipe_need(r, 16, &partial, err);
	if (ret < 0 && !partial)
		return -1;
	b = &r->bufs[r->pipe_buf];
	if (ret <= 0) {
		if (!(b->len - b->head))
			return fs_error__set(err, "%s: empty file: no perf.data header at offset 0", r->path);
		if (b->len - b->head >= 8) {
			memcpy(hdr, b->data + b->head, 8);
			if (check_magic(r, hdr[0], err))
				return -1;
		}
		return fs_error__set(err, "%s: truncated header: %zu bytes at offset 0",
				     r->path, b->len - b->head);
	}
	memcpy(hdr, b->data + b->head, 16);
	if (check_magic(r, hdr[0], err))
		return -1;
	if (hdr[1] != 16)
		return fs_error__set(err, "%s: a perf.data stream needs a 16-byte header, not %llu (offset 0x8)",
				     r->path, (unsigned long long)hdr[1]);
	b->head += 16;
	r->stream_pos = 16;
	r->h.data_offset = 16;
	return 0;
}

static int reader_open(struct fs_reader *r, const char *path, struct fs_error *err)
{
	struct stat st;
	uint64_t hdr[2];

	if (strcmp(path, "-")) {
		r->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (r->fd < 0)
			return fs_error__set(err, "%s: cannot open: %s", path, strerror(errno));
		r->own_fd = true;
	}
	if (fstat(r->fd, &st))
		return fs_error__set(err, "%s: cannot stat: %s", path, strerror(errno));
	if (S_ISDIR(st.st_mode))
		return fs_error__set(err, "%s: is a directory, not a perf.data file (offset 0)", path);
	if (!S_ISREG(st.st_mode))
		return open_pipe_mode(r, 0, err);
	if (!st.st_size)
		return fs_error__set(err, "%s: empty file: no perf.data header at offset 0", path);
	if (st.st_size < 16) {
		if (st.st_size >= 8 && pread(r->fd, hdr, 8, 0) == 8 && check_magic(r, hdr[0], err))
			return -1;
		return fs_error__set(err, "%s: truncated header: file is %lld bytes at offset 0",
				     path, (long long)st.st_size);
	}
	if (pread(r->fd, hdr, 16, 0) != 16)
		return fs_error__set(err, "%s: cannot read the header at offset 0: %s", path,
				     strerror(errno));
	if (check_magic(r, hdr[0], err))
		return -1;
	if (hdr[1] == 16)	/* `perf record -o -` output saved to a file */
		return open_pipe_mode(r, 0, err);
	r->map = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, r->fd, 0);
	if (r->map == MAP_FAILED) {
		r->map = NULL;
		return fs_error__set(err, "%s: cannot mmap: %s", path, strerror(errno));
	}
	r->map_size = st.st_size;
	return open_file_mode(r, err);
}

struct fs_reader *fs_reader__open(const char *path, struct fs_error *err)
{
	struct fs_reader *r = calloc(1, sizeof(*r));

	if (!r || !(r->path = strdup(path))) {
		free(r);
		fs_error__set(err, "%s: out of memory", path);
		return NULL;
	}
	r->fd = 0;
	r->pipe_buf = r->dec_buf = r->held = r->file_buf = NO_BUF;
	r->id_pos = r->is_pos = -1;
	r->queue_max = QUEUE_MAX;
	if (reader_open(r, path, err)) {
		fs_reader__close(r);
		return NULL;
	}
	return r;
}

void fs_reader__set_queue_max(struct fs_reader *r, uint64_t bytes)
{
	r->queue_max = bytes;
}

void fs_reader__set_ordered(struct fs_reader *r, bool ordered)
{
	r->unordered = !ordered;
}

const struct fs_header *fs_reader__header(const struct fs_reader *r)
{
	return &r->h;
}

const struct fs_reader_stats *fs_reader__stats(const struct fs_reader *r)
{
	return &r->st;
}

const char *fs_reader__note(const struct fs_reader *r)
{
	return r->note.msg[0] ? r->note.msg : NULL;
}

const char *fs_reader__path(const struct fs_reader *r)
{
	return r->path;
}

void fs_reader__close(struct fs_reader *r)
{
	if (!r)
		return;
	if (r->map)
		munmap((void *)r->map, r->map_size);
	if (r->own_fd)
		close(r->fd);
	for (uint32_t i = 0; i < r->nr_bufs; i++)
		free(r->bufs[i].data);
	free(r->bufs);
	free(r->free_ids);
	if (r->zstd)
		ZSTD_freeDStream(r->zstd);
	fs_header__free(&r->h);
	free(r->id_keys);
	free(r->id_vals);
	free(r->fast);
	free(r->q);
	free(r->tmp);
	free(r->path);
	free(r);
}
