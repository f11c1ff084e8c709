// SPDX-License-Identifier: GPL-2.0-only
/*
 * header: feature sections (file mode) and HEADER_FEATURE payloads (pipe
 * mode), laid out as perf's util/header.c writes them, and the evsel list
 * built from attrs. Every length read from the file is checked against the
 * section it lives in.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "reader-int.h"
#include "util.h"

struct feat_cursor {
	const uint8_t *p, *end;
};

static int rd_u32(struct feat_cursor *c, uint32_t *v)
{
	if (c->end - c->p < 4)
		return -1;
	memcpy(v, c->p, 4);
	c->p += 4;
	return 0;
}

static int rd_u64(struct feat_cursor *c, uint64_t *v)
{
	if (c->end - c->p < 8)
		return -1;
	memcpy(v, c->p, 8);
	c->p += 8;
	return 0;
}

/* perf_header_string: u32 len, then len bytes (NUL-padded). */
static char *rd_string(struct feat_cursor *c)
{
	uint32_t len;
	const uint8_t *s;

	if (rd_u32(c, &len) || (uint64_t)(c->end - c->p) < len)
		return NULL;
	s = c->p;
	c->p += len;
	return strndup((const char *)s, len);
}

static int set_string(char **dst, struct feat_cursor *c)
{
	char *s = rd_string(c);

	if (!s)
		return -1;
	free(*dst);
	*dst = s;
	return 0;
}

static void free_cmdline(struct fs_header *h)
{
	for (uint32_t i = 0; i < h->nr_cmdline; i++)
		free(h->cmdline[i]);
	free(h->cmdline);
	h->cmdline = NULL;
	h->nr_cmdline = 0;
}

static int feat_cmdline(struct fs_header *h, struct feat_cursor *c)
{
	uint32_t nr;

	if (rd_u32(c, &nr) || nr > (uint64_t)(c->end - c->p) / 4)
		return -1;
	free_cmdline(h);
	h->cmdline = calloc(nr ? nr : 1, sizeof(char *));
	if (!h->cmdline)
		return -1;
	for (uint32_t i = 0; i < nr; i++) {
		h->cmdline[i] = rd_string(c);
		if (!h->cmdline[i])
			return -1;
		h->nr_cmdline = i + 1;
	}
	return 0;
}

static struct fs_evsel *evsel_by_id(struct fs_header *h, uint64_t id)
{
	if (!h->nr_evsels)
		return NULL;
	if (h->nr_evsels == 1 || !id)
		return &h->evsels[0];
	for (uint32_t i = 0; i < h->nr_evsels; i++)
		for (uint32_t j = 0; j < h->evsels[i].nr_ids; j++)
			if (h->evsels[i].ids[j] == id)
				return &h->evsels[i];
	return NULL;
}

/*
 * EVENT_DESC: u32 nr, u32 attr size, then per event the attr, u32 nr_ids,
 * the name string and the ids. Names go to the evsel holding the first id
 * (perf's evlist__set_event_name).
 */
static int feat_event_desc(struct fs_header *h, struct feat_cursor *c)
{
	uint32_t nre, sz, nr;
	uint64_t id;

	if (rd_u32(c, &nre) || rd_u32(c, &sz))
		return -1;
	for (uint32_t i = 0; i < nre; i++) {
		struct fs_evsel *evsel;
		char *name;

		if ((uint64_t)(c->end - c->p) < sz)
			return -1;
		c->p += sz;
		if (rd_u32(c, &nr) || !(name = rd_string(c)))
			return -1;
		if (nr > (uint64_t)(c->end - c->p) / 8) {
			free(name);
			return -1;
		}
		memcpy(&id, c->p, nr ? 8 : 0);
		c->p += (uint64_t)nr * 8;
		/* a sane file has one entry per attr: do not search for more */
		evsel = i < h->nr_evsels + 16 ? evsel_by_id(h, nr ? id : 0) : NULL;
		if (!evsel) {
			free(name);
			continue;
		}
		free(evsel->name);
		evsel->name = name;
	}
	return 0;
}

