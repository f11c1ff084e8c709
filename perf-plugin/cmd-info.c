// SPDX-License-Identifier: GPL-2.0-only
/*
 * flamescope info: what `perf report --header-only` prints for the header
 * fields the reader understands, then record counts by type as
 * `perf report --stats` prints them, samples per event and the sample span.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include "commands.h"
#include "reader.h"

static const char *const record_names[PERF_RECORD_HEADER_MAX] = {
	[0] = "TOTAL", [PERF_RECORD_MMAP] = "MMAP", [PERF_RECORD_MMAP2] = "MMAP2",
	[PERF_RECORD_LOST] = "LOST", [PERF_RECORD_COMM] = "COMM", [PERF_RECORD_EXIT] = "EXIT",
	[PERF_RECORD_THROTTLE] = "THROTTLE", [PERF_RECORD_UNTHROTTLE] = "UNTHROTTLE",
	[PERF_RECORD_FORK] = "FORK", [PERF_RECORD_READ] = "READ", [PERF_RECORD_SAMPLE] = "SAMPLE",
	[PERF_RECORD_AUX] = "AUX", [PERF_RECORD_ITRACE_START] = "ITRACE_START",
	[PERF_RECORD_LOST_SAMPLES] = "LOST_SAMPLES", [PERF_RECORD_SWITCH] = "SWITCH",
	[PERF_RECORD_SWITCH_CPU_WIDE] = "SWITCH_CPU_WIDE", [PERF_RECORD_NAMESPACES] = "NAMESPACES",
	[PERF_RECORD_KSYMBOL] = "KSYMBOL", [PERF_RECORD_BPF_EVENT] = "BPF_EVENT",
	[PERF_RECORD_CGROUP] = "CGROUP", [PERF_RECORD_TEXT_POKE] = "TEXT_POKE",
	[PERF_RECORD_AUX_OUTPUT_HW_ID] = "AUX_OUTPUT_HW_ID", [PERF_RECORD_HEADER_ATTR] = "ATTR",
	[PERF_RECORD_HEADER_EVENT_TYPE] = "EVENT_TYPE",
	[PERF_RECORD_HEADER_TRACING_DATA] = "TRACING_DATA",
	[PERF_RECORD_HEADER_BUILD_ID] = "BUILD_ID", [PERF_RECORD_FINISHED_ROUND] = "FINISHED_ROUND",
	[PERF_RECORD_ID_INDEX] = "ID_INDEX", [PERF_RECORD_AUXTRACE_INFO] = "AUXTRACE_INFO",
	[PERF_RECORD_AUXTRACE] = "AUXTRACE", [PERF_RECORD_AUXTRACE_ERROR] = "AUXTRACE_ERROR",
	[PERF_RECORD_THREAD_MAP] = "THREAD_MAP", [PERF_RECORD_CPU_MAP] = "CPU_MAP",
	[PERF_RECORD_STAT_CONFIG] = "STAT_CONFIG", [PERF_RECORD_STAT] = "STAT",
	[PERF_RECORD_STAT_ROUND] = "STAT_ROUND", [PERF_RECORD_EVENT_UPDATE] = "EVENT_UPDATE",
	[PERF_RECORD_TIME_CONV] = "TIME_CONV", [PERF_RECORD_HEADER_FEATURE] = "FEATURE",
	[PERF_RECORD_COMPRESSED] = "COMPRESSED", [PERF_RECORD_FINISHED_INIT] = "FINISHED_INIT",
};

static const struct bit_name {
	uint64_t bit;
	const char *name;
} sample_bits[] = {
#define B(n) { PERF_SAMPLE_##n, #n }
	B(IP), B(TID), B(TIME), B(ADDR), B(READ), B(CALLCHAIN), B(ID), B(CPU), B(PERIOD),
	B(STREAM_ID), B(RAW), B(BRANCH_STACK), B(REGS_USER), B(STACK_USER), B(IDENTIFIER),
	B(REGS_INTR), B(DATA_SRC), B(WEIGHT), B(PHYS_ADDR), B(AUX), B(CGROUP),
	B(DATA_PAGE_SIZE), B(CODE_PAGE_SIZE), B(WEIGHT_STRUCT), { 0, NULL }
#undef B
}, read_bits[] = {
#define B(n) { PERF_FORMAT_##n, #n }
	B(TOTAL_TIME_ENABLED), B(TOTAL_TIME_RUNNING), B(ID), B(GROUP), B(LOST), { 0, NULL }
#undef B
}, branch_bits[] = {
#define B(n) { PERF_SAMPLE_BRANCH_##n, #n }
	B(USER), B(KERNEL), B(HV), B(ANY), B(ANY_CALL), B(ANY_RETURN), B(IND_CALL),
	B(ABORT_TX), B(IN_TX), B(NO_TX), B(COND), B(CALL_STACK), B(IND_JUMP), B(CALL),
	B(NO_FLAGS), B(NO_CYCLES), B(TYPE_SAVE), B(HW_INDEX), B(PRIV_SAVE), { 0, NULL }
#undef B
};

static void print_bits(const char *name, uint64_t v, const struct bit_name *bits)
{
	bool first = true;

	if (!v)
		return;
	printf(", %s = ", name);
	for (; bits->name; bits++) {
		if (v & bits->bit) {
			printf("%s%s", first ? "" : "|", bits->name);
			first = false;
		}
	}
}

#define U(label, v) do { if (v) printf(", %s = %" PRIu64, label, (uint64_t)(v)); } while (0)
#define X(label, v) do { if (v) printf(", %s = %#" PRIx64, label, (uint64_t)(v)); } while (0)

/* perf_event_attr__fprintf's fields, in its order. */
static void print_attr(const struct perf_event_attr *a)
{
	U("type", a->type);
	U("size", a->size);
	X("config", a->config);
	U("{ sample_period, sample_freq }", a->sample_period);
	print_bits("sample_type", a->sample_type, sample_bits);
	print_bits("read_format", a->read_format, read_bits);
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
	print_bits("branch_sample_type", a->branch_sample_type, branch_bits);
	X("sample_regs_user", a->sample_regs_user);
	U("sample_stack_user", a->sample_stack_user);
	if (a->clockid)
		printf(", clockid = %" PRId64, (int64_t)a->clockid);
	X("sample_regs_intr", a->sample_regs_intr);
	U("aux_watermark", a->aux_watermark);
	U("sample_max_stack", a->sample_max_stack);
	U("aux_sample_size", a->aux_sample_size);
	U("sig_data", a->sig_data);
}

