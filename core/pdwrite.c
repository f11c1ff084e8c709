// SPDX-License-Identifier: GPL-2.0-only
/*
 * A perf.data writer. The layout mirrors perf's util/header.c
 * (perf_session__write_header, write_* feature functions); header.c reads
 * it back.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/utsname.h>
#include "buildid.h"
#include "pdwrite.h"
#include "strtab.h"

#define PERFILE2	0x32454c4946524550ULL
#define NAME_ALIGN	64

struct file_header {
	uint64_t magic, size, attr_size;
	uint64_t attrs[2], data[2], event_types[2];
	uint64_t features[4];
};

struct fs_pdwriter {
	FILE *f;
	const struct fs_header *hdr;
	const char *const *cmdline;
	int nr_cmdline;
	struct file_header fh;
	uint64_t first_time, last_time;
	struct fs_strtab *files;	/* mapped files, for BUILD_ID */
	bool failed;
};

static void wr(struct fs_pdwriter *w, const void *p, size_t n)
{
	if (!w->failed && n && fwrite(p, 1, n, w->f) != n)
		w->failed = true;
}

static void wr_u32(struct fs_pdwriter *w, uint32_t v)
{
	wr(w, &v, 4);
}

static void wr_u64(struct fs_pdwriter *w, uint64_t v)
{
	wr(w, &v, 8);
}

/* perf_header_string: u32 length (NUL included, padded to 64), the bytes, NULs. */
static void wr_str(struct fs_pdwriter *w, const char *s)
{
	static const char zeros[NAME_ALIGN];
	uint32_t n = strlen(s) + 1, len = (n + NAME_ALIGN - 1) & ~(uint32_t)(NAME_ALIGN - 1);

	wr_u32(w, len);
	wr(w, s, n);
	wr(w, zeros, len - n);
}

static int64_t pos(struct fs_pdwriter *w)
{
	int64_t p = ftello(w->f);

	if (p < 0)
		w->failed = true;
	return p;
}

static int io_error(struct fs_error *err)
{
	return fs_error__set(err, "writing perf.data: %s", errno ? strerror(errno) : "write error");
}

struct fs_pdwriter *fs_pdwriter__new(FILE *f, const struct fs_header *hdr,
				     const char *const *cmdline, int nr_cmdline, struct fs_error *err)
{
	struct fs_pdwriter *w = calloc(1, sizeof(*w));
	uint64_t *ids_at;

	if (!w || !(w->files = fs_strtab__new()) ||
	    !(ids_at = calloc(hdr->nr_evsels + 1, sizeof(*ids_at)))) {
		if (w)
			fs_strtab__delete(w->files);
		free(w);
		fs_error__set(err, "out of memory");
		return NULL;
	}
	w->f = f;
	w->hdr = hdr;
	w->cmdline = cmdline;
	w->nr_cmdline = nr_cmdline;
	w->fh.magic = PERFILE2;
	w->fh.size = sizeof(w->fh);
	w->fh.attr_size = sizeof(struct perf_event_attr) + 16;
	/* The header is rewritten at the end; then each evsel's ids (none), then the attrs. */
	wr(w, &w->fh, sizeof(w->fh));
	for (uint32_t i = 0; i < hdr->nr_evsels; i++)
		ids_at[i] = pos(w);
	w->fh.attrs[0] = pos(w);
	for (uint32_t i = 0; i < hdr->nr_evsels; i++) {
		struct perf_event_attr a = hdr->evsels[i].attr;

		a.size = sizeof(a);
		wr(w, &a, sizeof(a));
		wr_u64(w, ids_at[i]);
		wr_u64(w, 0);
	}
	free(ids_at);
	w->fh.attrs[1] = hdr->nr_evsels * w->fh.attr_size;
	w->fh.data[0] = pos(w);
	if (w->failed) {
		io_error(err);
		fs_strtab__delete(w->files);
		free(w);
		return NULL;
	}
	return w;
}

