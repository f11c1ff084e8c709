// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_kallsyms: the kallsyms parser, alone, through fs_kallsyms__find() and
 * through the symbolizer (the kernel and a module dso, with and without a
 * relocation reference), looking up addresses taken from the input.
 */
#include "fuzz.h"
#include "kallsyms.h"
#include "symbols.h"

static struct fuzz_file in;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_file__init(&in, "fuzz-kallsyms");
	return 0;
}

static int cb(void *arg, const char *name, size_t len, char type, uint64_t addr)
{
	volatile uint64_t *sum = arg;

	*sum += addr + (uint8_t)type + len;
	for (size_t i = 0; i < len; i++)
		*sum += (uint8_t)name[i];
	return 0;
}

static void lookups(struct fs_symbolizer *s, struct fs_dso *dso, const uint8_t *data, size_t size,
		    volatile uint64_t *sink)
{
	const struct fs_symbol *sym;

	if (!dso)
		return;
	*sink += fs_dso__nr_symbols(s, dso);
	for (size_t at = 0; at < 64 && at < size; at += 8) {
		sym = fs_dso__find_symbol(s, dso, fuzz_u64(data, size, size - 1 - at));
		if (sym)
			*sink += strlen(sym->name);
	}
	/* the first address the file names, and around it */
	uint64_t a = strtoull((const char *)data, NULL, 16);

	for (int d = -2; d < 8; d++) {
		sym = fs_dso__find_symbol(s, dso, a + d * 0x40);
		if (sym)
			*sink += strlen(sym->name);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fs_symbolizer_config cfg = { .buildid_dir = "/nonexistent", .kallsyms = in.path };
	volatile uint64_t sink = 0;
	struct fs_error err;
	struct fs_symbolizer *s;
	uint64_t addr;
	char *text;

	/* a NUL-terminated copy for strtoull on the first line */
	text = malloc(size + 1);
	if (!text)
		abort();
	memcpy(text, data, size);
	text[size] = 0;
	fuzz_file__set(&in, NULL, 0, data, size);
	fs_kallsyms__parse(in.path, cb, (void *)&sink, &err);
	if (fs_kallsyms__find(in.path, "_text", &addr) == 0)
		sink += addr;
	s = fs_symbolizer__new(&cfg, &err);
	if (!s)
		abort();
	if (size && data[0] & 1)
		fs_symbolizer__set_kernel_reloc(s, "_text", fuzz_u64(data, size, size / 2));
	lookups(s, fs_symbolizer__dso(s, "[kernel.kallsyms]", NULL, 0), (uint8_t *)text, size, &sink);
	lookups(s, fs_symbolizer__dso(s, "[mod]", NULL, 0), (uint8_t *)text, size, &sink);
	fs_symbolizer__delete(s);
	free(text);
	(void)sink;
	return 0;
}
