// SPDX-License-Identifier: GPL-2.0-only
/*
 * The fallback order and the Rust/OCaml/Java rules follow perf 6.1's
 * demangle_sym() (util/symbol-elf.c) and util/demangle-*.c, so that names
 * come out byte for byte as perf prints them.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <libiberty/demangle.h>
#include "demangle.h"
#include "util.h"

#define RUST_HASH_LEN 19	/* "::h" and 16 hex digits */

/* Rust's "$XX$" escapes and what perf turns them into. */
static const struct {
	const char *seq;
	char c;
} rust_escapes[] = {
	{ "$C$", ',' }, { "$SP$", '@' }, { "$BP$", '*' }, { "$RF$", '&' },
	{ "$LT$", '<' }, { "$GT$", '>' }, { "$LP$", '(' }, { "$RP$", ')' },
	{ "$u20$", ' ' }, { "$u27$", '\'' }, { "$u5b$", '[' }, { "$u5d$", ']' },
	{ "$u7e$", '~' },
};

static int rust_escape(const char *s, char *c)
{
	for (size_t i = 0; i < ARRAY_SIZE(rust_escapes); i++) {
		size_t len = strlen(rust_escapes[i].seq);

		if (!strncmp(s, rust_escapes[i].seq, len)) {
			if (c)
				*c = rust_escapes[i].c;
			return (int)len;
		}
	}
	return 0;
}

/* The hash suffix perf recognises: 16 lower-case hex digits, 5 to 15 distinct. */
static bool rust_hash(const char *s)
{
	unsigned int seen = 0, count = 0;

	if (strncmp(s, "::h", 3))
		return false;
	for (int i = 3; i < RUST_HASH_LEN; i++) {
		int d;

		if (s[i] >= '0' && s[i] <= '9')
			d = s[i] - '0';
		else if (s[i] >= 'a' && s[i] <= 'f')
			d = s[i] - 'a' + 10;
		else
			return false;
		seen |= 1u << d;
	}
	for (int d = 0; d < 16; d++)
		count += (seen >> d) & 1;
	return count >= 5 && count <= 15;
}

static bool rust_legacy_is_mangled(const char *s)
{
	size_t len = strlen(s), body;

	if (len <= RUST_HASH_LEN)
		return false;
	body = len - RUST_HASH_LEN;
	if (!rust_hash(s + body))
		return false;
	for (size_t i = 0; i < body;) {
		char c = s[i];
		int n;

		if (c == '$') {
			n = rust_escape(s + i, NULL);
			if (!n)
				return false;
			i += n;
		} else if (c == '.' && !strncmp(s + i, "...", 3)) {
			return false;
		} else if (isalnum((unsigned char)c) || c == '.' || c == '_' || c == ':') {
			i++;
		} else {
			return false;
		}
	}
	return true;
}

/* In place; stops (keeping what was written) at anything unexpected, as perf does. */
static void rust_legacy_clean(char *s)
{
	char *out = s;
	const char *in = s, *end = s + strlen(s) - RUST_HASH_LEN;

	while (in < end) {
		int n;

		if (*in == '$') {
			n = rust_escape(in, out);
			if (!n)
				break;
			in += n;
			out++;
		} else if (*in == '_') {
			if ((in == s || in[-1] == ':') && in[1] == '$')
				in++;
			else
				*out++ = *in++;
		} else if (*in == '.') {
			if (in[1] == '.') {
				*out++ = ':';
				*out++ = ':';
				in += 2;
			} else {
				*out++ = '-';
				in++;
			}
		} else if (isalnum((unsigned char)*in) || *in == ':') {
			*out++ = *in++;
		} else {
			break;
		}
	}
	*out = '\0';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	return tolower((unsigned char)c) - 'a' + 10;
}

