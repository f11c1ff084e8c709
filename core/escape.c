// SPDX-License-Identifier: GPL-2.0-only
/*
 * escape: see escape.h. Runs of plain ASCII are copied with one fwrite; only
 * special bytes go through the slow path, since names are mostly ASCII.
 */
#include <stdbool.h>
#include <string.h>
#include "escape.h"

#define REPLACEMENT 0xfffd

size_t fs_escape__utf8_next(const char *str, size_t len, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	uint32_t c = s[0], min;
	size_t n, i;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		c &= 0x1f;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		c &= 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		c &= 0x07;
		min = 0x10000;
	} else {
		*cp = REPLACEMENT;
		return 1;
	}
	if (len < n)
		goto bad;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			goto bad;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		goto bad;
	*cp = c;
	return n;
bad:
	*cp = REPLACEMENT;
	return 1;
}

size_t fs_escape__utf8_chars(const char *s, size_t len)
{
	size_t n = 0, i = 0;
	uint32_t cp;

	while (i < len) {
		if ((unsigned char)s[i] < 0x80)
			i++;
		else
			i += fs_escape__utf8_next(s + i, len - i, &cp);
		n++;
	}
	return n;
}

static void put_utf8(FILE *out, uint32_t cp)
{
	char b[4];
	size_t n;

	if (cp < 0x80) {
		b[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xc0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xe0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		b[0] = (char)(0xf0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	fwrite(b, 1, n, out);
}

static bool xml_plain(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '&' && c != '<' && c != '>' && c != '"' && c != '\'';
}

/* One character at s (not plain): writes it escaped, returns bytes used. */
static size_t xml_char(FILE *out, const char *s, size_t len)
{
	uint32_t cp;
	size_t n = fs_escape__utf8_next(s, len, &cp);

	switch (cp) {
	case '&': fputs("&amp;", out); break;
	case '<': fputs("&lt;", out); break;
	case '>': fputs("&gt;", out); break;
	case '"': fputs("&quot;", out); break;
	case '\'': fputs("&#39;", out); break;
	case '\t': fputs("&#9;", out); break;
	case '\n': fputs("&#10;", out); break;
	case '\r': fputs("&#13;", out); break;
	default:
		/* XML 1.0 has no place for other C0 controls, nor U+FFFE/U+FFFF;
		 * DEL and C1 controls are legal but invisible: show them as U+FFFD */
		if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp == 0xfffe || cp == 0xffff)
			cp = REPLACEMENT;
		put_utf8(out, cp);
	}
	return n;
}

void fs_escape__xml(FILE *out, const char *s, size_t len)
{
	size_t i = 0, run;

	while (i < len) {
		for (run = i; run < len && xml_plain((unsigned char)s[run]); run++)
			;
		if (run > i)
			fwrite(s + i, 1, run - i, out);
		i = run;
		if (i < len)
			i += xml_char(out, s + i, len - i);
	}
}

void fs_escape__xml_trunc(FILE *out, const char *s, size_t maxchars)
{
	size_t len = strlen(s), i = 0, n = 0, keep;
	uint32_t cp;

	if (fs_escape__utf8_chars(s, len) <= maxchars) {
		fs_escape__xml(out, s, len);
		return;
	}
	keep = maxchars >= 2 ? maxchars - 2 : 0;
	while (n < keep && i < len) {
		i += (unsigned char)s[i] < 0x80 ? 1 : fs_escape__utf8_next(s + i, len - i, &cp);
		n++;
	}
	fs_escape__xml(out, s, i);
	fwrite("..", 1, maxchars >= 2 ? 2 : maxchars, out);
}

static bool json_plain(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&';
}

void fs_escape__json(FILE *out, const char *s, size_t len)
{
	size_t i = 0, run;
	uint32_t cp;

	while (i < len) {
		for (run = i; run < len && json_plain((unsigned char)s[run]); run++)
			;
		if (run > i)
			fwrite(s + i, 1, run - i, out);
		i = run;
		if (i >= len)
			break;
		i += fs_escape__utf8_next(s + i, len - i, &cp);
		switch (cp) {
		case '"': fputs("\\\"", out); break;
		case '\\': fputs("\\\\", out); break;
		case '\n': fputs("\\n", out); break;
		case '\t': fputs("\\t", out); break;
		case '\r': fputs("\\r", out); break;
		default:
			if (cp < 0x20 || cp == 0x7f || cp == '<' || cp == '>' || cp == '&' ||
			    cp == 0x2028 || cp == 0x2029 || cp == REPLACEMENT)
				fprintf(out, "\\u%04x", (unsigned)cp);
			else
				put_utf8(out, cp);
		}
	}
}

void fs_escape__shell(FILE *out, const char *s)
{
	static const char plain[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
				    "0123456789_/.,:+=@%-";

	if (*s && strspn(s, plain) == strlen(s)) {
		fputs(s, out);
		return;
	}
	fputc('\'', out);
	for (; *s; s++) {
		if (*s == '\'')
			fputs("'\\''", out);
		else
			fputc(*s, out);
	}
	fputc('\'', out);
}
