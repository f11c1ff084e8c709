// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_timerange: perf's --time syntax. The first 17 bytes choose the first
 * and last sample times and --reltime; the rest is the spec string.
 */
#include "fuzz.h"
#include "timerange.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t first = fuzz_u64(data, size, 0), last = fuzz_u64(data, size, 8), ns;
	bool reltime = size > 16 && data[16] & 1;
	struct fs_timerange *tr = NULL;
	volatile uint64_t sink = 0;
	struct fs_error err;
	size_t skip = size < 17 ? size : 17;
	char *spec = malloc(size - skip + 1);

	if (!spec)
		abort();
	memcpy(spec, data + skip, size - skip);
	spec[size - skip] = 0;
	if (fs_timerange__parse_time(spec, &ns) == 0)
		sink += ns;
	if (fs_timerange__parse_rel(spec, first, last, reltime, &tr, &err) == 0) {
		for (uint32_t i = 0; i < tr->nr; i++)
			sink += fs_timerange__contains(tr, tr->r[i].start) +
				fs_timerange__contains(tr, tr->r[i].end) +
				fs_timerange__contains(tr, tr->r[i].end + 1);
		sink += fs_timerange__contains(tr, first) + fs_timerange__contains(tr, last);
		fs_timerange__delete(tr);
	}
	free(spec);
	(void)sink;
	return 0;
}
