// SPDX-License-Identifier: GPL-2.0-only
/*
 * A byte-at-a-time reader over a 64 KiB buffer: the rules (what a bad line
 * swallows) are perf's io__get_hex()/read_to_eol() ones, and a 5 MB file
 * parses in a few milliseconds.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "kallsyms.h"

#define NAME_MAX_LEN 513	/* perf's KSYM_NAME_LEN + 1 */

struct rd {
	int fd;
	bool eof;
	size_t pos, len;
	unsigned char buf[64 * 1024];
};

static int rd_char(struct rd *r)
{
	ssize_t n;

	if (r->pos == r->len) {
		if (r->eof)
			return -1;
		do
			n = read(r->fd, r->buf, sizeof(r->buf));
		while (n < 0 && errno == EINTR);
		if (n <= 0) {
			r->eof = true;
			return -1;
		}
		r->pos = 0;
		r->len = (size_t)n;
	}
	return r->buf[r->pos++];
}

/* Returns the character after the digits, -2 when there were none, -1 at end. */
static int rd_hex(struct rd *r, uint64_t *v)
{
	bool first = true;

	*v = 0;
	for (;;) {
		int c = rd_char(r), d;

		if (c < 0)
			return c;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return first ? -2 : c;
		*v = *v << 4 | (uint64_t)d;
		first = false;
	}
}

static void rd_to_eol(struct rd *r)
{
	int c;

	do
		c = rd_char(r);
	while (c >= 0 && c != '\n');
}

int fs_kallsyms__parse(const char *path, fs_kallsyms_cb cb, void *arg, struct fs_error *err)
{
	struct rd *rp = malloc(sizeof(*rp));	/* 64 KiB: off small thread stacks */
	char name[NAME_MAX_LEN + 1];
	int ret = 0;

	if (!rp)
		return fs_error__set(err, "%s: out of memory", path);
	memset(rp, 0, offsetof(struct rd, buf));
	rp->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (rp->fd < 0) {
		free(rp);
		return fs_error__set(err, "%s: %s", path, strerror(errno));
	}
	while (!rp->eof) {
		uint64_t addr;
		size_t i;
		int type, c;

		if (rd_hex(rp, &addr) != ' ') {
			rd_to_eol(rp);
			continue;
		}
		type = rd_char(rp);
		if (rd_char(rp) != ' ') {
			rd_to_eol(rp);
			continue;
		}
		for (i = 0; i < NAME_MAX_LEN; i++) {
			c = rd_char(rp);
			if (c < 0 || c == '\n')
				break;
			name[i] = (char)c;
		}
		name[i] = '\0';
		ret = cb(arg, name, i, (char)type, addr);
		if (ret)
			break;
	}
	close(rp->fd);
	free(rp);
	return ret;
}

struct find_arg {
	const char *name;
	uint64_t addr;
};

static int find_cb(void *arg, const char *name, size_t len, char type, uint64_t addr)
{
	struct find_arg *f = arg;

	char t = (char)(type & ~0x20);

	(void)len;
	/* perf's find_symbol_cb(): a function, or an 'A' alias as _text can be */
	if ((t != 'T' && t != 'W' && type != 'A') || strcmp(name, f->name))
		return 0;
	f->addr = addr;
	return 1;
}

int fs_kallsyms__find(const char *path, const char *name, uint64_t *addr)
{
	struct find_arg f = { name, 0 };

	if (fs_kallsyms__parse(path, find_cb, &f, NULL) != 1)
		return -1;
	*addr = f.addr;
	return 0;
}
