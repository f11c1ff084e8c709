/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * fuzz.h: what the libFuzzer harnesses share. The library opens inputs by
 * path, so each harness keeps one memfd, rewrites it with every input and
 * hands the library "/proc/self/fd/N": a regular file (mmap works, as for a
 * real perf.data) that never touches the disk.
 */
#ifndef FS_FUZZ_H
#define FS_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

struct fuzz_file {
	int fd;
	char path[64];
};

static inline void fuzz_file__init(struct fuzz_file *f, const char *name)
{
	f->fd = memfd_create(name, MFD_CLOEXEC);
	if (f->fd < 0) {
		perror("memfd_create");
		abort();
	}
	snprintf(f->path, sizeof(f->path), "/proc/self/fd/%d", f->fd);
}

/* Replaces the file's contents with pre (may be NULL) then data. */
static inline void fuzz_file__set(struct fuzz_file *f, const void *pre, size_t npre,
				  const uint8_t *data, size_t size)
{
	if (ftruncate(f->fd, 0) ||
	    (npre && pwrite(f->fd, pre, npre, 0) != (ssize_t)npre) ||
	    (size && pwrite(f->fd, data, size, npre) != (ssize_t)size)) {
		perror("memfd write");
		abort();
	}
}

/* A u64 from the input (zero-padded), for harness choices. */
static inline uint64_t fuzz_u64(const uint8_t *data, size_t size, size_t at)
{
	uint64_t v = 0;

	if (at < size)
		memcpy(&v, data + at, size - at < 8 ? size - at : 8);
	return v;
}

#endif
