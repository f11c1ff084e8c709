// SPDX-License-Identifier: GPL-2.0-only
/*
 * perf script --header: the "# ========" block perf 6.1 prints before the
 * samples (perf_header__fprintf_info() in util/header.c). The feature
 * sections are read again here, as perf reads them for printing, so every
 * byte comes from the file. Features whose text we do not reproduce yet
 * (BPF programs, PMU capabilities, clock data, directory format) make it
 * fail instead of printing something different.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "script.h"
#include "util.h"

#define LAST_FEATURE 32		/* perf 6.1's HEADER_LAST_FEATURE */

static const char *const feat_names[LAST_FEATURE] = {
	"RESERVED", "TRACING_DATA", "BUILD_ID", "HOSTNAME", "OSRELEASE", "VERSION", "ARCH",
	"NRCPUS", "CPUDESC", "CPUID", "TOTAL_MEM", "CMDLINE", "EVENT_DESC", "CPU_TOPOLOGY",
	"NUMA_TOPOLOGY", "BRANCH_STACK", "PMU_MAPPINGS", "GROUP_DESC", "AUXTRACE", "STAT",
	"CACHE", "SAMPLE_TIME", "MEM_TOPOLOGY", "CLOCKID", "DIR_FORMAT", "BPF_PROG_INFO",
	"BPF_BTF", "COMPRESSED", "CPU_PMU_CAPS", "CLOCK_DATA", "HYBRID_TOPOLOGY", "PMU_CAPS",
};

struct text {
	char *s;
	size_t len, alloc;
	bool oom;
};

static void __attribute__((format(printf, 2, 3))) out(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(t->s ? t->s + t->len : NULL, t->s ? t->alloc - t->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0) {
			t->oom = true;
			return;
		}
		if (t->s && t->len + n < t->alloc)
			break;
		size_t a = (t->alloc ? t->alloc : 4096) * 2 + n;
		char *p = realloc(t->s, a);

		if (!p) {
			t->oom = true;
			return;
		}
		t->s = p;
		t->alloc = a;
	}
	t->len += n;
}

/* A feature section, bounds-checked as it is read. */
struct sec {
	const uint8_t *p, *end;
	bool bad;
};

static uint32_t u32(struct sec *c)
{
	uint32_t v = 0;

	if (c->end - c->p < 4) {
		c->bad = true;
		return 0;
	}
	memcpy(&v, c->p, 4);
	c->p += 4;
	return v;
}

static uint64_t u64(struct sec *c)
{
	uint64_t v = 0;

	if (c->end - c->p < 8) {
		c->bad = true;
		return 0;
	}
	memcpy(&v, c->p, 8);
	c->p += 8;
	return v;
}

/* perf's do_read_string(): u32 length, then that many bytes, NUL-padded. */
static const char *str(struct sec *c)
{
	uint32_t n = u32(c);
	const char *s = (const char *)c->p;

	if (c->bad || (uint64_t)(c->end - c->p) < n || !n || !memchr(s, '\0', n)) {
		c->bad = true;
		return "";
	}
	c->p += n;
	return s;
}

struct event_desc {
	struct perf_event_attr attr;
	const char *name;
	uint32_t nr_ids;
	const uint8_t *ids;
};

static void bits(struct text *t, uint64_t v, const uint64_t *vals, const char *const *names, size_t n)
{
	bool first = true;

	for (size_t i = 0; i < n; i++) {
		/* perf keeps the bit in an int: high bits never match */
		if (v & (uint64_t)(int)vals[i]) {
			out(t, "%s%s", first ? "" : "|", names[i]);
			first = false;
		}
	}
}

