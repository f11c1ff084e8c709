// SPDX-License-Identifier: GPL-2.0-only
/*
 * The whole file is read into one buffer with big read()s (/proc/kallsyms
 * makes its text as it is read: fewer, larger reads cost less), by a second
 * thread, while this one parses the whole lines read so far in place with
 * perf's io__get_hex()/read_to_eol() rules (what a bad line swallows), at
 * most NAME_MAX_LEN name bytes per line: the kernel's formatting and our
 * parsing overlap.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
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

/*
 * The reading thread's side: it reads the file into buf (a MAX_SIZE
 * reservation, touched only as far as the file goes) and publishes how far
 * it got; the parser takes whole lines as they come.
 */
struct feed {
	int fd;
	unsigned char *buf;
	size_t len;			/* bytes read so far */
	int done;			/* 0 reading, 1 at the end, -1 failed (err_no) */
	int err_no;
	bool stop;			/* the parser has seen enough */
	pthread_mutex_t lock;
	pthread_cond_t cond;
};

static void *feed_read(void *arg)
{
	struct feed *f = arg;
	size_t len = 0;
	int done = 0, err_no = 0;

	while (!done) {
		ssize_t n;
		bool stop;

		pthread_mutex_lock(&f->lock);
		stop = f->stop;
		pthread_mutex_unlock(&f->lock);
		if (stop)
			break;
		if (len >= MAX_SIZE) {	/* /dev/zero, or no kallsyms at all */
			done = -1;
			err_no = EFBIG;
			break;
		}
		do
			n = read(f->fd, f->buf + len, MAX_SIZE - len < READ_CHUNK ? MAX_SIZE - len : READ_CHUNK);
		while (n < 0 && errno == EINTR);
		if (n <= 0)	/* perf stops at a read error as at the end */
			done = 1;
		else
			len += (size_t)n;
		pthread_mutex_lock(&f->lock);
		f->len = len;
		pthread_cond_signal(&f->cond);
		pthread_mutex_unlock(&f->lock);
	}
	pthread_mutex_lock(&f->lock);
	f->done = done ? done : 1;
	f->err_no = err_no;
	pthread_cond_signal(&f->cond);
	pthread_mutex_unlock(&f->lock);
	return NULL;
}

/*
 * Waits for lines past from: how far the parser may go (the end of the
 * last whole line, or of the file once it is all read); *last when no
 * more will come; -1 with errno when the read failed.
 */
static ssize_t feed_wait(struct feed *f, size_t from, bool *last)
{
	size_t scanned = from;	/* holds no newline */

	for (;;) {
		const unsigned char *nl;
		size_t len;
		int done;

		pthread_mutex_lock(&f->lock);
		while (!f->done && f->len <= scanned)
			pthread_cond_wait(&f->cond, &f->lock);
		len = f->len;
		done = f->done;
		pthread_mutex_unlock(&f->lock);
		if (done < 0) {
			errno = f->err_no;
			return -1;
		}
		*last = done > 0;
		if (*last)
			return (ssize_t)len;
		nl = memrchr(f->buf + scanned, '\n', len - scanned);
		if (nl)
			return nl - f->buf + 1;
		scanned = len;	/* a partial line: wait for its end (or the file's) */
	}
}

/* The parse, a line at a time, as the lines arrive. */
static int parse(struct feed *f, fs_kallsyms_cb cb, void *arg, const char *path, struct fs_error *err)
{
	char name[NAME_MAX_LEN + 1];
	struct rd r = { .buf = f->buf };
	bool last = false;
	int ret = 0;

	while (!r.eof) {
		const unsigned char *nl;
		uint64_t addr;
		size_t n, avail;
		int type;

		if (r.pos == r.len && !last) {
			ssize_t len = feed_wait(f, r.pos, &last);

			if (len < 0 && errno == EFBIG)
				return fs_error__set(err, "%s: more than %u MiB: not a kallsyms file", path, MAX_SIZE >> 20);
			if (len < 0)
				return fs_error__set(err, "%s: %s", path, strerror(errno));
			r.len = (size_t)len;
		}
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
	return ret;
}

int fs_kallsyms__parse(const char *path, fs_kallsyms_cb cb, void *arg, struct fs_error *err)
{
	struct feed f = { .lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER };
	pthread_t reader;
	sigset_t all, old;
	bool started;
	int ret;

	/* a FIFO nobody writes to is an empty file, not a hang (as O_NONBLOCK opens it) */
	f.fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (f.fd < 0)
		return fs_error__set(err, "%s: %s", path, strerror(errno));
	fcntl(f.fd, F_SETFL, fcntl(f.fd, F_GETFL) & ~O_NONBLOCK);
	f.buf = mmap(NULL, MAX_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		     -1, 0);
	if (f.buf == MAP_FAILED) {
		close(f.fd);
		return fs_error__set(err, "%s: %s", path, strerror(ENOMEM));
	}
	/* the kernel makes /proc/kallsyms' text as it is read: a second thread reads while this one parses */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	started = !pthread_create(&reader, NULL, feed_read, &f);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!started)
		feed_read(&f);	/* no thread: all of it first */
	ret = parse(&f, cb, arg, path, err);
	if (started) {
		pthread_mutex_lock(&f.lock);
		f.stop = true;	/* after a callback's stop, or an error: no more reading */
		pthread_mutex_unlock(&f.lock);
		pthread_join(reader, NULL);
	}
	close(f.fd);
	munmap(f.buf, MAX_SIZE);
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