static int feat_build_id(struct fs_header *h, struct feat_cursor *c)
{
	while (c->p < c->end) {
		struct perf_record_header_build_id bid, *b = &bid;	/* sections may be unaligned */
		struct fs_build_id *n;
		uint64_t len;

		if ((size_t)(c->end - c->p) < sizeof(*b))
			return -1;
		memcpy(b, c->p, sizeof(*b));
		if (b->header.size < sizeof(*b) || b->header.size > (size_t)(c->end - c->p))
			return -1;
		len = b->header.size - sizeof(*b);
		n = realloc(h->build_ids, (h->nr_build_ids + 1) * sizeof(*n));
		if (!n)
			return -1;
		h->build_ids = n;
		n += h->nr_build_ids;
		memset(n, 0, sizeof(*n));
		n->pid = b->pid;
		n->misc = b->header.misc;
		n->size = 20;
		if (b->header.misc & PERF_RECORD_MISC_BUILD_ID_SIZE)
			n->size = b->size <= 20 ? b->size : 20;
		memcpy(n->data, b->data, 20);
		n->filename = strndup((const char *)c->p + sizeof(*b), len);
		if (!n->filename)
			return -1;
		h->nr_build_ids++;
		c->p += b->header.size;
	}
	return 0;
}

static int feat_tracing_data(struct fs_header *h, const uint8_t *p, uint64_t size)
{
	void *copy = malloc(size ? size : 1);

	if (!copy)
		return -1;
	memcpy(copy, p, size);
	free((void *)h->tracing_data);
	h->tracing_data = copy;
	h->tracing_data_size = size;
	return 0;
}

/* perf's process_clock_data(): version 1 only; anything else leaves the clock off. */
static int feat_clock_data(struct fs_header *h, struct feat_cursor *c)
{
	uint32_t version, clockid;
	uint64_t tod, ref;

	if (rd_u32(c, &version) || version != 1 || rd_u32(c, &clockid) || rd_u64(c, &tod) ||
	    rd_u64(c, &ref))
		return 0;
	h->clock.clockid = clockid;
	h->clock.tod_ns = tod;
	h->clock.clockid_ns = ref;
	h->clock.enabled = true;
	return 0;
}

static int feat_parse(struct fs_header *h, unsigned int feat, struct feat_cursor *c)
{
	uint32_t v32;

	switch (feat) {
	case FS_FEAT_TRACING_DATA:
		return feat_tracing_data(h, c->p, c->end - c->p);
	case FS_FEAT_BUILD_ID:
		return feat_build_id(h, c);
	case FS_FEAT_HOSTNAME:
		return set_string(&h->hostname, c);
	case FS_FEAT_OSRELEASE:
		return set_string(&h->osrelease, c);
	case FS_FEAT_VERSION:
		return set_string(&h->version, c);
	case FS_FEAT_ARCH:
		return set_string(&h->arch, c);
	case FS_FEAT_CPUDESC:
		return set_string(&h->cpudesc, c);
	case FS_FEAT_CPUID:
		return set_string(&h->cpuid, c);
	case FS_FEAT_NRCPUS:
		return rd_u32(c, &h->nr_cpus_avail) || rd_u32(c, &h->nr_cpus_online) ? -1 : 0;
	case FS_FEAT_TOTAL_MEM:
		return rd_u64(c, &h->total_mem);
	case FS_FEAT_CMDLINE:
		return feat_cmdline(h, c);
	case FS_FEAT_EVENT_DESC:
		return feat_event_desc(h, c);
	case FS_FEAT_SAMPLE_TIME:
		return rd_u64(c, &h->first_sample_time) || rd_u64(c, &h->last_sample_time) ? -1 : 0;
	case FS_FEAT_CLOCKID:
		return rd_u64(c, &h->clockid_res_ns);
	case FS_FEAT_CLOCK_DATA:
		return feat_clock_data(h, c);
	case FS_FEAT_COMPRESSED:
		if (rd_u32(c, &h->comp.version) || rd_u32(c, &h->comp.type) ||
		    rd_u32(c, &h->comp.level) || rd_u32(c, &h->comp.ratio))
			return -1;
		return rd_u32(c, &v32) ? -1 : (h->comp.mmap_len = v32, 0);	/* a u32 in perf */
	default:
		return 0;	/* present (bit set) but not needed */
	}
}

