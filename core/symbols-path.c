// SPDX-License-Identifier: GPL-2.0-only
/*
 * Where perf 6.1 looks for a dso's symbols (util/symbol.c dso__load()'s
 * candidate list, util/build-id.c's cache paths, dso__find_kallsyms()), with
 * the symfs and build-id cache of the symbolizer's configuration. Only
 * paths are made here; the loaders open and check them.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "buildid.h"
#include "symbols-int.h"

void fs_symbolizer__join_symfs(const struct fs_symbolizer *s, char *buf, size_t size, const char *path)
{
	snprintf(buf, size, "%s%s%s", s->symfs, s->symfs[0] ? "/" : "", path);
}

static bool fits(int n, size_t size)
{
	return n >= 0 && (size_t)n < size;
}

static int debuglink_path(const struct fs_symbolizer *s, const char *name, char *buf, size_t size)
{
	char dir[4096], link[4096];
	size_t len;

	fs_symbolizer__join_symfs(s, buf, size, name);
	len = strlen(buf);
	while (len && buf[len] != '/')
		len--;
	snprintf(dir, sizeof(dir), "%.*s", (int)len, buf);
	if (!fs_is_regular_file(buf) || fs_buildid__read_debuglink(buf, link, sizeof(link)))
		return -1;
	/* perf's debuglink_paths[]: as is (from the cwd), DIR/, DIR/.debug/, /usr/lib/debugDIR/ */
	if (fits(snprintf(buf, size, "%s", link), size) && fs_is_regular_file(buf))
		return 0;
	if (fits(snprintf(buf, size, "%s/%s", dir, link), size) && fs_is_regular_file(buf))
		return 0;
	if (fits(snprintf(buf, size, "%s/.debug/%s", dir, link), size) && fs_is_regular_file(buf))
		return 0;
	if (fits(snprintf(buf, size, "/usr/lib/debug%s/%s", dir, link), size) && fs_is_regular_file(buf))
		return 0;
	return -1;
}

/* perf's dso__build_id_filename(): BUILDID_DIR/.build-id/xx/rest[/elf|debug|vdso]. */
static int cache_path(const struct fs_symbolizer *s, const struct fs_dso *dso, bool debug,
		      char *buf, size_t size)
{
	char hex[2 * FS_BUILD_ID_SIZE + 1];

	if (!dso->build_id_size)
		return -1;
	fs_buildid__sprintf(dso->build_id, dso->build_id_size, hex);
	snprintf(buf, size, "%s/.build-id/%.2s/%s", s->buildid_dir, hex, hex + 2);
	if (fs_is_regular_file(buf))	/* old-style cache: the link is the file */
		return 0;
	snprintf(buf + strlen(buf), size - strlen(buf), "/%s",
		 dso->kind == FS_DSO_VDSO ? "vdso" : debug ? "debug" : "elf");
	return 0;
}

int fs_symbolizer__candidate(const struct fs_symbolizer *s, const struct fs_dso *dso,
			     enum fs_sym_cand c, char *buf, size_t size)
{
	const char *name = dso->name, *slash;
	char hex[2 * FS_BUILD_ID_SIZE + 1];
	size_t len;

	switch (c) {
	case FS_CAND_DEBUGLINK:
		return debuglink_path(s, name, buf, size);
	case FS_CAND_BUILD_ID_CACHE:
	case FS_CAND_BUILD_ID_CACHE_DEBUG:
		return cache_path(s, dso, c == FS_CAND_BUILD_ID_CACHE_DEBUG, buf, size);
	case FS_CAND_FEDORA:
		fs_symbolizer__join_symfs(s, buf, size, "/usr/lib/debug");
		len = strlen(buf);
		snprintf(buf + len, size - len, "%s.debug", name);
		return 0;
	case FS_CAND_UBUNTU:
		fs_symbolizer__join_symfs(s, buf, size, "/usr/lib/debug");
		len = strlen(buf);
		snprintf(buf + len, size - len, "%s", name);
		return 0;
	case FS_CAND_BUILDID_DEBUGINFO:
		if (!dso->build_id_size)
			return -1;
		fs_buildid__sprintf(dso->build_id, dso->build_id_size, hex);
		fs_symbolizer__join_symfs(s, buf, size, "/usr/lib/debug/.build-id/");
		len = strlen(buf);
		snprintf(buf + len, size - len, "%.2s/%s.debug", hex, hex + 2);
		return 0;
	case FS_CAND_SYSTEM_PATH:
		fs_symbolizer__join_symfs(s, buf, size, name);
		return 0;
	case FS_CAND_OPENEMBEDDED:
		slash = strrchr(name, '/');
		if (!slash)
			slash = name;
		fs_symbolizer__join_symfs(s, buf, size, "");
		len = strlen(buf);
		snprintf(buf + len, size - len, "%.*s.debug%s", (int)(slash - name + 1), name, slash);
		return 0;
	case FS_CAND_MIXEDUP_UBUNTU:
		if (strncmp(name, "/usr/lib/", 9))
			return -1;
		fs_symbolizer__join_symfs(s, buf, size, "/usr/lib/debug");
		len = strlen(buf);
		snprintf(buf + len, size - len, "%s", name + 4);
		return 0;
	default:
		return -1;
	}
}

/* perf's dso__find_kallsyms() without kcore. */
int fs_symbolizer__kallsyms_path(const struct fs_symbolizer *s, const struct fs_dso *k,
				 char *buf, size_t size)
{
	uint8_t bid[FS_BUILD_ID_SIZE];
	char hex[2 * FS_BUILD_ID_SIZE + 1];
	int n;

	if (s->kallsyms) {
		snprintf(buf, size, "%s", s->kallsyms);
		return 0;
	}
	if (s->symfs[0])
		return -1;	/* perf: "do not try local files if a symfs was given" */
	if (!k->build_id_size) {
		snprintf(buf, size, "/proc/kallsyms");
		return 0;
	}
	n = fs_buildid__read_notes("/sys/kernel/notes", bid);
	if (n > 0 && fs_buildid__equal(k->build_id, k->build_id_size, bid, (size_t)n)) {
		snprintf(buf, size, "/proc/kallsyms");
		return 0;
	}
	fs_buildid__sprintf(k->build_id, k->build_id_size, hex);
	snprintf(buf, size, "%s/" FS_KERNEL_DSO "/%s/kallsyms", s->buildid_dir, hex);
	if (!access(buf, F_OK))
		return 0;
	snprintf(buf, size, "%s/" FS_KERNEL_DSO "/%s", s->buildid_dir, hex);
	return access(buf, F_OK) ? -1 : 0;
}

