/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * demangle: symbol names as perf 6.1 prints them for user-space ELF symbols:
 * libiberty's cplus_demangle(name, 0) (no parameters, no qualifiers), then a
 * legacy-Rust cleanup of its result; when libiberty fails, OCaml and then Java
 * demangling. Kernel and JIT-map names are never demangled.
 */
#ifndef FS_DEMANGLE_H
#define FS_DEMANGLE_H

/* A malloc'ed demangled name, or NULL when name stays as it is. */
char *fs_demangle(const char *name);

#endif
