// SPDX-License-Identifier: GPL-2.0-only
/*
 * Records for what already runs, from /proc, laid out as perf's
 * util/synthetic-events.c lays them out (perf_event__synthesize_mmap_events,
 * _comm, _kernel_mmap, _modules): strings NUL-padded to 8 bytes, then the
 * zeroed sample_id_all trailer.
 */
#include <ctype.h>
#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "kallsyms.h"
#include "synth.h"

#define MAX_TRAILER	64

union record {
	union perf_event ev;
	struct perf_record_mmap2 mmap2;	/* the largest we write */
	char bytes[sizeof(struct perf_record_mmap2) + MAX_TRAILER];
};

/* Copies name NUL-padded to 8 bytes at dst and returns the record size with the trailer. */
static size_t put_name(char *dst, const char *name, size_t room, size_t head, uint16_t trailer)
{
	size_t len = strlen(name), padded;

	if (len > room - 1)
		len = room - 1;
	padded = (len + 1 + 7) & ~(size_t)7;
	memcpy(dst, name, len);
	memset(dst + len, 0, padded - len + trailer);
	return head + padded + trailer;
}

static int emit_mmap(uint32_t pid, uint32_t tid, uint16_t misc, uint64_t start, uint64_t len,
		     uint64_t pgoff, const char *name, uint16_t trailer, fs_synth_cb cb, void *arg)
{
	union record r;
	struct perf_record_mmap *m = &r.ev.mmap;
	size_t size;

	memset(m, 0, offsetof(struct perf_record_mmap, filename));
	m->pid = pid;
	m->tid = tid;
	m->start = start;
	m->len = len;
	m->pgoff = pgoff;
	size = put_name(m->filename, name, sizeof(m->filename),
			offsetof(struct perf_record_mmap, filename), trailer);
	m->header = (struct perf_event_header){ PERF_RECORD_MMAP, misc, (uint16_t)size };
	return cb(arg, &r.ev);
}

struct ksyms {
	uint64_t text, etext;
};

static int find_text(void *arg, const char *name, size_t len, char type, uint64_t addr)
{
	struct ksyms *k = arg;

	(void)type;
	if (len == 5 && !memcmp(name, "_text", 5) && !k->text)
		k->text = addr;
	else if (len == 6 && !memcmp(name, "_etext", 6) && !k->etext)
		k->etext = addr;
	return k->text && k->etext;
}

static int synth_modules(uint16_t trailer, fs_synth_cb cb, void *arg)
{
	FILE *f = fopen("/proc/modules", "r");
	char line[1024], name[256], state[32];
	unsigned long long size, addr;
	int ret = 0;

	if (!f)
		return 0;	/* a kernel without modules */
	while (!ret && fgets(line, sizeof(line), f)) {
		char mod[260];

		/* "name size refcount deps state address" */
		if (sscanf(line, "%255s %llu %*s %*s %31s %llx", name, &size, state, &addr) != 4 || !addr)
			continue;
		snprintf(mod, sizeof(mod), "[%s]", name);
		ret = emit_mmap(-1, 0, PERF_RECORD_MISC_KERNEL, addr, size, 0, mod, trailer, cb, arg);
	}
	fclose(f);
	return ret;
}

int fs_synth__kernel(const char *kallsyms, uint16_t trailer, fs_synth_cb cb, void *arg)
{
	struct ksyms k = { 0, 0 };
	int ret;

	if (trailer > MAX_TRAILER)
		return -1;
	if (fs_kallsyms__parse(kallsyms, find_text, &k, NULL) < 0 || !k.text)
		return 0;	/* hidden (kptr_restrict) or unreadable: no kernel map */
	/* perf names the map after its reference symbol; pgoff carries that symbol's address */
	ret = emit_mmap(-1, 0, PERF_RECORD_MISC_KERNEL, k.text,
			k.etext > k.text ? k.etext - k.text : 0, k.text, "[kernel.kallsyms]_text",
			trailer, cb, arg);
	return ret ? ret : synth_modules(trailer, cb, arg);
}

