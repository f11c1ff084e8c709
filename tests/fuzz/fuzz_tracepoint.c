// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_tracepoint: perf's tracing data (core/tracepoint.c over libtraceevent)
 * and tracepoint payloads. Input: u16 payload length L, the tracing data,
 * then L payload bytes, which are printed and read as every parsed event.
 */
#include <traceevent/event-parse.h>
#include "fuzz.h"
#include "tracepoint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct perf_event_attr attr = { .type = PERF_TYPE_TRACEPOINT };
	size_t raw_len = size >= 2 ? (size_t)(data[0] | data[1] << 8) : 0;
	volatile size_t sink = 0;
	struct fs_tracepoints *tp;
	struct fs_error err;
	const uint8_t *raw;
	struct tep_handle *tep;

	if (size < 2)
		return 0;
	data += 2;
	size -= 2;
	if (raw_len > size)
		raw_len = size;
	raw = data + size - raw_len;
	tp = fs_tracepoints__new(data, size - raw_len, &err);
	if (!tp)
		return 0;
	tep = fs_tracepoints__tep(tp);
	for (int i = 0; tep && i < tep_get_events_count(tep) && i < 16; i++) {
		struct tep_event *e = tep_get_event(tep, i), *ev;
		const char *text;
		int64_t val;
		size_t len;

		if (!e)
			continue;
		attr.config = e->id;
		ev = fs_tracepoints__event(tp, &attr);
		if (!ev)
			continue;
		/* an exact-size copy, so ASan sees any read past the payload */
		uint8_t *copy = malloc(raw_len ? raw_len : 1);

		if (!copy)
			abort();
		memcpy(copy, raw, raw_len);
		sink += fs_tracepoints__fits(ev, copy, raw_len);
		if (fs_tracepoints__print(tp, ev, 0, copy, raw_len, &text, &len) == 0)
			sink += len + (len ? (uint8_t)text[len - 1] : 0);
		if (fs_tracepoints__field(ev, "common_pid", copy, raw_len, &val) == 0)
			sink += val;
		if (fs_tracepoints__field(ev, "prev_pid", copy, raw_len, &val) == 0)
			sink += val;
		free(copy);
	}
	fs_tracepoints__delete(tp);
	(void)sink;
	return 0;
}
