// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_reader: the perf.data reader on any input, file mode or (when the
 * header says so) pipe mode, COMPRESSED records included. Every record is
 * walked and its parsed sample fields are read, so ASan sees any pointer the
 * reader hands out that does not lie inside the record.
 */
#include "fuzz.h"
#include "reader.h"

static struct fuzz_file in;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_file__init(&in, "fuzz-reader");
	return 0;
}

static uint64_t bytes(const void *p, uint64_t n)
{
	uint64_t sum = 0;

	for (uint64_t i = 0; i < n; i++)
		sum += ((const uint8_t *)p)[i];
	return sum;
}

/* Touches every byte a parsed sample points at. */
static uint64_t touch(const struct fs_event *ev)
{
	const struct fs_sample *s = &ev->sample;
	const uint8_t *raw = s->raw_data;
	uint64_t sum = ev->event->header.size;

	for (uint32_t i = 0; i < ev->event->header.size; i++)
		sum += ((const uint8_t *)ev->event)[i];
	if (!ev->has_sample)
		return sum;
	for (uint64_t i = 0; i < s->nr_callchain; i++)
		sum += s->callchain[i];
	for (uint32_t i = 0; i < s->raw_size; i++)
		sum += raw[i];
	for (uint32_t i = 0; i < s->read_words; i++)
		sum += s->read[i];
	/*
	 * What follows PERF_SAMPLE_RAW is unaligned when a corrupt raw size
	 * is not 4 mod 8 (perf reads it so too): copy, do not dereference.
	 */
	sum += bytes(s->branch_entries, s->branch_nr * sizeof(*s->branch_entries));
	sum += bytes(s->user_regs, s->nr_user_regs * 8ull);
	sum += bytes(s->intr_regs, s->nr_intr_regs * 8ull);
	for (uint64_t i = 0; i < s->user_stack_size; i++)
		sum += ((const uint8_t *)s->user_stack)[i];
	for (uint64_t i = 0; i < s->aux_size; i++)
		sum += ((const uint8_t *)s->aux_data)[i];
	if (s->evsel)
		sum += s->evsel->attr.sample_type + (s->evsel->name ? strlen(s->evsel->name) : 0);
	return sum;
}

static uint64_t touch_header(const struct fs_header *h)
{
	uint64_t sum = 0;

	for (uint32_t i = 0; i < h->nr_evsels; i++) {
		sum += h->evsels[i].name ? strlen(h->evsels[i].name) : 0;
		for (uint32_t j = 0; j < h->evsels[i].nr_ids; j++)
			sum += h->evsels[i].ids[j];
	}
	for (uint32_t i = 0; i < h->nr_cmdline; i++)
		sum += strlen(h->cmdline[i]);
	for (uint32_t i = 0; i < h->nr_build_ids; i++)
		sum += h->build_ids[i].size +
		       (h->build_ids[i].filename ? strlen(h->build_ids[i].filename) : 0);
	if (h->hostname)
		sum += strlen(h->hostname);
	if (h->osrelease)
		sum += strlen(h->osrelease);
	if (h->version)
		sum += strlen(h->version);
	if (h->arch)
		sum += strlen(h->arch);
	if (h->cpudesc)
		sum += strlen(h->cpudesc);
	if (h->cpuid)
		sum += strlen(h->cpuid);
	for (uint64_t i = 0; i < h->tracing_data_size; i++)
		sum += ((const uint8_t *)h->tracing_data)[i];
	return sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fs_error err = { "" };
	struct fs_event ev;
	struct fs_reader *r;
	volatile uint64_t sink = 0;
	int ret;

#ifdef FUZZ_PIPE
	static const uint64_t pipe_header[2] = { 0x32454c4946524550ULL, 16 };

	fuzz_file__set(&in, pipe_header, sizeof(pipe_header), data, size);
#else
	fuzz_file__set(&in, NULL, 0, data, size);
#endif
	r = fs_reader__open(in.path, &err);
	if (!r)
		return 0;
	sink += touch_header(fs_reader__header(r));
	while ((ret = fs_reader__next(r, &ev, &err)) > 0)
		sink += touch(&ev);
	sink += touch_header(fs_reader__header(r));
	sink += fs_reader__stats(r)->nr_samples;
	fs_reader__close(r);
	(void)sink;
	return 0;
}
