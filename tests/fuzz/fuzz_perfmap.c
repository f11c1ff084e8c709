// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_perfmap: the perf-map (JIT) parser, alone and through the symbolizer
 * (a FS_DSO_JIT dso is opened at its recorded path: /tmp/perf-PID.map,
 * here a symlink to the harness's memfd).
 */
#include "fuzz.h"
#include "perfmap.h"
#include "symbols.h"

static struct fuzz_file in;
static char map_path[64];

static void cleanup(void)
{
	unlink(map_path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_file__init(&in, "fuzz-perfmap");
	snprintf(map_path, sizeof(map_path), "/tmp/perf-%d.map", (int)getpid());
	unlink(map_path);
	if (symlink(in.path, map_path)) {
		perror(map_path);
		abort();
	}
	atexit(cleanup);
	return 0;
}

static int cb(void *arg, uint64_t start, uint64_t size, const char *name, size_t len)
{
	volatile uint64_t *sum = arg;

	*sum += start + size + len;
	for (size_t i = 0; i < len; i++)
		*sum += (uint8_t)name[i];
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fs_symbolizer_config cfg = { .buildid_dir = "/nonexistent", .kallsyms = "/dev/null" };
	volatile uint64_t sink = 0;
	struct fs_error err;
	struct fs_symbolizer *s;
	struct fs_dso *dso;

	fuzz_file__set(&in, NULL, 0, data, size);
	fs_perfmap__parse(map_path, cb, (void *)&sink, &err);
	s = fs_symbolizer__new(&cfg, &err);
	if (!s)
		abort();
	dso = fs_symbolizer__dso(s, map_path, NULL, 0);
	if (dso) {
		sink += fs_dso__nr_symbols(s, dso);
		for (size_t at = 0; at < 64 && at < size; at += 8) {
			const struct fs_symbol *sym =
				fs_dso__find_symbol(s, dso, fuzz_u64(data, size, size - 1 - at));

			if (sym)
				sink += strlen(sym->name);
		}
		for (uint64_t addr = 0; addr < 0x100; addr += 4) {
			const struct fs_symbol *sym = fs_dso__find_symbol(s, dso, addr);

			if (sym)
				sink += strlen(sym->name);
		}
	}
	fs_symbolizer__delete(s);
	(void)sink;
	return 0;
}