static void note_file(struct fs_pdwriter *w, const union perf_event *ev)
{
	const char *name, *end = (const char *)ev + ev->header.size;
	uint16_t cpumode = ev->header.misc & PERF_RECORD_MISC_CPUMODE_MASK;

	if (cpumode != PERF_RECORD_MISC_USER)
		return;
	if (ev->header.type == PERF_RECORD_MMAP)
		name = ev->mmap.filename;
	else
		name = ev->mmap2.filename;
	if (name >= end || name[0] != '/' || !memchr(name, '\0', end - name))
		return;
	fs_strtab__add(w->files, name, strlen(name));	/* out of memory: one build id fewer */
}

int fs_pdwriter__add(struct fs_pdwriter *w, const union perf_event *ev, struct fs_error *err)
{
	uint32_t type = ev->header.type;

	if (type == PERF_RECORD_SAMPLE && w->hdr->nr_evsels == 1) {
		struct fs_sample s;

		if (!fs_evsel__parse_sample(&w->hdr->evsels[0], ev, &s) && s.time != (uint64_t)-1) {
			if (!w->first_time || s.time < w->first_time)
				w->first_time = s.time;
			if (s.time > w->last_time)
				w->last_time = s.time;
		}
	} else if ((type == PERF_RECORD_MMAP && ev->header.size > sizeof(ev->mmap) - PATH_MAX) ||
		   (type == PERF_RECORD_MMAP2 && ev->header.size > sizeof(ev->mmap2) - PATH_MAX)) {
		note_file(w, ev);
	}
	wr(w, ev, ev->header.size);
	return w->failed ? io_error(err) : 0;
}

static void build_id_entry(struct fs_pdwriter *w, uint16_t misc, const uint8_t *bid, int size,
			   const char *name)
{
	static const char zeros[NAME_ALIGN];
	struct perf_record_header_build_id b;
	size_t n = strlen(name) + 1, len = (n + NAME_ALIGN - 1) & ~(size_t)(NAME_ALIGN - 1);

	memset(&b, 0, sizeof(b));
	b.header.type = PERF_RECORD_HEADER_BUILD_ID;
	b.header.misc = misc | PERF_RECORD_MISC_BUILD_ID_SIZE;
	b.header.size = sizeof(b) + len;
	b.pid = -1;		/* the host machine, as perf writes it */
	memcpy(b.data, bid, size);
	b.size = size;
	wr(w, &b, sizeof(b));
	wr(w, name, n);
	wr(w, zeros, len - n);
}

static void feat_build_id(struct fs_pdwriter *w)
{
	uint8_t bid[FS_BUILD_ID_SIZE];
	int size = fs_buildid__read_notes("/sys/kernel/notes", bid);

	if (size > 0)
		build_id_entry(w, PERF_RECORD_MISC_KERNEL, bid, size, "[kernel.kallsyms]");
	for (uint32_t i = 0; i < fs_strtab__count(w->files); i++) {
		const char *name = fs_strtab__str(w->files, i);

		size = fs_buildid__read_file(name, bid);
		if (size > 0)
			build_id_entry(w, PERF_RECORD_MISC_USER, bid, size, name);
	}
}

