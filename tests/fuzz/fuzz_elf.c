// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_elf: the ELF symbol reader (symbols-elf.c, buildid.c, demangle.c)
 * through the symbolizer: the input is the file a user dso was recorded
 * from; a few addresses taken from the input's tail are looked up. The
 * build-id cache is an empty directory.
 */
#include <sys/stat.h>
#include "fuzz.h"
#include "buildid.h"
#include "symbols.h"

static struct fuzz_file in;
static char dir[64];

static void cleanup(void)
{
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_file__init(&in, "fuzz-elf");
	snprintf(dir, sizeof(dir), "/dev/shm/fuzz-bid-%d", (int)getpid());
	if (mkdir(dir, 0700)) {
		perror(dir);
		abort();
	}
	atexit(cleanup);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fs_symbolizer_config cfg = { .buildid_dir = dir, .kallsyms = "/dev/null" };
	uint8_t bid[FS_BUILD_ID_SIZE];
	struct fs_error err;
	struct fs_symbolizer *s;
	struct fs_dso *dso;
	volatile size_t sink = 0;
	char link[64];

	fuzz_file__set(&in, NULL, 0, data, size);
	sink += fs_buildid__read_file(in.path, bid);
	sink += fs_buildid__read_debuglink(in.path, link, sizeof(link));
	s = fs_symbolizer__new(&cfg, &err);
	if (!s)
		abort();
	dso = fs_symbolizer__dso(s, in.path, NULL, 0);
	if (dso) {
		sink += fs_dso__nr_symbols(s, dso);
		for (size_t at = 0; at < 64 && at < size; at += 8) {
			uint64_t addr = fuzz_u64(data, size, size - 1 - at) & 0xffffffff;
			const struct fs_symbol *sym = fs_dso__find_symbol(s, dso, addr);

			if (sym)
				sink += strlen(sym->name) + sym->end - sym->start;
		}
		for (uint64_t addr = 0; addr < 0x3000; addr += 0x100) {
			const struct fs_symbol *sym = fs_dso__find_symbol(s, dso, addr);

			if (sym)
				sink += strlen(sym->name);
		}
	}
	fs_symbolizer__delete(s);
	(void)sink;
	return 0;
}
