// SPDX-License-Identifier: GPL-2.0-only
/*
 * pdlong: streams a long perf.data for benchmarks (scripts/bench-find.sh):
 * one process ("svc", pid 4242, a thread per CPU) sampled for HOURS on CPUS
 * CPUs at HZ, as perf record -p would see it, on a schedule: a 30 s start-up,
 * a band every 60 s for 5 s, 50 ms bursts at +500 ms of every second, and 20%
 * random load otherwise. Its frames are real functions of ELF (mapped with
 * MMAP2 so the usual symbolizer resolves them), given as NAME:ADDR for main,
 * run, spin_leaf, startup_work, band_work, burst_work and noise_work (nm's
 * addresses of the schedule workload).
 *
 *   pdlong OUT HOURS CPUS HZ ELF main:ADDR,run:ADDR,...
 */
#include <inttypes.h>
#include <sys/stat.h>
#include "../unit/pdwriter.h"

enum { MAIN, RUN, LEAF, STARTUP, BAND, BURST, NOISE, NR_FNS };

static const char *const fn_names[NR_FNS] = {
	"main", "run", "spin_leaf", "startup_work", "band_work", "burst_work", "noise_work",
};

static uint64_t rng = 88172645463325252ULL;

static double rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (rng >> 11) * (1.0 / 9007199254740992.0);
}

static int activity(double t)
{
	double off = t - (uint64_t)t;

	if (t < 30)
		return STARTUP;
	if (t >= 10 && (uint64_t)(t - 10) % 60 < 5)
		return BAND;
	if (off >= 0.5 && off < 0.55)
		return BURST;
	return rnd() < 0.2 ? NOISE : -1;
}

static void mmap2(struct pdw *w, uint32_t pid, uint64_t start, uint64_t len, const char *name)
{
	struct perf_event_header h = { PERF_RECORD_MMAP2, PERF_RECORD_MISC_USER, 0 };
	struct pdw_buf b = { 0 };
	size_t n = (strlen(name) + 8) & ~(size_t)7;
	char *fname = calloc(1, n);

	memcpy(fname, name, strlen(name));
	pdw_buf_add(&b, &h, 8);
	pdw_u32(&b, pid);
	pdw_u32(&b, pid);
	pdw_u64(&b, start);
	pdw_u64(&b, len);
	pdw_u64(&b, 0);			/* pgoff */
	pdw_u32(&b, 0);			/* maj, min */
	pdw_u32(&b, 0);
	pdw_u64(&b, 0);			/* ino, ino generation */
	pdw_u64(&b, 0);
	pdw_u32(&b, 5);			/* PROT_READ | PROT_EXEC */
	pdw_u32(&b, 2);			/* MAP_PRIVATE */
	pdw_buf_add(&b, fname, n);
	pdw_trailer(&b, &w->attrs[0].attr, &(struct pdw_sample){ .pid = pid, .tid = pid, .id = 1 });
	pdw_finish_record(w, &b);
	free(fname);
}

int main(int argc, char **argv)
{
	const uint64_t base = 0x555555554000ULL, pid = 4242;
	uint64_t addr[NR_FNS] = { 0 }, hdr[13] = { 0 }, id = 1, sec[2], written = 0;
	struct perf_event_attr a = { 0 };
	double hours, hz;
	uint32_t cpus;
	struct stat st;
	struct pdw w;
	char *list, *save = NULL;
	FILE *f;

	if (argc != 7 || (hours = atof(argv[2])) <= 0 || !(cpus = atoi(argv[3])) || cpus > 256 ||
	    (hz = atof(argv[4])) <= 0 || stat(argv[5], &st)) {
		fprintf(stderr, "usage: pdlong OUT HOURS CPUS HZ ELF main:ADDR,run:ADDR,...\n");
		return 2;
	}
	list = strdup(argv[6]);
	for (char *tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *colon = strchr(tok, ':');

		for (int i = 0; colon && i < NR_FNS; i++)
			if ((size_t)(colon - tok) == strlen(fn_names[i]) && !strncmp(tok, fn_names[i], colon - tok))
				addr[i] = strtoull(colon + 1, NULL, 16);
	}
	free(list);
	for (int i = 0; i < NR_FNS; i++)
		if (!addr[i]) {
			fprintf(stderr, "pdlong: no address for %s\n", fn_names[i]);
			return 2;
		}
	f = fopen(argv[1], "wb");
	if (!f) {
		perror(argv[1]);
		return 1;
	}
	setvbuf(f, NULL, _IOFBF, 1 << 20);
	a.type = PERF_TYPE_SOFTWARE;
	a.config = PERF_COUNT_SW_CPU_CLOCK;
	a.size = sizeof(a);
	a.sample_type = PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME |
			PERF_SAMPLE_CALLCHAIN | PERF_SAMPLE_CPU | PERF_SAMPLE_PERIOD;
	a.sample_id_all = 1;
	a.sample_period = (uint64_t)(1e9 / hz);
	/* header, ids, attr, then data, as pdwrite big lays them out */
	fwrite(hdr, sizeof(hdr), 1, f);
	fwrite(&id, 8, 1, f);
	fwrite(&a, sizeof(a), 1, f);
	sec[0] = sizeof(hdr);
	sec[1] = 8;
	fwrite(sec, 16, 1, f);
	hdr[0] = 0x32454c4946524550ULL;
	hdr[1] = sizeof(hdr);
	hdr[2] = sizeof(a) + 16;
	hdr[3] = sizeof(hdr) + 8;
	hdr[4] = sizeof(a) + 16;
	hdr[5] = hdr[3] + hdr[4];
	pdw_init(&w, false);
	pdw_attr(&w, &a, &id, 1, NULL);
	for (uint32_t c = 0; c < cpus; c++)
		pdw_comm(&w, 0, pid, pid + c, "svc", &(struct pdw_sample){ .id = 1, .pid = pid,
			 .tid = pid + c, .time = 1000000000ULL });
	mmap2(&w, pid, base, ((uint64_t)st.st_size + 4095) & ~4095ULL, argv[5]);
	for (uint64_t s = 0; s < (uint64_t)(hours * 3600); s++) {
		for (uint64_t k = 0; k < (uint64_t)hz; k++) {
			for (uint32_t c = 0; c < cpus; c++) {
				double t = s + (k + c / (double)cpus) / hz;
				int act = activity(t);
				uint64_t chain[5];

				if (act < 0)
					continue;
				chain[0] = PERF_CONTEXT_USER;
				chain[1] = base + addr[LEAF] + 8;
				chain[2] = base + addr[act] + 16;
				chain[3] = base + addr[RUN] + 16;
				chain[4] = base + addr[MAIN] + 16;
				pdw_sample(&w, 0, &(struct pdw_sample){
					.id = 1, .ip = chain[1], .pid = pid, .tid = pid + c,
					.time = 2000000000ULL + (uint64_t)(t * 1e9), .cpu = c,
					.period = a.sample_period, .callchain = chain, .nr_callchain = 5,
					.misc = PERF_RECORD_MISC_USER });
			}
		}
		pdw_round(&w);
		fwrite(w.data.p, 1, w.data.len, f);
		written += w.data.len;
		w.data.len = 0;
	}
	hdr[6] = written;
	free(w.data.p);
	if (fseek(f, 0, SEEK_SET) || fwrite(hdr, sizeof(hdr), 1, f) != 1 || fclose(f)) {
		perror(argv[1]);
		return 1;
	}
	printf("%" PRIu64 " MB\n", written >> 20);
	return 0;
}