/* "camlModule__f_123" -> "Module.f_123"; "$xx" is a hex-coded byte. */
static char *ocaml_demangle_name(const char *s)
{
	size_t len = strlen(s), j = 0;
	char *r;

	if (strncmp(s, "caml", 4) || !isupper((unsigned char)s[4]))
		return NULL;
	r = malloc(len + 1);
	if (!r)
		return NULL;
	for (size_t i = 4; i < len;) {
		if (s[i] == '_' && s[i + 1] == '_') {
			r[j++] = '.';
			i += 2;
		} else if (s[i] == '$' && isxdigit((unsigned char)s[i + 1]) &&
			   isxdigit((unsigned char)s[i + 2])) {
			r[j++] = (char)(hexval(s[i + 1]) << 4 | hexval(s[i + 2]));
			i += 3;
		} else {
			r[j++] = s[i++];
		}
	}
	r[j] = '\0';
	return r;
}

/* perf's Java demangler states: before the class, in it, the method, its types */
enum { J_PREFIX, J_CLASS, J_FUNC, J_TYPE, J_CTYPE };

struct jbuf {
	char *buf;
	size_t len, max;
};

/* Appends as scnprintf() into buf[max] would: truncated, always terminated. */
static void jput(struct jbuf *b, const char *s)
{
	size_t n = strlen(s);

	if (b->len + 1 >= b->max)
		return;
	if (n > b->max - b->len - 1)
		n = b->max - b->len - 1;
	memcpy(b->buf + b->len, s, n);
	b->len += n;
}

static const char *java_base_type(char c)
{
	switch (c) {
	case 'B': return "byte";
	case 'C': return "char";
	case 'D': return "double";
	case 'F': return "float";
	case 'I': return "int";
	case 'J': return "long";
	case 'S': return "short";
	case 'Z': return "boolean";
	default: return NULL;
	}
}

/*
 * "Ljava/lang/String;indexOf(I)I" -> "java.lang.String.indexOf(int)": the
 * rules of perf's java_demangle_sym(name, JAVA_DEMANGLE_NORET), return type
 * dropped; NULL where perf gives up.
 */
static char *java_demangle(const char *str)
{
	const char *end = strrchr(str, ')'), *q;
	struct jbuf b;
	int mode = J_PREFIX, array = 0, narg = 0;

	if (!end)
		return NULL;
	end++;
	b.max = strlen(str) * 3 + 1;
	b.buf = malloc(b.max);
	b.len = 0;
	if (!b.buf)
		return NULL;
	for (q = str; q != end && b.len != b.max - 1; q++) {
		const char *base = java_base_type(*q);

		if (*q == 'L' && (mode == J_PREFIX || mode == J_TYPE)) {
			if (mode == J_TYPE && narg++)
				jput(&b, ", ");
			mode = mode == J_PREFIX ? J_CLASS : J_CTYPE;
		} else if ((base || *q == 'V') && mode == J_TYPE) {
			if (base && narg)
				jput(&b, ", ");
			jput(&b, base ? base : "void");
			while (array--)
				jput(&b, "[]");
			array = 0;
			if (base)
				narg++;
		} else if (*q == '[') {
			if (mode != J_TYPE)
				goto error;
			array++;
		} else if (*q == '(') {
			if (mode != J_FUNC)
				goto error;
			b.buf[b.len++] = *q;
			mode = J_TYPE;
		} else if (*q == ')') {
			if (mode != J_TYPE)
				goto error;
			b.buf[b.len++] = *q;
			narg = 0;
		} else if (*q == ';') {
			if (mode != J_CLASS && mode != J_CTYPE)
				goto error;
			if (isalpha((unsigned char)q[1]) && mode == J_CLASS)
				jput(&b, ".");
			mode = mode == J_CLASS ? J_FUNC : J_TYPE;
		} else if (*q == '/') {
			if (mode != J_CLASS && mode != J_CTYPE)
				goto error;
			jput(&b, ".");
		} else {
			b.buf[b.len++] = *q;
		}
	}
	b.buf[b.len] = '\0';
	return b.buf;
error:
	free(b.buf);
	return NULL;
}

char *fs_demangle(const char *name)
{
	char *d = cplus_demangle(name, 0);

	if (!d) {
		d = ocaml_demangle_name(name);
		if (!d)
			d = java_demangle(name);
		return d;
	}
	if (rust_legacy_is_mangled(d))
		rust_legacy_clean(d);
	return d;
}
