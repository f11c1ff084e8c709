// SPDX-License-Identifier: GPL-2.0-only
/*
 * Note parsing is bounds-checked against the section data: a hostile note
 * header can claim any size.
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include "buildid.h"

#define NOTE_ALIGN(n) (((uint64_t)(n) + 3) & ~(uint64_t)3)
#define NT_GNU_BUILD_ID_TYPE 3

/* Walks notes in buf[0..size); perf's rule: name "GNU", type 3. */
static int find_build_id(const uint8_t *buf, size_t size, uint8_t bid[FS_BUILD_ID_SIZE])
{
	size_t off = 0;

	while (size - off >= sizeof(Elf64_Nhdr)) {
		Elf64_Nhdr nh;
		uint64_t namesz, descsz;

		memcpy(&nh, buf + off, sizeof(nh));
		off += sizeof(nh);
		namesz = NOTE_ALIGN(nh.n_namesz);
		descsz = NOTE_ALIGN(nh.n_descsz);
		if (namesz > size - off)
			return -1;
		if (nh.n_type == NT_GNU_BUILD_ID_TYPE && nh.n_namesz == 4 &&
		    !memcmp(buf + off, "GNU", 4)) {
			size_t sz = descsz < FS_BUILD_ID_SIZE ? descsz : FS_BUILD_ID_SIZE;

			off += namesz;
			if (sz > size - off)
				return -1;
			memcpy(bid, buf + off, sz);
			memset(bid + sz, 0, FS_BUILD_ID_SIZE - sz);
			return (int)sz;
		}
		off += namesz;
		if (descsz > size - off)
			return -1;
		off += descsz;
	}
	return -1;
}

int fs_buildid__from_elf(Elf *elf, uint8_t bid[FS_BUILD_ID_SIZE])
{
	static const char *const names[] = { ".note.gnu.build-id", ".notes", ".note" };
	GElf_Ehdr ehdr;
	GElf_Shdr shdr;
	Elf_Scn *sec = NULL;
	Elf_Data *data;

	if (elf_kind(elf) != ELF_K_ELF || !gelf_getehdr(elf, &ehdr))
		return -1;
	for (size_t i = 0; i < 3 && !sec; i++)
		sec = fs_elf__section_by_name(elf, &ehdr, &shdr, names[i], NULL);
	if (!sec)
		return -1;
	data = elf_getdata(sec, NULL);
	if (!data || !data->d_buf)
		return -1;
	return find_build_id(data->d_buf, data->d_size, bid);
}

int fs_buildid__read_file(const char *path, uint8_t bid[FS_BUILD_ID_SIZE])
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret = -1;
	Elf *elf;

	if (fd < 0)
		return -1;
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (elf) {
		ret = fs_buildid__from_elf(elf, bid);
		elf_end(elf);
	}
	close(fd);
	return ret;
}

int fs_buildid__read_notes(const char *path, uint8_t bid[FS_BUILD_ID_SIZE])
{
	uint8_t buf[64 * 1024];
	size_t len = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	while (len < sizeof(buf) && (n = read(fd, buf + len, sizeof(buf) - len)) > 0)
		len += (size_t)n;
	close(fd);
	return find_build_id(buf, len, bid);
}

void fs_buildid__sprintf(const uint8_t *bid, size_t size, char *out)
{
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < size; i++) {
		*out++ = hex[bid[i] >> 4];
		*out++ = hex[bid[i] & 15];
	}
	*out = '\0';
}

int fs_buildid__equal(const uint8_t *a, size_t asize, const uint8_t *b, size_t bsize)
{
	if (asize > bsize && asize == FS_BUILD_ID_SIZE) {
		for (size_t i = bsize; i < asize; i++)
			if (a[i])
				return 0;
		return !memcmp(a, b, bsize);
	}
	return asize == bsize && !memcmp(a, b, asize);
}

int fs_buildid__read_debuglink(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret = -1;
	GElf_Ehdr ehdr;
	GElf_Shdr shdr;
	Elf_Scn *sec;
	Elf_Data *data;
	Elf *elf;

	if (fd < 0 || size == 0)
		goto out;
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!elf)
		goto out;
	if (elf_kind(elf) == ELF_K_ELF && gelf_getehdr(elf, &ehdr)) {
		sec = fs_elf__section_by_name(elf, &ehdr, &shdr, ".gnu_debuglink", NULL);
		data = sec ? elf_getdata(sec, NULL) : NULL;
		if (data && data->d_buf) {
			size_t n = data->d_size < size - 1 ? data->d_size : size - 1;

			memcpy(buf, data->d_buf, n);
			buf[n] = '\0';
			ret = 0;
		}
	}
	elf_end(elf);
out:
	if (fd >= 0)
		close(fd);
	return ret;
}