static const char *const feat_names[FS_FEAT_LAST] = {
	[FS_FEAT_TRACING_DATA] = "TRACING_DATA", [FS_FEAT_BUILD_ID] = "BUILD_ID",
	[FS_FEAT_HOSTNAME] = "HOSTNAME", [FS_FEAT_OSRELEASE] = "OSRELEASE",
	[FS_FEAT_VERSION] = "VERSION", [FS_FEAT_ARCH] = "ARCH", [FS_FEAT_NRCPUS] = "NRCPUS",
	[FS_FEAT_CPUDESC] = "CPUDESC", [FS_FEAT_CPUID] = "CPUID", [FS_FEAT_TOTAL_MEM] = "TOTAL_MEM",
	[FS_FEAT_CMDLINE] = "CMDLINE", [FS_FEAT_EVENT_DESC] = "EVENT_DESC",
	[FS_FEAT_SAMPLE_TIME] = "SAMPLE_TIME", [FS_FEAT_CLOCKID] = "CLOCKID",
	[FS_FEAT_COMPRESSED] = "COMPRESSED",
};

int fs_header__feature(struct fs_header *h, unsigned int feat, const uint8_t *p, uint64_t size,
		       const char *path, uint64_t offset, struct fs_error *err)
{
	struct feat_cursor c = { p, p + size };

	if (feat >= 256)
		return fs_error__set(err, "%s: unknown feature %u at offset %#llx", path, feat,
				     (unsigned long long)offset);
	h->features[feat / 64] |= 1ULL << (feat % 64);
	if (feat_parse(h, feat, &c))
		return fs_error__set(err, "%s: bad %s feature section at offset %#llx (size %llu)",
				     path, feat < FS_FEAT_LAST && feat_names[feat] ?
				     feat_names[feat] : "header", (unsigned long long)offset,
				     (unsigned long long)size);
	return 0;
}

int fs_header__add_attr(struct fs_header *h, const void *attr, uint64_t attr_bytes,
			const uint64_t *ids, uint64_t nr_ids)
{
	struct fs_evsel *n = realloc(h->evsels, (h->nr_evsels + 1) * sizeof(*n));

	if (!n)
		return -1;
	h->evsels = n;
	n += h->nr_evsels;
	memset(n, 0, sizeof(*n));
	memcpy(&n->attr, attr, attr_bytes < sizeof(n->attr) ? attr_bytes : sizeof(n->attr));
	n->idx = h->nr_evsels;
	if (nr_ids) {
		n->ids = malloc(nr_ids * sizeof(uint64_t));
		if (!n->ids)
			return -1;
		memcpy(n->ids, ids, nr_ids * sizeof(uint64_t));
		n->nr_ids = nr_ids;
	}
	h->nr_evsels++;
	return 0;
}

static const char *const hw_names[] = {
	"cycles", "instructions", "cache-references", "cache-misses", "branches",
	"branch-misses", "bus-cycles", "stalled-cycles-frontend", "stalled-cycles-backend",
	"ref-cycles",
};

static const char *const sw_names[] = {
	"cpu-clock", "task-clock", "page-faults", "context-switches", "cpu-migrations",
	"minor-faults", "major-faults", "alignment-faults", "emulation-faults", "dummy",
	"bpf-output", "cgroup-switches",
};

