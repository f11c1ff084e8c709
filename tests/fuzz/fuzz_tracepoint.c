// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_tracepoint: perf's tracing data (core/tracepoint.c, libtraceevent in
 * its worker) and tracepoint payloads, mutated as bytes. Input: u16 payload
 * length L, the tracing data, then L payload bytes, which are printed, read
 * and filtered as every parsed event (up to 16). fuzz_tpformat mutates the
 * formats' grammar instead.
 */
#include "fuzz.h"
#include "tpfilter.h"
#include "tracepoint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t raw_len = size >= 2 ? (size_t)(data[0] | data[1] << 8) : 0;
	volatile size_t sink = 0;
	struct fs_tracepoints *tp;
	struct fs_error err;
	const uint8_t *raw;

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
	for (size_t i = 0; i < fs_tracepoints__nr_events(tp) && i < 16; i++) {
		const struct fs_tp_event *ev = fs_tracepoints__event_at(tp, i);
		struct fs_tp_filter *f;
		const char *text;
		int64_t val;
		size_t len;
		/* an exact-size copy, so ASan sees any read past the payload */
		uint8_t *copy = malloc(raw_len ? raw_len : 1);

		if (!copy)
			abort();
		memcpy(copy, raw, raw_len);
		sink += fs_tracepoints__fits(ev, copy, raw_len);
		if (fs_tracepoints__print(tp, ev, 0, copy, raw_len, &text, &len) >= 0)
			sink += len + (len ? (uint8_t)text[len - 1] : 0);
		if (fs_tracepoints__field(ev, "common_pid", copy, raw_len, &val) == 0)
			sink += val;
		for (uint32_t k = 0; k < ev->nr_fields && k < 8; k++) {
			const char *s = fs_tracepoints__read_str(&ev->fields[k], copy, raw_len, &len);

			sink += s ? len : 0;
			if (fs_tracepoints__read_field(&ev->fields[k], copy, raw_len, &val) == 0)
				sink += val;
		}
		/* every field and flag name in a filter */
		for (uint32_t k = 0; k < ev->nr_syms && k < 4; k++) {
			char expr[600];

			snprintf(expr, sizeof(expr), "%s == %s || %s & %s", ev->fields[ev->syms[k].field].name,
				 ev->syms[k].name, ev->fields[ev->syms[k].field].name, ev->syms[k].name);
			f = fs_tp_filter__new(tp, ev, expr, &err);
			if (f)
				sink += fs_tp_filter__match(f, 1, copy, raw_len);
			fs_tp_filter__delete(f);
		}
		free(copy);
	}
	fs_tracepoints__delete(tp);
	(void)sink;
	return 0;
}