static void sample_type(struct text *t, uint64_t v)
{
	static const uint64_t vals[] = {
		PERF_SAMPLE_IP, PERF_SAMPLE_TID, PERF_SAMPLE_TIME, PERF_SAMPLE_ADDR,
		PERF_SAMPLE_READ, PERF_SAMPLE_CALLCHAIN, PERF_SAMPLE_ID, PERF_SAMPLE_CPU,
		PERF_SAMPLE_PERIOD, PERF_SAMPLE_STREAM_ID, PERF_SAMPLE_RAW,
		PERF_SAMPLE_BRANCH_STACK, PERF_SAMPLE_REGS_USER, PERF_SAMPLE_STACK_USER,
		PERF_SAMPLE_IDENTIFIER, PERF_SAMPLE_REGS_INTR, PERF_SAMPLE_DATA_SRC,
		PERF_SAMPLE_WEIGHT, PERF_SAMPLE_PHYS_ADDR, PERF_SAMPLE_AUX, PERF_SAMPLE_CGROUP,
		PERF_SAMPLE_DATA_PAGE_SIZE, PERF_SAMPLE_CODE_PAGE_SIZE, PERF_SAMPLE_WEIGHT_STRUCT,
	};
	static const char *const names[] = {
		"IP", "TID", "TIME", "ADDR", "READ", "CALLCHAIN", "ID", "CPU", "PERIOD",
		"STREAM_ID", "RAW", "BRANCH_STACK", "REGS_USER", "STACK_USER", "IDENTIFIER",
		"REGS_INTR", "DATA_SRC", "WEIGHT", "PHYS_ADDR", "AUX", "CGROUP",
		"DATA_PAGE_SIZE", "CODE_PAGE_SIZE", "WEIGHT_STRUCT",
	};

	bits(t, v, vals, names, ARRAY_SIZE(vals));
}

static void branch_type(struct text *t, uint64_t v)
{
	static const char *const names[] = {
		"USER", "KERNEL", "HV", "ANY", "ANY_CALL", "ANY_RETURN", "IND_CALL", "ABORT_TX",
		"IN_TX", "NO_TX", "COND", "CALL_STACK", "IND_JUMP", "CALL", "NO_FLAGS",
		"NO_CYCLES", "TYPE_SAVE", "HW_INDEX", "PRIV_SAVE",
	};
	uint64_t vals[ARRAY_SIZE(names)];

	for (size_t i = 0; i < ARRAY_SIZE(vals); i++)
		vals[i] = 1ULL << i;	/* PERF_SAMPLE_BRANCH_*: bit i, in this order */
	bits(t, v, vals, names, ARRAY_SIZE(vals));
}

static void read_format(struct text *t, uint64_t v)
{
	static const uint64_t vals[] = {
		PERF_FORMAT_TOTAL_TIME_ENABLED, PERF_FORMAT_TOTAL_TIME_RUNNING, PERF_FORMAT_ID,
		PERF_FORMAT_GROUP, 1U << 4 /* PERF_FORMAT_LOST */,
	};
	static const char *const names[] = {
		"TOTAL_TIME_ENABLED", "TOTAL_TIME_RUNNING", "ID", "GROUP", "LOST",
	};

	bits(t, v, vals, names, ARRAY_SIZE(vals));
}

#define U(name, v)	do { if (v) out(t, ", %s = %" PRIu64, name, (uint64_t)(v)); } while (0)
#define X(name, v)	do { if (v) out(t, ", %s = %#" PRIx64, name, (uint64_t)(v)); } while (0)

