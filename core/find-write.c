// SPDX-License-Identifier: GPL-2.0-only
/*
 * Findings as text (a paragraph each, strongest first, with the flamescope
 * flamegraph commands that look closer) and as JSON for machines and the
 * HTML report. Names (comms, symbols, paths) are untrusted: JSON escapes
 * them; the text prints comms and symbols with control characters replaced,
 * and quotes the paths it puts in commands for the shell.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "escape.h"
#include "find.h"
#include "strtab.h"

static const char *name_of(const struct fs_profile *p, uint32_t id)
{
	return id == UINT32_MAX || id >= fs_strtab__count(p->strs) ? "" : fs_profile__str(p, id);
}

/* A name on a terminal: control characters become '?'. */
static void put_name(FILE *out, const char *s)
{
	for (; *s; s++)
		fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, out);
}

static void put_p(FILE *out, double lg)
{
	if (lg < -300)
		fputs("p < 1e-300", out);
	else
		fprintf(out, "p = %.1g", pow(10, lg));
}

static const char *prefix_of(const struct fs_find_style *st)
{
	return st && st->prefix ? st->prefix : "finding";
}

/* "flamescope flamegraph -i IN ARGS [--pid P] --start S --end E [--compare ...] -o OUT". */
static void put_command(FILE *out, const struct fs_finding *fd, const struct fs_find_style *st,
			uint32_t idx, bool diff)
{
	fputs("flamescope flamegraph", out);
	if (st && st->input) {
		fputs(" -i ", out);
		fs_escape__shell(out, st->input);
	}
	if (st && st->args && st->args[0])
		fprintf(out, " %s", st->args);
	if (fd->pid >= 0)
		fprintf(out, " --pid %d", fd->pid);
	else if (st && st->pids)
		fprintf(out, " --pid %s", st->pids);
	fprintf(out, " --start %.3f --end %.3f", fd->look.start, fd->look.end);
	if (diff) {
		if (fd->compare_all)
			fputs(" --compare ,", out);
		else
			fprintf(out, " --compare %.3f,%.3f", fd->compare.start, fd->compare.end);
		fputs(" --normalize", out);
	}
	fputs(" -o ", out);
	fprintf(out, "%s%u%s.svg", prefix_of(st), idx, diff ? "-diff" : "");
}

static void put_where(FILE *out, const struct fs_finding *fd, const struct fs_profile *p)
{
	if (fd->pid >= 0 || (fd->nr_procs && fd->procs[0].samples >= 0.95 * fd->samples)) {
		int32_t pid = fd->pid >= 0 ? fd->pid : fd->procs[0].pid;
		uint32_t comm = fd->pid >= 0 ? fd->comm : fd->procs[0].comm;

		fputs(" in ", out);
		put_name(out, name_of(p, comm));
		fprintf(out, " (pid %d)", pid);
		return;
	}
	if (!fd->nr_procs)
		return;
	fputs(" across processes:", out);
	for (uint32_t i = 0; i < fd->nr_procs; i++) {
		fputs(i ? ", " : " ", out);
		put_name(out, name_of(p, fd->procs[i].comm));
		fprintf(out, " (pid %d, %.0f%%)", fd->procs[i].pid,
			fd->samples ? 100.0 * fd->procs[i].samples / fd->samples : 0);
	}
}

static void put_shape(FILE *out, const struct fs_finding *fd)
{
	switch (fd->kind) {
	case FS_FINDING_BAND:
		fprintf(out, "in %u of %u cycles, %.3f-%.3f s", fd->present, fd->cycles, fd->span.start,
			fd->span.end);
		return;
	case FS_FINDING_BURST:
		fprintf(out, "in %u of %u seconds, %.3f-%.3f s", fd->present, fd->cycles, fd->span.start,
			fd->span.end);
		return;
	case FS_FINDING_SHIFT:
		fprintf(out, "from %.3f s to %.3f s", fd->span.start, fd->span.end);
		return;
	}
	fprintf(out, "%.3f s long", fd->duration);
}

static const char *baseline_words(const struct fs_finding *fd)
{
	switch (fd->kind) {
	case FS_FINDING_BAND: return "between the bands";
	case FS_FINDING_BURST: return "in the rest of those seconds";
	case FS_FINDING_SHIFT: return "before";
	}
	return "around it";
}

static void put_strength(FILE *out, const struct fs_finding *fd)
{
	fprintf(out, "   %.1f samples/s against %.1f %s", fd->rate, fd->base_rate, baseline_words(fd));
	if (isfinite(fd->lift))
		fprintf(out, " (%.1fx)", fd->lift);
	fprintf(out, "; %.0f samples %s that; ", fabs(fd->excess), fd->excess >= 0 ? "above" : "below");
	put_p(out, fd->log10_p);
	fputs(".\n", out);
}

