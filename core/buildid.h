/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * buildid: GNU build ids as perf reads them, from ELF note sections
 * (".note.gnu.build-id", ".notes", ".note", first found) or raw note files
 * such as /sys/kernel/notes. Sizes are perf's: the 4-byte aligned descriptor
 * size, at most 20.
 */
#ifndef FS_BUILDID_H
#define FS_BUILDID_H

#include <stddef.h>
#include <stdint.h>
#include <gelf.h>

#define FS_BUILD_ID_SIZE 20

/* The first section named name (perf's elf_section_by_name()), its header and index (symbols-elf.c). */

Elf_Scn *fs_elf__section_by_name(Elf *elf, const GElf_Ehdr *ehdr, GElf_Shdr *shdr,
				 const char *name, size_t *idx);
/* Build id of an open ELF: its size, or -1. */
int fs_buildid__from_elf(Elf *elf, uint8_t bid[FS_BUILD_ID_SIZE]);
/* Build id of the ELF file at path: its size, or -1. */
int fs_buildid__read_file(const char *path, uint8_t bid[FS_BUILD_ID_SIZE]);
/* Build id from a raw notes file (/sys/kernel/notes): its size, or -1. */
int fs_buildid__read_notes(const char *path, uint8_t bid[FS_BUILD_ID_SIZE]);
/* Lower-case hex of bid[0..size) into out (2 * size + 1 bytes). */
void fs_buildid__sprintf(const uint8_t *bid, size_t size, char *out);
/* perf's dso__build_id_equal(): a 20-byte id also equals a shorter one padded with zeros. */
int fs_buildid__equal(const uint8_t *a, size_t asize, const uint8_t *b, size_t bsize);
/* The name stored at the start of .gnu_debuglink into buf; 0 or -1. */
int fs_buildid__read_debuglink(const char *path, char *buf, size_t size);

#endif
