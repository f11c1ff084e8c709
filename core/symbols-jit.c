// SPDX-License-Identifier: GPL-2.0-only
/*
 * JIT maps: /tmp/perf-PID.map, written by a runtime (node --perf-basic-prof,
 * a JVM agent) for its generated code, parsed as perf does (perfmap.c).
 */
#include <elf.h>
#include <string.h>
#include "perfmap.h"
#include "symbols-int.h"

static int perfmap_cb(void *arg, uint64_t start, uint64_t size, const char *name, size_t len)
{
	struct fs_symvec *vec = arg;
	char *p = fs_arena__alloc(vec->arena, len + 1);

	if (!p) {
		vec->nomem = true;
		return -1;
	}
	memcpy(p, name, len);
	p[len] = '\0';
	return fs_symvec__push(vec, start, size, STB_GLOBAL, 0, p, len);
}

int fs_symbolizer__load_jit(struct fs_symbolizer *s, struct fs_dso_entry *d, struct fs_symvec *vec)
{
	struct fs_error err = { "" };
	int n;

	/* perf opens the recorded path itself, not under the symfs */
	n = fs_perfmap__parse(d->pub.name, perfmap_cb, vec, &err);
	if (vec->nomem)
		return -1;
	if (n < 0)
		fs_symbolizer__warn(s, "no symbols for %s: %s", d->pub.name, err.msg);
	else if (n == 0)
		fs_symbolizer__warn(s, "no symbols for %s: the map is empty", d->pub.name);
	return 0;
}