/* perf's evsel__add_modifiers: ":ukh", "ppp", "H"/"G" as perf spells them. */
static void add_modifiers(const struct perf_event_attr *a, char *bf, size_t size)
{
	size_t r = strlen(bf), colon = 0;
	bool guest_default = false;

#define MOD(ctx, ch) do {						\
		if (!a->exclude_##ctx && r + 2 < size) {		\
			if (!colon)					\
				colon = ++r;				\
			bf[r++] = ch;					\
		} } while (0)
	if (a->exclude_kernel || a->exclude_user || a->exclude_hv) {
		MOD(kernel, 'k');
		MOD(user, 'u');
		MOD(hv, 'h');
		guest_default = true;
	}
	if (a->precise_ip) {
		if (!colon)
			colon = ++r;
		for (unsigned int i = 0; i < a->precise_ip && i < 3 && r + 2 < size; i++)
			bf[r++] = 'p';
		guest_default = true;
	}
	if (a->exclude_host || a->exclude_guest == guest_default) {
		MOD(host, 'H');
		MOD(guest, 'G');
	}
#undef MOD
	bf[r] = 0;
	if (colon)
		bf[colon - 1] = ':';
}

static char *default_name(const struct perf_event_attr *a)
{
	char bf[128];

	switch (a->type) {
	case PERF_TYPE_HARDWARE:
		snprintf(bf, sizeof(bf), "%s", a->config < ARRAY_SIZE(hw_names) ?
			 hw_names[a->config] : "unknown-hardware");
		break;
	case PERF_TYPE_SOFTWARE:
		snprintf(bf, sizeof(bf), "%s", a->config < ARRAY_SIZE(sw_names) ?
			 sw_names[a->config] : "unknown-software");
		break;
	case PERF_TYPE_RAW:
		snprintf(bf, sizeof(bf), "r%llx", (unsigned long long)a->config);
		break;
	case PERF_TYPE_TRACEPOINT:
		return strdup("unknown tracepoint");
	default:
		snprintf(bf, sizeof(bf), "unknown attr type: %u", a->type);
		return strdup(bf);
	}
	add_modifiers(a, bf, sizeof(bf));
	return strdup(bf);
}

int fs_header__default_names(struct fs_header *h)
{
	for (uint32_t i = 0; i < h->nr_evsels; i++) {
		if (h->evsels[i].name)
			continue;
		h->evsels[i].name = default_name(&h->evsels[i].attr);
		if (!h->evsels[i].name)
			return -1;
	}
	return 0;
}

/* EVENT_UPDATE of type NAME renames the evsel holding the id (pipe mode). */
int fs_header__event_update(struct fs_header *h, const union perf_event *ev)
{
	const struct perf_record_event_update *u = &ev->event_update;
	size_t hdr = offsetof(struct perf_record_event_update, name);
	struct fs_evsel *evsel;
	char *name;

	if (ev->header.size < hdr || u->type != PERF_EVENT_UPDATE__NAME)
		return 0;
	evsel = evsel_by_id(h, u->id);
	if (!evsel)
		return 0;
	name = strndup(u->name, ev->header.size - hdr);
	if (!name)
		return -1;
	free(evsel->name);
	evsel->name = name;
	return 0;
}

void fs_header__free(struct fs_header *h)
{
	free(h->hostname);
	free(h->osrelease);
	free(h->version);
	free(h->arch);
	free(h->cpudesc);
	free(h->cpuid);
	free_cmdline(h);
	for (uint32_t i = 0; i < h->nr_build_ids; i++)
		free(h->build_ids[i].filename);
	free(h->build_ids);
	free((void *)h->tracing_data);
	for (uint32_t i = 0; i < h->nr_evsels; i++) {
		free(h->evsels[i].name);
		free(h->evsels[i].ids);
	}
	free(h->evsels);
	memset(h, 0, sizeof(*h));
}