static void print_usec(const char *label, uint64_t ns)
{
	printf("# %s : %" PRIu64 ".%06" PRIu64 "\n", label, ns / 1000000000,
	       ns % 1000000000 / 1000);
}

static void print_cmdline(const struct fs_header *h)
{
	printf("# cmdline : ");
	for (uint32_t i = 0; i < h->nr_cmdline; i++) {
		for (const char *p = h->cmdline[i]; *p; p++) {
			if (*p == '\'')
				fputs("\\'", stdout);
			else
				putchar(*p);
		}
		putchar(' ');
	}
	putchar('\n');
}

static void print_header(const struct fs_header *h, const char *path)
{
	struct stat st;

	printf("# ========\n");
	if (!h->pipe_mode) {
		if (!stat(path, &st)) {
			time_t t = st.st_mtime;

			printf("# captured on    : %s", ctime(&t));
		}
		printf("# header version : %u\n", h->file_version - 1);
		printf("# data offset    : %" PRIu64 "\n", h->data_offset);
		printf("# data size      : %" PRIu64 "\n", h->data_size);
		printf("# feat offset    : %" PRIu64 "\n", h->feat_offset);
	}
	if (fs_header__has(h, FS_FEAT_HOSTNAME))
		printf("# hostname : %s\n", h->hostname);
	if (fs_header__has(h, FS_FEAT_OSRELEASE))
		printf("# os release : %s\n", h->osrelease);
	if (fs_header__has(h, FS_FEAT_VERSION))
		printf("# perf version : %s\n", h->version);
	if (fs_header__has(h, FS_FEAT_ARCH))
		printf("# arch : %s\n", h->arch);
	if (fs_header__has(h, FS_FEAT_NRCPUS)) {
		printf("# nrcpus online : %u\n", h->nr_cpus_online);
		printf("# nrcpus avail : %u\n", h->nr_cpus_avail);
	}
	if (fs_header__has(h, FS_FEAT_CPUDESC))
		printf("# cpudesc : %s\n", h->cpudesc);
	if (fs_header__has(h, FS_FEAT_CPUID))
		printf("# cpuid : %s\n", h->cpuid);
	if (fs_header__has(h, FS_FEAT_TOTAL_MEM))
		printf("# total memory : %" PRIu64 " kB\n", h->total_mem);
	if (fs_header__has(h, FS_FEAT_CMDLINE))
		print_cmdline(h);
	for (uint32_t i = 0; i < h->nr_evsels; i++) {
		const struct fs_evsel *e = &h->evsels[i];

		printf("# event : name = %s, ", e->name);
		if (e->nr_ids) {
			printf(", id = {");
			for (uint32_t j = 0; j < e->nr_ids; j++)
				printf("%s %" PRIu64, j ? "," : "", e->ids[j]);
			printf(" }");
		}
		print_attr(&e->attr);
		putchar('\n');
	}
	if (fs_header__has(h, FS_FEAT_SAMPLE_TIME)) {
		print_usec("time of first sample", h->first_sample_time);
		print_usec("time of last sample", h->last_sample_time);
		printf("# sample duration : %10.3f ms\n",
		       (double)(h->last_sample_time - h->first_sample_time) / 1e6);
	}
	if (fs_header__has(h, FS_FEAT_CLOCKID))
		printf("# clockid frequency: %" PRIu64 " MHz\n", h->clockid_res_ns * 1000);
	if (fs_header__has(h, FS_FEAT_COMPRESSED))
		printf("# compressed : %s, level = %d, ratio = %d\n",
		       h->comp.type == 1 ? "Zstd" : "Unknown", (int)h->comp.level,
		       (int)h->comp.ratio);
	printf("# ========\n#\n");
}

