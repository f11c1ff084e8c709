// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_profile: the whole load (reader, session, symbolizer, profile) on a
 * perf.data input, then every view and writer on what loaded. The symfs and
 * build-id cache are empty directories and the kernel's symbols a small fixed
 * kallsyms, so the run does not depend on this machine's files.
 */
#include <sys/stat.h>
#include "find.h"
#include "fuzz.h"
#include "profile.h"
#include "report.h"
#include "view.h"

static struct fuzz_file in, ksyms;
static char dir[64];
static FILE *null_out;

static const char kallsyms_text[] =
	"ffffffff81000000 T _text\n"
	"ffffffff81000100 T do_syscall_64\n"
	"ffffffff81000200 t native_safe_halt\n"
	"ffffffff81000300 T cpu_idle\n"
	"ffffffff81001000 T _etext\n"
	"ffffffffc0000000 t mod_fn\t[mod]\n";

static void cleanup(void)
{
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_file__init(&in, "fuzz-profile");
	fuzz_file__init(&ksyms, "fuzz-kallsyms");
	fuzz_file__set(&ksyms, NULL, 0, (const uint8_t *)kallsyms_text, sizeof(kallsyms_text) - 1);
	snprintf(dir, sizeof(dir), "/dev/shm/fuzz-symfs-%d", (int)getpid());
	if (mkdir(dir, 0700)) {
		perror(dir);
		abort();
	}
	atexit(cleanup);
	null_out = fopen("/dev/null", "w");
	if (!null_out)
		abort();
	return 0;
}

/* The finder and its writers; its findings become the heat map's marks. Returns their titles. */
static char *find(const struct fs_profile *p, const struct fs_filter *f, struct fs_heatmap_style *hs)
{
	struct fs_findings *fs;
	struct fs_error err;
	char *titles = NULL;

	if (f->weight != FS_WEIGHT_SAMPLES)
		return NULL;
	fs = fs_findings__from_profile(p, f, NULL, &err);
	if (!fs)
		return NULL;
	fs_findings__write_txt(fs, p, &(struct fs_find_style){ "in", "--x 'y'", "1,2", NULL }, null_out,
			       &err);
	fs_findings__write_json(fs, p, NULL, null_out, &err);
	fs_findings__marks(fs, (struct fs_heatmap_mark **)&hs->marks, &hs->nr_marks, &titles, &err);
	fs_findings__delete(fs);
	return titles;
}

static void views(const struct fs_profile *p, uint64_t choice)
{
	struct fs_filter f = { .event = -1 };
	struct fs_heatmap_opts ho = { 0 };
	struct fs_fold_opts fo = { .kernel = choice & 1, .jit = choice & 2, .pid = choice & 4,
				   .reverse = choice & 8 };
	struct fs_heatmap_style hs = { .palette = "flamescope", .input = "in" };
	struct fs_flame_style st;
	struct fs_error err;
	struct fs_heatmap *hm;
	struct fs_flame *fl;
	char *titles;

	f.include_idle = choice & 16;
	f.weight = choice & 32 ? FS_WEIGHT_PERIOD : FS_WEIGHT_SAMPLES;
	if (fs_filter__prepare(&f, p, &err))
		return;
	titles = find(p, &f, &hs);
	hm = fs_heatmap__from_profile(p, &f, &ho, &err);
	if (hm) {
		fs_heatmap__write_json(hm, null_out, &err);
		fs_heatmap__write_svg(hm, &hs, null_out, &err);
		fs_heatmap__delete(hm);
	}
	free((void *)hs.marks);
	free(titles);
	fl = fs_flame__from_profile(p, &f, &fo, &err);
	if (fl) {
		fs_flame_style__init(&st);
		fs_flame__write_json(fl, null_out, &err);
		fs_flame__write_svg(fl, &st, null_out, &err);
		fs_flame__delete(fl);
	}
	fs_profile__write_folded(p, &f, &fo, null_out, &err);
	{
		struct fs_report_opts ro = { .input = "in", .fold = fo, .periods = choice & 64 };

		fs_report__write(p, &f, &ro, null_out, &err);
	}
	fs_filter__release(&f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fs_profile_config cfg = {
		.path = in.path,
		.syms = { .symfs = dir, .buildid_dir = dir, .kallsyms = ksyms.path },
	};
	struct fs_error err = { "" };
	struct fs_profile *p;

	fuzz_file__set(&in, NULL, 0, data, size);
	p = fs_profile__load(&cfg, &err);
	if (!p)
		return 0;
	if (p->nr_samples)
		views(p, size ? data[size - 1] : 0);
	fs_profile__delete(p);
	return 0;
}
