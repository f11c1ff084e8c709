/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * escape: writing untrusted names (symbols, comms, paths) into XML and JSON.
 * Every function replaces invalid UTF-8 (one byte at a time), overlong forms,
 * surrogates and characters XML cannot hold with U+FFFD, so output is always
 * well-formed. Write errors are left in the FILE's error flag for the caller.
 */
#ifndef FS_ESCAPE_H
#define FS_ESCAPE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * XML text or attribute value (either quote): & < > " ' as entities, tab,
 * newline and carriage return as character references (kept through
 * attribute normalisation), other control characters as U+FFFD.
 */
void fs_escape__xml(FILE *out, const char *s, size_t len);
/* As fs_escape__xml, at most maxchars characters; when s is longer its
 * last two kept characters become "..", as flamegraph.pl labels frames. */
void fs_escape__xml_trunc(FILE *out, const char *s, size_t maxchars);
/*
 * JSON string contents (no quotes): " \ and control characters escaped, and
 * < > & U+2028 U+2029 as \uXXXX, so the string is also inert inside a
 * <script> element or JavaScript source.
 */
void fs_escape__json(FILE *out, const char *s, size_t len);
/* A word for the shell: as is when plain ([A-Za-z0-9_/.,:+=@%-]), else in single quotes. */
void fs_escape__shell(FILE *out, const char *s);
/* Decodes one character of s[0..len) (len > 0) into *cp, U+FFFD when
 * invalid; returns the bytes it used (1..4). */
size_t fs_escape__utf8_next(const char *s, size_t len, uint32_t *cp);
/* Characters fs_escape__xml would write for s (each invalid byte is one). */
size_t fs_escape__utf8_chars(const char *s, size_t len);

#endif