/* perf_event_attr__fprintf() with header.c's ", name = value" printer */
static void attr_text(struct text *t, const struct perf_event_attr *a)
{
	U("type", a->type);
	U("size", a->size);
	X("config", a->config);
	U("{ sample_period, sample_freq }", a->sample_period);
	if (a->sample_type) {
		out(t, ", sample_type = ");
		sample_type(t, a->sample_type);
	}
	if (a->read_format) {
		out(t, ", read_format = ");
		read_format(t, a->read_format);
	}
	U("disabled", a->disabled); U("inherit", a->inherit); U("pinned", a->pinned);
	U("exclusive", a->exclusive); U("exclude_user", a->exclude_user);
	U("exclude_kernel", a->exclude_kernel); U("exclude_hv", a->exclude_hv);
	U("exclude_idle", a->exclude_idle); U("mmap", a->mmap); U("comm", a->comm);
	U("freq", a->freq); U("inherit_stat", a->inherit_stat);
	U("enable_on_exec", a->enable_on_exec); U("task", a->task);
	U("watermark", a->watermark); U("precise_ip", a->precise_ip);
	U("mmap_data", a->mmap_data); U("sample_id_all", a->sample_id_all);
	U("exclude_host", a->exclude_host); U("exclude_guest", a->exclude_guest);
	U("exclude_callchain_kernel", a->exclude_callchain_kernel);
	U("exclude_callchain_user", a->exclude_callchain_user); U("mmap2", a->mmap2);
	U("comm_exec", a->comm_exec); U("use_clockid", a->use_clockid);
	U("context_switch", a->context_switch); U("write_backward", a->write_backward);
	U("namespaces", a->namespaces); U("ksymbol", a->ksymbol); U("bpf_event", a->bpf_event);
	U("aux_output", a->aux_output); U("cgroup", a->cgroup); U("text_poke", a->text_poke);
	U("build_id", a->build_id); U("inherit_thread", a->inherit_thread);
	U("remove_on_exec", a->remove_on_exec); U("sigtrap", a->sigtrap);
	U("{ wakeup_events, wakeup_watermark }", a->wakeup_events);
	U("bp_type", a->bp_type);
	X("{ bp_addr, config1 }", a->bp_addr);
	X("{ bp_len, config2 }", a->bp_len);
	if (a->branch_sample_type) {
		out(t, ", branch_sample_type = ");
		branch_type(t, a->branch_sample_type);
	}
	X("sample_regs_user", a->sample_regs_user);
	U("sample_stack_user", a->sample_stack_user);
	if (a->clockid)
		out(t, ", clockid = %" PRId64, (int64_t)a->clockid);
	X("sample_regs_intr", a->sample_regs_intr);
	U("aux_watermark", a->aux_watermark);
	U("sample_max_stack", a->sample_max_stack);
	U("aux_sample_size", a->aux_sample_size);
	U("sig_data", a->sig_data);
}

static int event_desc(struct sec *c, struct event_desc **out_ev, uint32_t *out_nr)
{
	uint32_t nre = u32(c), sz = u32(c);
	struct event_desc *ev;

	if (c->bad || nre > 100000 || sz > 4096 || !sz)
		return -1;
	ev = calloc(nre + 1, sizeof(*ev));
	if (!ev)
		return -1;
	for (uint32_t i = 0; i < nre; i++) {
		if ((uint64_t)(c->end - c->p) < sz)
			goto bad;
		memcpy(&ev[i].attr, c->p, sz < sizeof(ev[i].attr) ? sz : sizeof(ev[i].attr));
		c->p += sz;
		ev[i].nr_ids = u32(c);
		ev[i].name = str(c);
		if (c->bad || (uint64_t)(c->end - c->p) / 8 < ev[i].nr_ids)
			goto bad;
		ev[i].ids = c->p;
		c->p += 8 * (uint64_t)ev[i].nr_ids;
	}
	*out_ev = ev;
	*out_nr = nre;
	return 0;
bad:
	free(ev);
	return -1;
}

static void print_event_desc(struct text *t, struct event_desc *ev, uint32_t nr)
{
	for (uint32_t i = 0; i < nr && ev[i].attr.size; i++) {
		out(t, "# event : name = %s, ", ev[i].name);
		if (ev[i].nr_ids) {
			out(t, ", id = {");
			for (uint32_t j = 0; j < ev[i].nr_ids; j++) {
				uint64_t id;

				memcpy(&id, ev[i].ids + 8 * j, 8);
				out(t, "%s %" PRIu64, j ? "," : "", id);
			}
			out(t, " }");
		}
		attr_text(t, &ev[i].attr);
		out(t, "\n");
	}
}

