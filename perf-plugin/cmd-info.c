// SPDX-License-Identifier: GPL-2.0-only
/*
 * flamescope info: what `perf report --header-only` prints for the header
 * fields the reader understands, then record counts by type as
 * `perf report --stats` prints them, samples per event and the sample span.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include "commands.h"
#include "reader.h"
#include "script.h"

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

/*
 * perf's header block, as script --header prints it (one implementation, in
 * core/script-header.c); where that cannot be reproduced (pipe mode, features
 * not done yet), the fields the reader parsed, each line as perf prints it.
 */
static void print_header(const struct fs_header *h, const char *path)
{
	struct fs_error err = { "" };
	char *text = NULL;
	size_t len = 0;

	if (!fs_script__header_text(path, h, &text, &len, &err)) {
		fwrite(text, 1, len, stdout);
		free(text);
		return;
	}
	printf("# ========\n");
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
	if (!fs_script__event_lines(h, &text, &len, &err) && text) {
		fwrite(text, 1, len, stdout);
		free(text);
	}
	if (fs_header__has(h, FS_FEAT_SAMPLE_TIME)) {
		print_usec("time of first sample", h->first_sample_time);
		print_usec("time of last sample", h->last_sample_time);
		printf("# sample duration : %10.3f ms\n",
		       (double)(h->last_sample_time - h->first_sample_time) / 1e6);
	}
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
	if (fs_reader__note(r))
		fprintf(stderr, "flamescope info: %s\n", fs_reader__note(r));
	fs_reader__close(r);
	return 0;
}