static void put_frames(FILE *out, const struct fs_finding *fd, const struct fs_profile *p)
{
	bool rise = fd->excess >= 0;

	if (!fd->frames)
		return;
	if (!fd->nr_frames) {
		fputs("   No frame stands out against ", out);
		fputs(fd->kind == FS_FINDING_SHIFT ? "the level before.\n" :
		      fd->ref_all ? "the rest of the profile.\n" : "the rest of the process.\n", out);
		return;
	}
	if (fd->ref_samples < 20) {
		fprintf(out, "   Its frames (share of its %llu samples; too few others to compare):",
			(unsigned long long)fd->samples);
		for (uint32_t i = 0; i < fd->nr_frames; i++) {
			fputs(i ? ", " : " ", out);
			put_name(out, name_of(p, p->frames[fd->frames[i].frame].sym));
			fprintf(out, " %.0f%%", 100 * fd->frames[i].share_in);
		}
		fputs(".\n", out);
		return;
	}
	fprintf(out, "   %s (share of its %llu samples vs ", rise ? "Grew" : "Shrank",
		(unsigned long long)fd->samples);
	if (fd->kind == FS_FINDING_SHIFT)
		fprintf(out, "the %llu before):", (unsigned long long)fd->ref_samples);
	else
		fprintf(out, "the %llu of the rest of the %s):", (unsigned long long)fd->ref_samples,
			fd->ref_all || fd->pid < 0 ? "profile" : "process");
	for (uint32_t i = 0; i < fd->nr_frames; i++) {
		const struct fs_find_frame *f = &fd->frames[i];

		fputs(i ? ", " : " ", out);
		put_name(out, name_of(p, p->frames[f->frame].sym));
		fprintf(out, " %.0f%% vs %.0f%%", 100 * f->share_in, 100 * f->share_ref);
	}
	fputs(".\n", out);
}

int fs_findings__write_txt(const struct fs_findings *fs, const struct fs_profile *p,
			   const struct fs_find_style *st, FILE *out, struct fs_error *err)
{
	char desc[128];

	fprintf(out, "%u finding%s in %.1f s of ", fs->n, fs->n == 1 ? "" : "s", fs->last - fs->first);
	put_name(out, fs->event ? fs->event : "");
	fprintf(out, " (%llu samples", (unsigned long long)fs->samples);
	if (fs->hz > 0)
		fprintf(out, ", ~%.0f Hz", fs->hz);
	fprintf(out, "; offsets in seconds from %.0f)%s\n", fs->origin, fs->n ? "" : ".");
	for (uint32_t i = 0; i < fs->n; i++) {
		const struct fs_finding *fd = &fs->v[i];

		fs_finding__describe(fd, desc, sizeof(desc));
		desc[0] = (char)(desc[0] >= 'a' && desc[0] <= 'z' ? desc[0] - 32 : desc[0]);
		fprintf(out, "\n%u. %s", i + 1, desc);
		put_where(out, fd, p);
		fputs(": ", out);
		put_shape(out, fd);
		fputs(".\n", out);
		put_strength(out, fd);
		put_frames(out, fd, p);
		fputs("   ", out);
		put_command(out, fd, st, i + 1, false);
		fputs("\n   ", out);
		put_command(out, fd, st, i + 1, true);
		fputc('\n', out);
	}
	if (fs->dropped)
		fprintf(out, "\n(%u weaker findings not shown.)\n", fs->dropped);
	if (fflush(out) || ferror(out))
		return fs_error__set(err, "find: write error");
	return 0;
}

/* ---- JSON ---- */

static void json_str(FILE *out, const char *s)
{
	fputc('"', out);
	fs_escape__json(out, s, strlen(s));
	fputc('"', out);
}

static void json_num(FILE *out, double v)
{
	if (isfinite(v))
		fprintf(out, "%.10g", v);
	else
		fputs("null", out);
}

static void json_range(FILE *out, const struct fs_find_range *r)
{
	fprintf(out, "[%.6f, %.6f]", r->start, r->end);
}

/* A command line as a JSON string. */
static void json_command(FILE *out, const struct fs_finding *fd, const struct fs_find_style *st,
			 uint32_t idx, bool diff)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	if (!m) {
		fputs("null", out);
		return;
	}
	put_command(m, fd, st, idx, diff);
	fclose(m);
	json_str(out, buf ? buf : "");
	free(buf);
}

static void json_frames(FILE *out, const struct fs_finding *fd, const struct fs_profile *p)
{
	fputs("\"frames\": [", out);
	for (uint32_t i = 0; i < fd->nr_frames; i++) {
		const struct fs_find_frame *f = &fd->frames[i];

		fputs(i ? ",\n\t\t\t{" : "\n\t\t\t{", out);
		fputs("\"name\": ", out);
		json_str(out, name_of(p, p->frames[f->frame].sym));
		fputs(", \"dso\": ", out);
		json_str(out, name_of(p, p->frames[f->frame].dso));
		fprintf(out, ", \"samples\": %llu, \"reference_samples\": %llu, \"share\": ",
			(unsigned long long)f->in, (unsigned long long)f->ref);
		json_num(out, f->share_in);
		fputs(", \"reference_share\": ", out);
		json_num(out, f->share_ref);
		fputs(", \"excess\": ", out);
		json_num(out, f->excess);
		fputc('}', out);
	}
	fputs(fd->nr_frames ? "\n\t\t]" : "]", out);
}

