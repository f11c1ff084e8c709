// SPDX-License-Identifier: GPL-2.0-only
/* The out-of-line half of util.h. */
#include <stdlib.h>
#include <string.h>
#include "util.h"

int fs_grow_alloc(void *arrp, size_t *alloc, size_t need, size_t size)
{
	size_t n = *alloc ? *alloc : 16;
	void *arr, *p;

	while (n < need) {
		if (n > SIZE_MAX / 2)
			return -1;
		n *= 2;
	}
	if (!size || n > SIZE_MAX / size)
		return -1;
	memcpy(&arr, arrp, sizeof(arr));	/* arrp is a T **, whatever T */
	p = realloc(arr, n * size);
	if (!p)
		return -1;
	memcpy(arrp, &p, sizeof(p));
	*alloc = n;
	return 0;
}
