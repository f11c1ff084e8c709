// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_escape: the escaping of untrusted names into SVG and JSON. Beyond
 * memory safety, every output must hold escape.h's promises, checked here:
 * valid UTF-8 (no surrogates, no overlong forms), no character XML 1.0
 * forbids; no raw '<' or '>' and every '&' an entity (XML); in JSON, no raw
 * control character, '<', '>' or '&', quotes and backslashes escaped, and
 * only JSON's escapes; xml_trunc keeps at most maxchars characters.
 */
#include <stdbool.h>
#include "fuzz.h"
#include "escape.h"

/* Valid UTF-8 without raw control characters (nor U+FFFE, U+FFFF for XML 1.0). */
static bool valid_utf8(const unsigned char *s, size_t len, bool xml, size_t *chars)
{
	size_t i = 0, n = 0;

	while (i < len) {
		uint32_t c = s[i], min;
		size_t k;

		if (c < 0x80) {
			k = 1;
			min = 0;
		} else if (c >= 0xc0 && c < 0xe0) {
			k = 2;
			c &= 0x1f;
			min = 0x80;
		} else if (c >= 0xe0 && c < 0xf0) {
			k = 3;
			c &= 0x0f;
			min = 0x800;
		} else if (c >= 0xf0 && c < 0xf8) {
			k = 4;
			c &= 0x07;
			min = 0x10000;
		} else {
			return false;
		}
		if (i + k > len)
			return false;
		for (size_t j = 1; j < k; j++) {
			if ((s[i + j] & 0xc0) != 0x80)
				return false;
			c = c << 6 | (s[i + j] & 0x3f);
		}
		if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff) ||
		    (xml && (c == 0xfffe || c == 0xffff)))
			return false;
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
			return false;
		i += k;
		n++;
	}
	*chars = n;
	return true;
}

static void check_xml(const char *o, size_t len)
{
	size_t chars;

	if (!valid_utf8((const unsigned char *)o, len, true, &chars))
		abort();
	for (size_t i = 0; i < len; i++) {
		if (o[i] == '<' || o[i] == '>' || o[i] == '\n' || o[i] == '\r' || o[i] == '\t')
			abort();	/* raw: markup, or whitespace attribute normalisation eats */
		if (o[i] == '&') {
			const char *semi = memchr(o + i, ';', len - i);
			size_t n = semi ? (size_t)(semi - (o + i)) : 0;

			if (!semi || n < 2 || n > 9)
				abort();
			if (o[i + 1] == '#') {
				for (size_t j = i + 2; j < i + n; j++)
					if (!(o[j] >= '0' && o[j] <= '9') && !(j == i + 2 && o[j] == 'x') &&
					    !((o[j] | 32) >= 'a' && (o[j] | 32) <= 'f' && o[i + 2] == 'x'))
						abort();
			} else if (strncmp(o + i, "&amp;", 5) && strncmp(o + i, "&lt;", 4) &&
				   strncmp(o + i, "&gt;", 4) && strncmp(o + i, "&quot;", 6) &&
				   strncmp(o + i, "&apos;", 6)) {
				abort();
			}
		}
	}
}

static void check_json(const char *o, size_t len)
{
	size_t chars;

	if (!valid_utf8((const unsigned char *)o, len, false, &chars))
		abort();
	for (size_t i = 0; i < len; i++) {
		unsigned char c = o[i];

		if (c < 0x20 || c == '"' || c == '<' || c == '>' || c == '&')
			abort();
		if (c == 0xe2 && i + 2 < len && (unsigned char)o[i + 1] == 0x80 &&
		    ((unsigned char)o[i + 2] == 0xa8 || (unsigned char)o[i + 2] == 0xa9))
			abort();	/* U+2028, U+2029: line ends in JavaScript */
		if (c == '\\') {
			if (i + 1 >= len || !strchr("\"\\/bfnrtu", o[i + 1]))
				abort();
			if (o[i + 1] == 'u') {
				for (size_t j = i + 2; j < i + 6; j++)
					if (j >= len || !strchr("0123456789abcdefABCDEF", o[j]))
						abort();
				i += 5;
			} else {
				i++;
			}
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t maxchars = size ? data[0] % 64 : 0, len, chars;
	const char *s = (const char *)data + (size ? 1 : 0);
	size_t n = size ? size - 1 : 0;
	char *buf = NULL, *name;
	FILE *f;

	f = open_memstream(&buf, &len);
	if (!f)
		abort();
	fs_escape__xml(f, s, n);
	fflush(f);
	check_xml(buf, len);
	fclose(f);
	free(buf);

	f = open_memstream(&buf, &len);
	fs_escape__json(f, s, n);
	fflush(f);
	check_json(buf, len);
	fclose(f);
	free(buf);

	/* xml_trunc takes a C string */
	name = malloc(n + 1);
	if (!name)
		abort();
	memcpy(name, s, n);
	name[n] = 0;
	f = open_memstream(&buf, &len);
	fs_escape__xml_trunc(f, name, maxchars);
	fflush(f);
	check_xml(buf, len);
	fclose(f);
	if (fs_escape__utf8_chars(name, strlen(name)) <= maxchars && buf && maxchars >= 3) {
		/* short enough: unchanged but for the escaping, no ".." cut */
		char *full = NULL;
		size_t flen;
		FILE *g = open_memstream(&full, &flen);

		fs_escape__xml(g, name, strlen(name));
		fclose(g);
		if (flen != len || memcmp(full, buf, len))
			abort();
		free(full);
	}
	free(buf);
	(void)chars;
	free(name);
	return 0;
}
