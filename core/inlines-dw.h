/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * inlines-dw: the function names binutils' `addr2line -i -f` (2.40, as perf
 * 6.1 runs it) prints for an address, read in process from the file's DWARF
 * with libdw, so core/inlines.c asks the addr2line child only where this
 * cannot answer for sure.
 *
 * addr2line keeps, per compilation unit, a flat table of the functions
 * (subprograms, inlined subroutines, entry points) with their address
 * ranges; the innermost frame is the function whose range holding the
 * address is smallest (the later one on a tie), the others its chain of
 * callers, each inlined function's caller being its nearest enclosing
 * function. A function is named by its linkage name (through
 * DW_AT_abstract_origin and DW_AT_specification), else by DW_AT_name. Only
 * C's and assembly's DW_AT_name count as linkage names: elsewhere addr2line
 * looks the ELF symbol table up and may rename the function for the rest
 * of its life, so its answers depend on the requests before; those
 * addresses are left to addr2line, which then sees every request touching
 * such a function. An address no DWARF function holds gets the symbol-table
 * name addr2line gives it, where only one symbol can be that name.
 */
#ifndef FS_INLINES_DW_H
#define FS_INLINES_DW_H

#include <stdint.h>

struct fs_dwinl;

/* The DWARF of the ELF file at path; NULL when it has none (or on error). */
struct fs_dwinl *fs_dwinl__open(const char *path);
void fs_dwinl__close(struct fs_dwinl *dw);
/*
 * The names addr2line prints for addr (the file's own addresses), innermost
 * first, in *names (raw, not demangled; they live as long as dw): their
 * number (0: addr2line finds nothing), or -1 when addr2line must be asked
 * (or out of memory).
 */
int fs_dwinl__names(struct fs_dwinl *dw, uint64_t addr, const char *const **names);

#endif