static int id_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* One feature's text; -1 (with err) for one we cannot reproduce. */
static int feature(struct text *t, unsigned int feat, struct sec *c, const struct fs_header *hdr,
		   struct event_desc *ev, uint32_t nr_ev, struct fs_error *err)
{
	switch (feat) {
	case 1: case 2:		/* TRACING_DATA, BUILD_ID: perf prints nothing */
		return 0;
	case 3: out(t, "# hostname : %s\n", str(c)); break;
	case 4: out(t, "# os release : %s\n", str(c)); break;
	case 5: out(t, "# perf version : %s\n", str(c)); break;
	case 6: out(t, "# arch : %s\n", str(c)); break;
	case 7: {
		uint32_t avail = u32(c), online = u32(c);

		out(t, "# nrcpus online : %u\n# nrcpus avail : %u\n", online, avail);
		break;
	}
	case 8: out(t, "# cpudesc : %s\n", str(c)); break;
	case 9: out(t, "# cpuid : %s\n", str(c)); break;
	case 10: out(t, "# total memory : %" PRIu64 " kB\n", u64(c)); break;
	case 11: {
		uint32_t nr = u32(c);

		out(t, "# cmdline : ");
		for (uint32_t i = 0; i < nr && !c->bad; i++) {
			const char *a = str(c), *q;

			/* perf escapes single quotes as \' */
			while ((q = strchr(a, '\'')) != NULL) {
				out(t, "%.*s\\'", (int)(q - a), a);
				a = q + 1;
			}
			out(t, "%s ", a);
		}
		out(t, "\n");
		break;
	}
	case 12:
		if (!ev)
			out(t, "# event desc: not available or unable to read\n");
		else
			print_event_desc(t, ev, nr_ev);
		return 0;
	case 13: case 14: case 20: case 22: case 30:	/* full_only */
		out(t, "# %s info available, use -I to display\n", feat_names[feat]);
		return 0;
	case 15: out(t, "# contains samples with branch stack\n"); return 0;
	case 16: {
		uint32_t nr = u32(c);
		const char *delim = "# pmu mappings: ";

		if (!nr) {
			out(t, "# pmu mappings: not available\n");
			break;
		}
		for (uint32_t i = 0; i < nr && !c->bad; i++) {
			uint32_t type = u32(c);
			const char *name = str(c);

			out(t, "%s%s = %u", delim, name, type);
			delim = ", ";
		}
		out(t, "\n");
		break;
	}
	case 17: {
		uint32_t nr = u32(c);

		for (uint32_t i = 0; i < nr && !c->bad; i++) {
			const char *name = str(c);
			uint32_t leader = u32(c), members = u32(c);

			if (members <= 1)
				continue;
			if (!ev || leader >= nr_ev || members > nr_ev - leader)
				return fs_error__set(err, "--header: GROUP_DESC does not match EVENT_DESC");
			out(t, "# group: %s{%s", strcmp(name, "{anon_group}") ? name : "", ev[leader].name);
			for (uint32_t m = 1; m < members; m++)
				out(t, ",%s", ev[leader + m].name);
			out(t, "}\n");
		}
		break;
	}
	case 18: out(t, "# contains AUX area data (e.g. instruction trace)\n"); return 0;
	case 19: out(t, "# contains stat data\n"); return 0;
	case 21: {
		uint64_t first = hdr->first_sample_time, last = hdr->last_sample_time;

		out(t, "# time of first sample : %" PRIu64 ".%06" PRIu64 "\n",
		    first / 1000000000, first % 1000000000 / 1000);
		out(t, "# time of last sample : %" PRIu64 ".%06" PRIu64 "\n",
		    last / 1000000000, last % 1000000000 / 1000);
		out(t, "# sample duration : %10.3f ms\n", (double)(last - first) / 1000000);
		return 0;
	}
	case 23: out(t, "# clockid frequency: %" PRIu64 " MHz\n", u64(c) * 1000); break;
	case 25:
		if (u32(c) || c->bad)
			return fs_error__set(err, "--header: BPF program info is not supported yet");
		return 0;
	case 26: {
		uint32_t nr = u32(c), *ids;

		if (c->bad || nr > 1000000)
			break;
		ids = calloc(nr + 1, sizeof(*ids));
		if (!ids)
			return fs_error__set(err, "out of memory");
		for (uint32_t i = 0; i < nr && !c->bad; i++) {
			uint32_t size;

			ids[i] = u32(c);
			size = u32(c);
			if ((uint64_t)(c->end - c->p) < size)
				c->bad = true;
			else
				c->p += size;
		}
		qsort(ids, nr, sizeof(*ids), id_cmp);
		for (uint32_t i = 0; i < nr && !c->bad; i++)
			out(t, "# btf info of id %u\n", ids[i]);
		free(ids);
		break;
	}
	case 27: {
		uint32_t version = u32(c), type = u32(c), level = u32(c), ratio = u32(c);

		(void)version;
		out(t, "# compressed : %s, level = %d, ratio = %d\n", type == 1 ? "Zstd" : "Unknown",
		    (int)level, (int)ratio);
		break;
	}
	case 28: {
		uint32_t nr = u32(c);

		if (!nr) {
			out(t, "# cpu pmu capabilities: not available\n");
			break;
		}
		out(t, "# cpu pmu capabilities: ");
		for (uint32_t i = 0; i < nr && !c->bad; i++) {
			const char *name = str(c), *value = str(c);

			out(t, "%s%s=%s", i ? ", " : "", name, value);
		}
		out(t, "\n");
		break;
	}
	case 29: {
		static const char *const clocks[] = {
			[0] = "realtime", [1] = "monotonic", [4] = "monotonic_raw",
			[7] = "boottime", [11] = "tai",
		};
		uint32_t version = u32(c), clockid = u32(c);
		uint64_t tod = u64(c), ref = u64(c);
		const char *name = clockid < ARRAY_SIZE(clocks) && clocks[clockid]
				   ? clocks[clockid] : "(not found)";
		time_t sec = tod / 1000000000;
		char date[64] = "<error>";
		struct tm tm;

		if (c->bad || version != 1) {
			out(t, "# reference time disabled\n");
			return 0;
		}
		if (localtime_r(&sec, &tm)) {
			char day[48];

			strftime(day, sizeof(day), "%F %T", &tm);
			snprintf(date, sizeof(date), "%s.%06d", day, (int)(tod % 1000000000 / 1000));
		}
		out(t, "# clockid: %s (%u)\n", name, clockid);
		out(t, "# reference time: %s = %ld.%06d (TOD) = %ld.%09ld (%s)\n", date, (long)sec,
		    (int)(tod % 1000000000 / 1000), (long)(ref / 1000000000),
		    (long)(ref % 1000000000), name);
		return 0;
	}
	case 31:
		if (u32(c) || c->bad)
			return fs_error__set(err, "--header: PMU capabilities are not supported yet");
		return 0;
	default:
		return fs_error__set(err, "--header: the %s feature is not supported yet",
				     feat < LAST_FEATURE ? feat_names[feat] : "unknown");
	}
	if (c->bad)
		return fs_error__set(err, "--header: feature section %s is truncated", feat_names[feat]);
	return 0;
}