static int read_line(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return -1;
	n = fread(buf, 1, size - 1, f);
	fclose(f);
	buf[n] = '\0';
	if (n && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	return 0;
}

static int emit_comm(int32_t pid, int32_t tid, const char *comm, uint16_t trailer,
		     fs_synth_cb cb, void *arg)
{
	union record r;
	struct perf_record_comm *c = &r.ev.comm;
	size_t size;

	c->pid = pid;
	c->tid = tid;
	size = put_name(c->comm, comm, 16, offsetof(struct perf_record_comm, comm), trailer);
	c->header = (struct perf_event_header){ PERF_RECORD_COMM, 0, (uint16_t)size };
	return cb(arg, &r.ev);
}

static int synth_threads(int32_t pid, uint16_t trailer, fs_synth_cb cb, void *arg)
{
	char path[64], comm[64];
	struct dirent *d;
	DIR *dir;
	int ret = 0;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	dir = opendir(path);
	if (!dir)
		return 0;
	while (!ret && (d = readdir(dir))) {
		int32_t tid = atoi(d->d_name);

		if (tid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%d/comm", pid, tid);
		if (read_line(path, comm, sizeof(comm)))
			continue;
		ret = emit_comm(pid, tid, comm, trailer, cb, arg);
	}
	closedir(dir);
	return ret;
}

/* One /proc/PID/maps line as an MMAP2 record, if executable. */
static int maps_line(int32_t pid, char *line, uint16_t trailer, fs_synth_cb cb, void *arg)
{
	unsigned long long start, end, pgoff, ino;
	unsigned int maj, min;
	char perms[8], *name;
	union record r;
	struct perf_record_mmap2 *m = &r.mmap2;
	int pos = 0;
	size_t size, len;

	if (sscanf(line, "%llx-%llx %7s %llx %x:%x %llu %n", &start, &end, perms, &pgoff,
		   &maj, &min, &ino, &pos) < 7 || strlen(perms) < 4 || perms[2] != 'x' || end <= start)
		return 0;
	name = line + pos;
	while (isspace((unsigned char)*name))
		name++;
	len = strlen(name);
	if (len && name[len - 1] == '\n')
		name[--len] = '\0';
	if (!len)
		name = "//anon";
	memset(m, 0, offsetof(struct perf_record_mmap2, filename));
	m->pid = pid;
	m->tid = pid;
	m->start = start;
	m->len = end - start;
	m->pgoff = pgoff;
	m->maj = maj;
	m->min = min;
	m->ino = ino;
	m->prot = (perms[0] == 'r' ? PROT_READ : 0) | (perms[1] == 'w' ? PROT_WRITE : 0) | PROT_EXEC;
	m->flags = perms[3] == 's' ? MAP_SHARED : MAP_PRIVATE;
	size = put_name(m->filename, name, sizeof(m->filename),
			offsetof(struct perf_record_mmap2, filename), trailer);
	m->header = (struct perf_event_header){ PERF_RECORD_MMAP2, PERF_RECORD_MISC_USER, (uint16_t)size };
	return cb(arg, &r.ev);
}

static int synth_maps(int32_t pid, uint16_t trailer, fs_synth_cb cb, void *arg)
{
	char path[64], *line = NULL;
	size_t cap = 0;
	FILE *f;
	int ret = 0;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (!ret && getline(&line, &cap, f) > 0)
		ret = maps_line(pid, line, trailer, cb, arg);
	free(line);
	fclose(f);
	return ret;
}

int fs_synth__process(int32_t pid, uint16_t trailer, fs_synth_cb cb, void *arg)
{
	int ret;

	if (trailer > MAX_TRAILER)
		return -1;
	ret = synth_threads(pid, trailer, cb, arg);
	return ret ? ret : synth_maps(pid, trailer, cb, arg);
}

int fs_synth__all(uint16_t trailer, fs_synth_cb cb, void *arg)
{
	DIR *dir = opendir("/proc");
	struct dirent *d;
	int ret = 0;

	if (!dir)
		return -1;
	while (!ret && (d = readdir(dir))) {
		int32_t pid = atoi(d->d_name);

		if (pid > 0)
			ret = fs_synth__process(pid, trailer, cb, arg);
	}
	closedir(dir);
	return ret;
}