static uint64_t total_mem_kb(void)
{
	FILE *f = fopen("/proc/meminfo", "r");
	unsigned long long kb = 0;
	char line[128];

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemTotal: %llu kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

static void feat_event_desc(struct fs_pdwriter *w)
{
	wr_u32(w, w->hdr->nr_evsels);
	wr_u32(w, sizeof(struct perf_event_attr));
	for (uint32_t i = 0; i < w->hdr->nr_evsels; i++) {
		struct perf_event_attr a = w->hdr->evsels[i].attr;

		a.size = sizeof(a);
		wr(w, &a, sizeof(a));
		wr_u32(w, 0);
		wr_str(w, w->hdr->evsels[i].name ? w->hdr->evsels[i].name : "");
	}
}

static bool monotonic_clock(const struct fs_header *h)
{
	return h->nr_evsels && h->evsels[0].attr.use_clockid &&
	       h->evsels[0].attr.clockid == CLOCK_MONOTONIC;
}

/* One feature's payload; false when it is not written. */
static bool feature(struct fs_pdwriter *w, unsigned int feat, const struct utsname *u)
{
	long cpus = sysconf(_SC_NPROCESSORS_CONF), online = sysconf(_SC_NPROCESSORS_ONLN);
	struct timespec res;

	switch (feat) {
	case FS_FEAT_BUILD_ID: feat_build_id(w); return true;
	case FS_FEAT_HOSTNAME: wr_str(w, u->nodename); return true;
	case FS_FEAT_OSRELEASE: wr_str(w, u->release); return true;
	case FS_FEAT_VERSION: wr_str(w, "flamescope"); return true;
	case FS_FEAT_ARCH: wr_str(w, u->machine); return true;
	case FS_FEAT_NRCPUS:
		wr_u32(w, cpus > 0 ? cpus : 1);
		wr_u32(w, online > 0 ? online : 1);
		return true;
	case FS_FEAT_TOTAL_MEM: wr_u64(w, total_mem_kb()); return true;
	case FS_FEAT_CMDLINE:
		wr_u32(w, w->nr_cmdline);
		for (int i = 0; i < w->nr_cmdline; i++)
			wr_str(w, w->cmdline[i]);
		return true;
	case FS_FEAT_EVENT_DESC: feat_event_desc(w); return true;
	case FS_FEAT_SAMPLE_TIME:
		wr_u64(w, w->first_time);
		wr_u64(w, w->last_time);
		return true;
	case FS_FEAT_CLOCKID:
		if (!monotonic_clock(w->hdr) || clock_getres(CLOCK_MONOTONIC, &res))
			return false;
		wr_u64(w, res.tv_sec * 1000000000ull + res.tv_nsec);
		return true;
	}
	return false;
}

int fs_pdwriter__finish(struct fs_pdwriter *w, struct fs_error *err)
{
	static const unsigned int feats[] = {
		FS_FEAT_BUILD_ID, FS_FEAT_HOSTNAME, FS_FEAT_OSRELEASE, FS_FEAT_VERSION,
		FS_FEAT_ARCH, FS_FEAT_NRCPUS, FS_FEAT_TOTAL_MEM, FS_FEAT_CMDLINE,
		FS_FEAT_EVENT_DESC, FS_FEAT_SAMPLE_TIME, FS_FEAT_CLOCKID,
	};
	const unsigned int n = sizeof(feats) / sizeof(feats[0]);
	uint64_t sec[sizeof(feats) / sizeof(feats[0])][2] = { { 0 } };
	struct utsname u;
	int64_t table, at;
	unsigned int k = 0;
	int ret = 0;

	if (uname(&u))
		memset(&u, 0, sizeof(u));
	w->fh.data[1] = pos(w) - w->fh.data[0];
	/* The table holds one section per feature present: write the payloads after room for all. */
	table = pos(w);
	for (unsigned int i = 0; i < n; i++)
		wr(w, sec[0], 16);
	for (unsigned int i = 0; i < n; i++) {
		at = pos(w);
		if (!feature(w, feats[i], &u))
			continue;
		sec[k][0] = at;
		sec[k][1] = pos(w) - at;
		w->fh.features[feats[i] / 64] |= 1ull << (feats[i] % 64);
		k++;
	}
	/* Unused table slots stay as harmless zeros after the used ones. */
	if (!w->failed && (fseeko(w->f, table, SEEK_SET) || fwrite(sec, 16, k, w->f) != k))
		w->failed = true;
	if (!w->failed && (fseeko(w->f, 0, SEEK_SET) || fwrite(&w->fh, sizeof(w->fh), 1, w->f) != 1 ||
			   fflush(w->f)))
		w->failed = true;
	if (w->failed)
		ret = io_error(err);
	fs_strtab__delete(w->files);
	free(w);
	return ret;
}