static int read_all(int fd, void *buf, size_t n, uint64_t off)
{
	size_t done = 0;

	while (done < n) {
		ssize_t r = pread(fd, (char *)buf + done, n - done, off + done);

		if (r <= 0)
			return -1;
		done += r;
	}
	return 0;
}

int fs_script__header_text(const char *path, const struct fs_header *hdr, char **text,
			   size_t *len, struct fs_error *err)
{
	struct text t = { 0 };
	struct { uint64_t offset, size; } *secs = NULL;
	uint8_t *data[256] = { 0 };
	struct event_desc *ev = NULL;
	uint32_t nr_ev = 0, n = 0, k = 0;
	struct stat st;
	time_t mtime;
	int fd, ret = -1;

	if (hdr->pipe_mode)
		return fs_error__set(err, "--header: not supported yet for pipe-mode data");
	fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &st))
		goto io;
	for (unsigned int f = 0; f < 256; f++)
		n += fs_header__has(hdr, f);
	secs = calloc(n + 1, sizeof(*secs));
	if (!secs || read_all(fd, secs, n * sizeof(*secs), hdr->feat_offset))
		goto io;
	for (unsigned int f = 0; f < 256; f++) {
		if (!fs_header__has(hdr, f))
			continue;
		if (secs[k].size > (uint64_t)st.st_size || secs[k].offset > (uint64_t)st.st_size - secs[k].size) {
			fs_error__set(err, "%s: feature %u section out of the file", path, f);
			goto out;
		}
		data[f] = malloc(secs[k].size + 1);
		if (!data[f] || read_all(fd, data[f], secs[k].size, secs[k].offset))
			goto io;
		secs[k].offset = secs[k].size;	/* keep the size by feature order */
		k++;
	}
	/* EVENT_DESC first: GROUP_DESC needs its names */
	k = 0;
	for (unsigned int f = 0; f < 256; f++) {
		if (!fs_header__has(hdr, f))
			continue;
		if (f == 12) {
			struct sec c = { data[f], data[f] + secs[k].size, false };

			if (event_desc(&c, &ev, &nr_ev))
				ev = NULL;
		}
		k++;
	}
	mtime = st.st_mtime;
	out(&t, "# ========\n");
	out(&t, "# captured on    : %s", ctime(&mtime));
	out(&t, "# header version : %u\n", 1);
	out(&t, "# data offset    : %" PRIu64 "\n", hdr->data_offset);
	out(&t, "# data size      : %" PRIu64 "\n", hdr->data_size);
	out(&t, "# feat offset    : %" PRIu64 "\n", hdr->feat_offset);
	k = 0;
	for (unsigned int f = 0; f < 256; f++) {
		struct sec c;

		if (!fs_header__has(hdr, f))
			continue;
		c = (struct sec){ data[f], data[f] + secs[k++].size, false };
		if (f >= LAST_FEATURE || f == 0)
			continue;	/* perf warns and skips */
		if (feature(&t, f, &c, hdr, ev, nr_ev, err))
			goto out;
	}
	out(&t, "# missing features: ");
	for (unsigned int f = 1; f < LAST_FEATURE; f++)
		if (!fs_header__has(hdr, f))
			out(&t, "%s ", feat_names[f]);
	out(&t, "\n# ========\n#\n");
	if (t.oom) {
		fs_error__set(err, "out of memory");
		goto out;
	}
	*text = t.s;
	*len = t.len;
	t.s = NULL;
	ret = 0;
	goto out;
io:
	fs_error__set(err, "%s: cannot read the header: %m", path);
out:
	if (fd >= 0)
		close(fd);
	for (unsigned int f = 0; f < 256; f++)
		free(data[f]);
	free(secs);
	free(ev);
	free(t.s);
	return ret;
}

int fs_script__event_lines(const struct fs_header *hdr, char **text, size_t *len, struct fs_error *err)
{
	struct text t = { 0 };

	for (uint32_t i = 0; i < hdr->nr_evsels; i++) {
		const struct fs_evsel *e = &hdr->evsels[i];

		out(&t, "# event : name = %s, ", e->name ? e->name : "");
		if (e->nr_ids) {
			out(&t, ", id = {");
			for (uint32_t j = 0; j < e->nr_ids; j++)
				out(&t, "%s %" PRIu64, j ? "," : "", e->ids[j]);
			out(&t, " }");
		}
		attr_text(&t, &e->attr);
		out(&t, "\n");
	}
	if (t.oom) {
		free(t.s);
		return fs_error__set(err, "out of memory");
	}
	*text = t.s;
	*len = t.len;
	return 0;
}