static void json_finding(FILE *out, const struct fs_finding *fd, const struct fs_profile *p,
			 const struct fs_find_style *st, uint32_t idx)
{
	char desc[128];

	fs_finding__describe(fd, desc, sizeof(desc));
	fprintf(out, "\t\t\"rank\": %u, \"kind\": ", idx);
	json_str(out, fd->kind == FS_FINDING_SEGMENT ? "segment" : fs_finding__kind_name(fd));
	fputs(", \"name\": ", out);
	json_str(out, fs_finding__kind_name(fd));
	fputs(", \"description\": ", out);
	json_str(out, desc);
	fputs(",\n\t\t\"pid\": ", out);
	if (fd->pid >= 0) {
		fprintf(out, "%d, \"comm\": ", fd->pid);
		json_str(out, name_of(p, fd->comm));
	} else {
		fputs("null, \"comm\": null", out);
	}
	fputs(", \"processes\": [", out);
	for (uint32_t i = 0; i < fd->nr_procs; i++) {
		fprintf(out, "%s{\"pid\": %d, \"comm\": ", i ? ", " : "", fd->procs[i].pid);
		json_str(out, name_of(p, fd->procs[i].comm));
		fprintf(out, ", \"samples\": %llu}", (unsigned long long)fd->procs[i].samples);
	}
	fputs("],\n\t\t\"span\": ", out);
	json_range(out, &fd->span);
	fputs(", \"ranges\": [", out);
	for (uint32_t i = 0; i < fd->nr_ranges; i++) {
		fputs(i ? ", " : "", out);
		json_range(out, &fd->ranges[i]);
	}
	fputs("],\n\t\t\"period\": ", out);
	json_num(out, fd->kind == FS_FINDING_BAND || fd->kind == FS_FINDING_BURST ? fd->period : NAN);
	fputs(", \"offset\": ", out);
	json_num(out, fd->kind == FS_FINDING_BAND || fd->kind == FS_FINDING_BURST ? fd->offset : NAN);
	fputs(", \"duration\": ", out);
	json_num(out, fd->duration);
	fprintf(out, ", \"present\": %u, \"cycles\": %u,\n\t\t\"rate\": ", fd->present, fd->cycles);
	json_num(out, fd->rate);
	fputs(", \"base_rate\": ", out);
	json_num(out, fd->base_rate);
	fputs(", \"lift\": ", out);
	json_num(out, fd->lift);
	fputs(", \"excess\": ", out);
	json_num(out, fd->excess);
	fputs(", \"log10_p\": ", out);
	json_num(out, fd->log10_p);
	fprintf(out, ",\n\t\t\"samples\": %llu, \"reference_samples\": %llu, \"reference\": ",
		(unsigned long long)fd->samples, (unsigned long long)fd->ref_samples);
	json_str(out, fd->ref_samples < 20 ? "none" : fd->kind == FS_FINDING_SHIFT && !fd->compare_all ?
		      "before" : fd->ref_all || fd->pid < 0 ? "profile" : "process");
	fputs(",\n\t\t", out);
	json_frames(out, fd, p);
	fputs(",\n\t\t\"look\": ", out);
	json_range(out, &fd->look);
	fputs(", \"compare\": ", out);
	if (fd->compare_all)
		fputs("null", out);
	else
		json_range(out, &fd->compare);
	fputs(",\n\t\t\"commands\": [", out);
	json_command(out, fd, st, idx, false);
	fputs(", ", out);
	json_command(out, fd, st, idx, true);
	fputs("]", out);
}

int fs_findings__write_json(const struct fs_findings *fs, const struct fs_profile *p,
			    const struct fs_find_style *st, FILE *out, struct fs_error *err)
{
	fputs("{\n\t\"event\": ", out);
	json_str(out, fs->event ? fs->event : "");
	fprintf(out, ", \"origin\": %.6f, \"first\": %.6f, \"last\": %.6f, \"rows\": %u, \"hz\": ",
		fs->origin, fs->first, fs->last, fs->rows);
	json_num(out, fs->hz > 0 ? fs->hz : NAN);
	fprintf(out, ", \"samples\": %llu, \"dropped\": %u,\n\t\"findings\": [",
		(unsigned long long)fs->samples, fs->dropped);
	for (uint32_t i = 0; i < fs->n; i++) {
		fputs(i ? ", {\n" : "{\n", out);
		json_finding(out, &fs->v[i], p, st, i + 1);
		fputs("\n\t}", out);
	}
	fputs("]\n}\n", out);
	if (fflush(out) || ferror(out))
		return fs_error__set(err, "find: write error");
	return 0;
}