static void print_stats(const struct fs_header *h, const struct fs_reader_stats *st)
{
	uint64_t total = 0;

	for (int i = 1; i < PERF_RECORD_HEADER_MAX; i++)
		total += st->nr_records[i];
	printf("\nAggregated stats:\n");
	printf("%16s events: %10" PRIu64 "\n", "TOTAL", total);
	for (int i = 1; i < PERF_RECORD_HEADER_MAX; i++) {
		if (!record_names[i] || !st->nr_records[i])
			continue;
		printf("%16s events: %10" PRIu64 "  (%4.1f%%)\n", record_names[i], st->nr_records[i],
		       100.0 * st->nr_records[i] / total);
	}
	if (st->nr_unknown)
		printf("%16s events: %10" PRIu64 "\n", "UNKNOWN-TYPE", st->nr_unknown);
	for (uint32_t i = 0; i < h->nr_evsels; i++) {
		const struct fs_evsel *e = &h->evsels[i];

		if (!e->nr_samples && !e->nr_lost_samples)
			continue;
		printf("%s stats:\n", e->name);
		if (e->nr_samples)
			printf("%16s events: %10" PRIu64 "\n", "SAMPLE", e->nr_samples);
		if (e->nr_lost_samples)
			printf("%16s events: %10" PRIu64 "\n", "LOST_SAMPLES", e->nr_lost_samples);
	}
	printf("\n");
	if (st->nr_samples) {
		print_usec("first sample time", st->first_sample_time);
		print_usec("last sample time", st->last_sample_time);
		printf("# duration : %10.3f ms\n",
		       (double)(st->last_sample_time - st->first_sample_time) / 1e6);
	}
	printf("# lost events : %" PRIu64 "\n", st->nr_lost);
	printf("# lost samples : %" PRIu64 "\n", st->nr_lost_samples);
	if (st->nr_unknown_id)
		printf("# samples with unknown id : %" PRIu64 "\n", st->nr_unknown_id);
	if (h->nr_build_ids)
		printf("# build ids : %u\n", h->nr_build_ids);
	if (st->nr_unordered)
		printf("# unordered events : %" PRIu64 "\n", st->nr_unordered);
}

static int usage(FILE *f, int status)
{
	fprintf(f, "\n usage: flamescope info [-i FILE]\n\n"
		"    -i, --input FILE   perf.data to read (default perf.data; - for stdin)\n"
		"    -h, --help         this help\n\n"
		" Prints the header as `perf report --header-only` does for the fields it\n"
		" reads, record counts by type as `perf report --stats`, samples per event,\n"
		" the first and last sample time and lost samples.\n\n");
	return status;
}

int cmd_info(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "input", required_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = "perf.data";
	struct fs_reader *r;
	struct fs_error err;
	struct fs_event ev;
	int c, ret;

	optind = 1;
	while ((c = getopt_long(argc, argv, "i:h", opts, NULL)) != -1) {
		if (c == 'i')
			path = optarg;
		else if (c == 'h')
			return usage(stdout, 0);
		else
			return usage(stderr, 2);
	}
	if (optind < argc)
		return usage(stderr, 2);
	r = fs_reader__open(path, &err);
	if (!r) {
		fprintf(stderr, "flamescope info: %s\n", err.msg);
		return 1;
	}
	/*
	 * Counts do not depend on order: walk in file order as perf report
	 * --stats does. Pipe-mode attrs and features arrive as records: walk
	 * first, print after.
	 */
	fs_reader__set_ordered(r, false);
	while ((ret = fs_reader__next(r, &ev, &err)) > 0)
		;
	if (ret < 0) {
		fprintf(stderr, "flamescope info: %s\n", err.msg);
		fs_reader__close(r);
		return 1;
	}
	print_header(fs_reader__header(r), path);
	print_stats(fs_reader__header(r), fs_reader__stats(r));
	fs_reader__close(r);
	return 0;
}
