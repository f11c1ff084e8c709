/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * strtab: interned strings. Each distinct string is stored once, gets a dense
 * id (0, 1, 2, ...) and a pointer that stays valid for the table's life, so
 * callers compare names by id or pointer and keep ids in compact arrays.
 */
#ifndef FS_STRTAB_H
#define FS_STRTAB_H

#include <stddef.h>
#include <stdint.h>

struct fs_strtab;

struct fs_strtab *fs_strtab__new(void);
void fs_strtab__delete(struct fs_strtab *t);
/* The id of s[0..len) (no NUL needed), added if new; UINT32_MAX when out of memory. */
uint32_t fs_strtab__add(struct fs_strtab *t, const char *s, size_t len);
/* The stored, NUL-terminated copy of s[0..len); NULL when out of memory. */
const char *fs_strtab__intern(struct fs_strtab *t, const char *s, size_t len);
const char *fs_strtab__str(const struct fs_strtab *t, uint32_t id);
uint32_t fs_strtab__count(const struct fs_strtab *t);

#endif
