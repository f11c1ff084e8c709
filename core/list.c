// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "list.h"
#include "util.h"

/* A range may not expand into more values than this: "0-4000000000" is a typo. */
#define MAX_VALUES	(1u << 20)

static int number(const char **p, int64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoll(*p, &end, 10);
	if (end == *p || errno)
		return -1;
	*p = end;
	return 0;
}

int fs_list__ints(const char *s, bool ranges, int64_t lo, int64_t hi, int64_t **out, size_t *nr,
		  int64_t *bad)
{
	const char *p = s;
	int64_t *v = NULL;
	size_t n = 0, alloc = 0;

	while (*p) {
		int64_t a, b;

		if (number(&p, &a))
			goto malformed;
		b = a;
		if (ranges && *p == '-') {
			p++;
			if (number(&p, &b) || b < a)
				goto malformed;
		}
		if (a < lo || a > hi || b > hi) {
			*bad = a < lo || a > hi ? a : hi + 1;
			free(v);
			return -2;
		}
		if ((uint64_t)b - (uint64_t)a >= MAX_VALUES - n ||
		    FS_GROW(v, alloc, n + (size_t)((uint64_t)b - (uint64_t)a) + 1))
			goto malformed;
		for (int64_t x = a; x <= b; x++)
			v[n++] = x;
		if (*p == ',')
			p++;
		else if (*p)
			goto malformed;
	}
	if (!n)
		goto malformed;
	*out = v;
	*nr = n;
	return 0;
malformed:
	free(v);
	return -1;
}

int fs_list__strs(const char *s, char ***out, size_t *nr)
{
	size_t len = strlen(s), n = 0, max = 1;
	char **v, *copy, *tok, *save = NULL;

	for (const char *c = s; *c; c++)
		max += *c == ',';
	v = malloc(max * sizeof(*v) + len + 1);
	if (!v)
		return -1;
	copy = (char *)(v + max);
	memcpy(copy, s, len + 1);
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		v[n++] = tok;
	if (!n) {
		free(v);
		return -1;
	}
	*out = v;
	*nr = n;
	return 0;
}
