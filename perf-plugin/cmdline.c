// SPDX-License-Identifier: GPL-2.0-only
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cmdline.h"

int cmdline__add(struct cmdline *cl, const char *w)
{
	char *copy;

	if (cl->nr == cl->alloc) {
		uint32_t n = cl->alloc ? 2 * cl->alloc : 16;
		char **words = realloc(cl->words, n * sizeof(*words));

		if (!words)
			return -1;
		cl->words = words;
		cl->alloc = n;
	}
	copy = strdup(w);
	if (!copy)
		return -1;
	cl->words[cl->nr++] = copy;
	return 0;
}

static int add2(struct cmdline *cl, const char *opt, const char *val)
{
	return cmdline__add(cl, opt) || cmdline__add(cl, val);
}

/* A path made absolute (its real path when it exists), so the command runs from anywhere. */
static int add_path(struct cmdline *cl, const char *opt, const char *path)
{
	char *real, *abs = NULL;
	int r;

	if (!path)
		return 0;
	if (!strcmp(path, "-"))
		return add2(cl, opt, path);
	real = realpath(path, NULL);
	if (!real && path[0] != '/') {
		char cwd[PATH_MAX];

		if (getcwd(cwd, sizeof(cwd)) && asprintf(&abs, "%s/%s", cwd, path) < 0)
			abs = NULL;
	}
	r = add2(cl, opt, real ? real : abs ? abs : path);
	free(real);
	free(abs);
	return r;
}

/* 1,2,3,7 as "1-3,7" for cpus, as a list for ids. */
static int add_list(struct cmdline *cl, const char *opt, const int32_t *v, uint32_t n, bool ranges)
{
	char *s = NULL;
	size_t len = 0;
	FILE *m;
	int r;

	if (!n)
		return 0;
	m = open_memstream(&s, &len);
	if (!m)
		return -1;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t j = i;

		while (ranges && j + 1 < n && v[j + 1] == v[j] + 1)
			j++;
		fprintf(m, "%s%d", i ? "," : "", v[i]);
		if (j > i + 1) {
			fprintf(m, "-%d", v[j]);
			i = j;
		}
	}
	if (fclose(m))
		return -1;
	r = add2(cl, opt, s);
	free(s);
	return r;
}

static int add_picks(struct cmdline *cl, const struct cli *c)
{
	const struct fs_filter *f = &c->filter;
	int r = 0;

	if (c->event)
		r |= add2(cl, "--event", c->event);
	r |= add_list(cl, "--pid", f->pids, f->nr_pids, false);
	r |= add_list(cl, "--tid", f->tids, f->nr_tids, false);
	if (f->nr_comms) {
		size_t len = 0;
		char *s;

		for (uint32_t i = 0; i < f->nr_comms; i++)
			len += strlen(f->comms[i]) + 1;
		s = calloc(1, len + 1);
		if (!s)
			return -1;
		for (uint32_t i = 0; i < f->nr_comms; i++) {
			if (i)
				strcat(s, ",");
			strcat(s, f->comms[i]);
		}
		r |= add2(cl, "--comm", s);
		free(s);
	}
	if (f->include_idle)
		r |= cmdline__add(cl, "--include-idle");
	if (f->idle_rule == FS_IDLE_LEAF)
		r |= add2(cl, "--idle-rule", "leaf");
	if (f->weight != FS_WEIGHT_SAMPLES)
		r |= add2(cl, "--weight", f->weight == FS_WEIGHT_PERIOD ? "period" : "offcpu");
	return r;
}

int cmdline__init(struct cmdline *cl, const struct cli *c, bool picks)
{
	const struct fs_symbolizer_config *sy = &c->cfg.syms;
	char num[16];
	int r;

	memset(cl, 0, sizeof(*cl));
	r = cmdline__add(cl, "flamescope") | cmdline__add(cl, "flamegraph") | add_path(cl, "-i", c->input);
	if (picks)
		r |= add_picks(cl, c);
	r |= add_list(cl, "--cpu", (const int32_t *)c->filter.cpus, c->filter.nr_cpus, true);
	if (c->time_spec)
		r |= add2(cl, "--time", c->time_spec);
	if (c->tp_filter)
		r |= add2(cl, "--filter", c->tp_filter);
	r |= add_path(cl, "--symfs", sy->symfs) | add_path(cl, "--buildid-dir", sy->buildid_dir) |
	     add_path(cl, "--kallsyms", sy->kallsyms);
	if (c->cfg.max_stack) {
		snprintf(num, sizeof(num), "%d", c->cfg.max_stack);
		r |= add2(cl, "--max-stack", num);
	}
	if (r)
		cmdline__exit(cl);
	return r ? -1 : 0;
}

void cmdline__exit(struct cmdline *cl)
{
	for (uint32_t i = 0; i < cl->nr; i++)
		free(cl->words[i]);
	free(cl->words);
	memset(cl, 0, sizeof(*cl));
}

/* Plain words as they are; others in single quotes, each ' as '\'' (as the page's script quotes). */
static bool plain(const char *w)
{
	if (!*w)
		return false;
	for (; *w; w++)
		if (!((*w >= 'a' && *w <= 'z') || (*w >= 'A' && *w <= 'Z') || (*w >= '0' && *w <= '9') ||
		      strchr("_/.,:+=@%-", *w)))
			return false;
	return true;
}

char *cmdline__join(const struct cmdline *cl)
{
	char *s = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&s, &len);

	if (!m)
		return NULL;
	for (uint32_t i = 0; i < cl->nr; i++) {
		const char *w = cl->words[i];

		if (i)
			fputc(' ', m);
		if (plain(w)) {
			fputs(w, m);
			continue;
		}
		fputc('\'', m);
		for (; *w; w++) {
			if (*w == '\'')
				fputs("'\\''", m);
			else
				fputc(*w, m);
		}
		fputc('\'', m);
	}
	if (fclose(m)) {
		free(s);
		return NULL;
	}
	return s;
}
