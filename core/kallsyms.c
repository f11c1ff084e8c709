// SPDX-License-Identifier: GPL-2.0-only
/*
 * The whole file is read into one buffer with big read()s (/proc/kallsyms
 * makes its text as it is read: fewer, larger reads cost less), then parsed
 * in place with perf's io__get_hex()/read_to_eol() rules (what a bad line
 * swallows), at most NAME_MAX_LEN name bytes per line.
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
#define READ_CHUNK (1024 * 1024)
/* A kernel with every module loaded lists a few hundred thousand lines, not a gigabyte. */
#define MAX_SIZE (128u << 20)

struct rd {
	const unsigned char *buf;
	size_t pos, len;
	bool eof;		/* a read past the end happened, as read() returning 0 */
};

static inline int rd_char(struct rd *r)
{
	if (r->pos == r->len) {
		r->eof = true;
		return -1;
	}
	return r->buf[r->pos++];
}

static const signed char hexval[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6, ['6'] = 7,
	['7'] = 8, ['8'] = 9, ['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14,
	['e'] = 15, ['f'] = 16, ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15,
	['F'] = 16,
};

/* Returns the character after the digits, -2 when there were none, -1 at end. */
static int rd_hex(struct rd *r, uint64_t *v)
{
	bool first = true;

	*v = 0;
	for (;;) {
		int c = rd_char(r), d;

		if (c < 0)
			return c;
		d = hexval[c];
		if (!d)
			return first ? -2 : c;
		*v = *v << 4 | (uint64_t)(d - 1);
		first = false;
	}
}

static void rd_to_eol(struct rd *r)
{
	const unsigned char *nl = memchr(r->buf + r->pos, '\n', r->len - r->pos);

	if (nl) {
		r->pos = (size_t)(nl - r->buf) + 1;
	} else {
		r->pos = r->len;
		r->eof = true;
	}
}

/* The file's bytes in *buf (malloc'ed); -1 with errno when it cannot be read (EFBIG: too big). */
static ssize_t read_all(int fd, unsigned char **buf)
{
	size_t len = 0, alloc = 0;
	unsigned char *b = NULL;

	for (;;) {
		ssize_t n;

		if (len >= MAX_SIZE) {	/* /dev/zero, or no kallsyms at all */
			free(b);
			errno = EFBIG;
			return -1;
		}
		if (alloc - len < READ_CHUNK) {
			unsigned char *nb = realloc(b, alloc ? alloc * 2 : 4 * READ_CHUNK);

			if (!nb) {
				free(b);
				errno = ENOMEM;
				return -1;
			}
			b = nb;
			alloc = alloc ? alloc * 2 : 4 * READ_CHUNK;
		}
		do
			n = read(fd, b + len, alloc - len);
		while (n < 0 && errno == EINTR);
		if (n <= 0)	/* perf stops at a read error as at the end */
			break;
		len += (size_t)n;
	}
	*buf = b;
	return (ssize_t)len;
}

int fs_kallsyms__parse(const char *path, fs_kallsyms_cb cb, void *arg, struct fs_error *err)
{
	char name[NAME_MAX_LEN + 1];
	unsigned char *buf;
	struct rd r = { 0 };
	ssize_t len;
	int ret = 0, fd;

	/* a FIFO nobody writes to is an empty file, not a hang (as O_NONBLOCK opens it) */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return fs_error__set(err, "%s: %s", path, strerror(errno));
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	len = read_all(fd, &buf);
	close(fd);
	if (len < 0 && errno == EFBIG)
		return fs_error__set(err, "%s: more than %u MiB: not a kallsyms file", path, MAX_SIZE >> 20);
	if (len < 0)
		return fs_error__set(err, "%s: %s", path, strerror(errno));
	r.buf = buf;
	r.len = (size_t)len;
	while (!r.eof) {
		const unsigned char *nl;
		uint64_t addr;
		size_t n, avail;
		int type;

		if (rd_hex(&r, &addr) != ' ') {
			rd_to_eol(&r);
			continue;
		}
		type = rd_char(&r);
		if (rd_char(&r) != ' ') {
			rd_to_eol(&r);
			continue;
		}
		/* the name: up to a newline (eaten), the end, or NAME_MAX_LEN bytes */
		avail = r.len - r.pos < NAME_MAX_LEN ? r.len - r.pos : NAME_MAX_LEN;
		nl = memchr(r.buf + r.pos, '\n', avail);
		n = nl ? (size_t)(nl - (r.buf + r.pos)) : avail;
		memcpy(name, r.buf + r.pos, n);
		name[n] = '\0';
		r.pos += n;
		if (nl)
			r.pos++;
		else if (n < NAME_MAX_LEN)
			r.eof = true;
		ret = cb(arg, name, n, (char)type, addr);
		if (ret)
			break;
	}
	free(buf);
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
