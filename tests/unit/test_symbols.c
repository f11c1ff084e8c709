// SPDX-License-Identifier: GPL-2.0-only
/*
 * Symbolizer tests. ELF fixtures are compiled here with cc/c++ into a temp
 * dir; expected names come from nm, c++filt -p and readelf, never from our
 * own output. kallsyms and perf-map files are written by the tests.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <gelf.h>
#include "demangle.h"
#include "kallsyms.h"
#include "perfmap.h"
#include "symbols.h"
#include "symbols-kmap.h"

static char dir[256];

static void writef(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

static const char *p(const char *name)
{
	static char buf[4][512];
	static int k;

	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", dir, name);
	return buf[k];
}

static const char fixture_c[] =
	"#include <string.h>\n"
	"volatile unsigned long sink;\n"
	"__attribute__((noinline)) void hot(int n) { for (int i = 0; i < n; i++) sink += i; }\n"
	"void weak_alias(int n) __attribute__((weak, alias(\"hot\")));\n"
	"void hot_longer_alias(int n) __attribute__((alias(\"hot\")));\n"
	"__attribute__((noinline)) static int local_fn(const char *s) { return (int)strlen(s) + 1; }\n"
	"__attribute__((noinline)) int exported(const char *s) { return local_fn(s) * 2; }\n"
	"__asm__(\".text\\n.globl zero_size\\n.type zero_size,@function\\n"
	"zero_size:\\n nop\\n nop\\n nop\\n ret\\n"
	".globl after_zero\\n.type after_zero,@function\\nafter_zero:\\n ret\\n.size after_zero,1\\n\");\n"
	"int main(int argc, char **argv) { hot(argc); return exported(argv[0]); }\n";

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/fs-symtest.XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	writef(p("fx.c"), fixture_c);
	writef(p("cxx.cc"),
	       "namespace ns { namespace { struct W { template <typename T> __attribute__((noinline)) T f(T n) { return n * 3; } }; }\n"
	       "__attribute__((noinline)) long g(int k) { W w; return w.f<long>(k) + w.f<int>(k); }\n"
	       "struct C { C(); ~C(); int m(int) const; }; C::C() {} C::~C() {} int C::m(int x) const { return x; } }\n"
	       "int main(int c, char **) { ns::C o; return (int)ns::g(c) + o.m(c); }\n");
	if (sh("cd %s && cc -O1 -g -o pie fx.c && cc -O1 -g -no-pie -o nopie fx.c && "
	       "cc -O1 -g -rdynamic -o dyn fx.c && cp dyn stripped && strip stripped && "
	       "cp pie pie_stripped && strip pie_stripped && "
	       "c++ -O1 -g -o cxx cxx.cc", dir))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	sh("rm -rf %s", dir);
	return 0;
}

/* perf's file offset for a symbol value: v - (p_vaddr - p_offset) of its PT_LOAD. */
static uint64_t file_offset(const char *path, uint64_t v)
{
	int fd = open(path, O_RDONLY);
	Elf *e;
	size_t n;
	uint64_t off = v;

	elf_version(EV_CURRENT);
	e = elf_begin(fd, ELF_C_READ, NULL);
	assert_non_null(e);
	assert_int_equal(elf_getphdrnum(e, &n), 0);
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;

		gelf_getphdr(e, (int)i, &ph);
		if (ph.p_type == PT_LOAD && v >= ph.p_vaddr && v < ph.p_vaddr + ph.p_memsz) {
			off = v - ph.p_vaddr + ph.p_offset;
			break;
		}
	}
	elf_end(e);
	close(fd);
	return off;
}

static struct fs_symbolizer *new_symbolizer(const char *symfs, const char *bdir, const char *kallsyms)
{
	struct fs_symbolizer_config cfg = {
		.symfs = symfs, .buildid_dir = bdir ? bdir : p("nocache"), .kallsyms = kallsyms,
	};
	struct fs_error err;
	struct fs_symbolizer *s = fs_symbolizer__new(&cfg, &err);

	assert_non_null(s);
	return s;
}

/* One nm line: address, size (0 when nm gives none), type and name. */
struct nm_sym {
	unsigned long long addr, size;
	char type;
	char *name;
};

struct nm_table {
	char bin[512];
	bool dynamic;
	struct nm_sym *v;
	size_t n;
};

/*
 * nm's table of bin (.dynsym with dynamic), run once per binary and kept:
 * a popen() per symbol looked up made this test take seconds.
 */
static const struct nm_table *nm(const char *bin, bool dynamic)
{
	static struct nm_table tabs[8];
	static size_t ntabs;
	struct nm_table *t;
	char cmd[700], line[1024];
	size_t alloc = 0;
	FILE *f;

	for (size_t i = 0; i < ntabs; i++)
		if (tabs[i].dynamic == dynamic && !strcmp(tabs[i].bin, bin))
			return &tabs[i];
	assert_true(ntabs < sizeof(tabs) / sizeof(tabs[0]));
	t = &tabs[ntabs++];
	snprintf(t->bin, sizeof(t->bin), "%s", bin);
	t->dynamic = dynamic;
	snprintf(cmd, sizeof(cmd), "nm -S --defined-only %s %s", dynamic ? "-D" : "", bin);
	f = popen(cmd, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		struct nm_sym e = { 0 };
		char name[512];

		/* "ADDR SIZE TYPE NAME", or "ADDR TYPE NAME" for a symbol without a size */
		if (sscanf(line, "%llx %llx %c %511s", &e.addr, &e.size, &e.type, name) != 4) {
			e.size = 0;
			if (sscanf(line, "%llx %c %511s", &e.addr, &e.type, name) != 3)
				continue;
		}
		if (t->n == alloc) {
			alloc = alloc ? 2 * alloc : 256;
			t->v = realloc(t->v, alloc * sizeof(*t->v));
			assert_non_null(t->v);
		}
		e.name = strdup(name);
		assert_non_null(e.name);
		t->v[t->n++] = e;
	}
	pclose(f);
	assert_true(t->n > 0);
	return t;
}

/* " name1 name2 ... ": every name nm gives addr. */
static void nm_names_at(const struct nm_table *t, unsigned long long addr, char *buf, size_t size)
{
	size_t len = 1;

	snprintf(buf, size, " ");
	for (size_t i = 0; i < t->n && len < size; i++)
		if (t->v[i].addr == addr)
			len += (size_t)snprintf(buf + len, size - len, "%s ", t->v[i].name);
}

/* Every sized function nm lists resolves, at its first and last byte, to a name nm gives that address. */
static void check_against_nm(const char *bin)
{
	struct fs_symbolizer *s = new_symbolizer(NULL, NULL, NULL);
	struct fs_dso *d = fs_symbolizer__dso(s, bin, NULL, 0);
	const struct nm_table *t = nm(bin, false);
	int checked = 0;

	for (size_t i = 0; i < t->n; i++) {
		const struct nm_sym *e = &t->v[i];
		const struct fs_symbol *sym;
		char names[4096];
		uint64_t off;

		if ((e->type != 'T' && e->type != 't' && e->type != 'W') || e->size == 0)
			continue;
		off = file_offset(bin, e->addr);
		/* all names nm has at this address: aliases are perf's choice among them */
		nm_names_at(t, e->addr, names, sizeof(names));
		for (int k = 0; k < 2; k++) {
			char want[520];

			sym = fs_dso__find_symbol(s, d, off + (k ? e->size - 1 : 0));
			assert_non_null(sym);
			assert_int_equal(sym->start, off);
			snprintf(want, sizeof(want), " %s ", sym->name);
			if (!strstr(names, want))
				fail_msg("%s: %s at %#llx is not among nm's names:%s", bin, sym->name, e->addr, names);
		}
		checked++;
	}
	assert_true(checked > 5);
	fs_symbolizer__delete(s);
}

static void test_pie_matches_nm(void **state)
{
	(void)state;
	check_against_nm(p("pie"));
}

static void test_nopie_matches_nm(void **state)
{
	(void)state;
	check_against_nm(p("nopie"));
}

static const struct fs_symbol *lookup_name(struct fs_symbolizer *s, const char *bin, const char *name)
{
	const struct nm_table *t = nm(bin, false);

	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->v[i].name, name))
			return fs_dso__find_symbol(s, fs_symbolizer__dso(s, bin, NULL, 0),
						   file_offset(bin, t->v[i].addr));
	fail_msg("%s: nm lists no %s", bin, name);
	return NULL;
}

/* choose_best_symbol(): non-weak beats weak, then the longer name among globals. */
static void test_aliases(void **state)
{
	struct fs_symbolizer *s = new_symbolizer(NULL, NULL, NULL);
	const struct fs_symbol *sym = lookup_name(s, p("pie"), "weak_alias");

	(void)state;
	assert_non_null(sym);
	assert_string_equal(sym->name, "hot_longer_alias");
	fs_symbolizer__delete(s);
}

/* A symbol without .size ends where the next one starts (symbols__fixup_end). */
static void test_zero_size(void **state)
{
	struct fs_symbolizer *s = new_symbolizer(NULL, NULL, NULL);
	const struct fs_symbol *z = lookup_name(s, p("pie"), "zero_size");
	const struct fs_symbol *a = lookup_name(s, p("pie"), "after_zero");
	struct fs_dso *d = fs_symbolizer__dso(s, p("pie"), NULL, 0);

	(void)state;
	assert_non_null(z);
	assert_non_null(a);
	assert_string_equal(z->name, "zero_size");
	assert_int_equal(z->end, a->start);
	assert_ptr_equal(fs_dso__find_symbol(s, d, z->start + 3), z);
	fs_symbolizer__delete(s);
}

/* Stripped, no debug file: only .dynsym names (exported with -rdynamic); the rest is unknown. */
static void test_stripped(void **state)
{
	struct fs_symbolizer *s = new_symbolizer(NULL, NULL, NULL);
	const char *bin = p("stripped");
	struct fs_dso *d = fs_symbolizer__dso(s, bin, NULL, 0);
	const struct nm_table *tab = nm(bin, true);
	int dyn = 0;

	(void)state;
	for (size_t i = 0; i < tab->n; i++) {
		const struct nm_sym *e = &tab->v[i];
		const struct fs_symbol *sym;

		if (e->type != 'T' || e->size == 0)
			continue;
		sym = fs_dso__find_symbol(s, d, file_offset(bin, e->addr));
		assert_non_null(sym);
		if (strcmp(sym->name, e->name)) {
			/* an alias: it must be another .dynsym name at the same address */
			char names[4096], want[300];

			nm_names_at(tab, e->addr, names, sizeof(names));
			snprintf(want, sizeof(want), " %s ", sym->name);
			assert_non_null(strstr(names, want));
		}
		dyn++;
	}
	assert_true(dyn >= 2);	/* main, exported, hot... */
	/* the static local_fn is only in the unstripped twin's .symtab: perf prints [unknown] */
	{
		struct fs_symbolizer *t = new_symbolizer(NULL, NULL, NULL);
		const struct fs_symbol *lf = lookup_name(t, p("dyn"), "local_fn");
		const struct fs_symbol *h = lookup_name(t, p("pie"), "hot");

		assert_non_null(lf);
		assert_null(fs_dso__find_symbol(s, d, lf->start));
		/* no .dynsym definitions at all: everything is [unknown] */
		assert_non_null(h);
		assert_null(fs_dso__find_symbol(s, fs_symbolizer__dso(s, p("pie_stripped"), NULL, 0),
						h->start));
		fs_symbolizer__delete(t);
	}
	fs_symbolizer__delete(s);
}

/* C++ names print as c++filt -p prints them (one c++filt run for them all). */
static void test_cxx_demangle(void **state)
{
	struct fs_symbolizer *s = new_symbolizer(NULL, NULL, NULL);
	const char *bin = p("cxx");
	struct fs_dso *d = fs_symbolizer__dso(s, bin, NULL, 0);
	const struct nm_table *t = nm(bin, false);
	char cmd[700], want[1024];
	FILE *f, *g;
	int n = 0;

	(void)state;
	f = fopen(p("cxx.names"), "w");
	assert_non_null(f);
	for (size_t i = 0; i < t->n; i++)
		if (!strncmp(t->v[i].name, "_ZN2ns", 6))
			fprintf(f, "%s\n", t->v[i].name);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "c++filt -p <%s", p("cxx.names"));
	g = popen(cmd, "r");
	assert_non_null(g);
	for (size_t i = 0; i < t->n; i++) {
		const struct fs_symbol *sym;

		if (strncmp(t->v[i].name, "_ZN2ns", 6))
			continue;
		assert_non_null(fgets(want, sizeof(want), g));
		want[strcspn(want, "\n")] = '\0';
		sym = fs_dso__find_symbol(s, d, file_offset(bin, t->v[i].addr));
		assert_non_null(sym);
		/* C1/C2 constructor aliases demangle alike */
		assert_string_equal(sym->name, want);
		n++;
	}
	pclose(g);
	assert_true(n >= 4);
	fs_symbolizer__delete(s);
}

static void read_bid(const char *bin, char *hex)
{
	char cmd[600];
	FILE *f;

	snprintf(cmd, sizeof(cmd), "readelf -n %s | sed -n 's/.*Build ID: //p'", bin);
	f = popen(cmd, "r");
	assert_non_null(fgets(hex, 64, f));
	pclose(f);
	hex[strcspn(hex, "\n")] = '\0';
	assert_int_equal(strlen(hex), 40);
}

static void hex2bin(const char *hex, uint8_t *bid)
{
	for (int i = 0; i < 20; i++) {
		unsigned int v;

		sscanf(hex + 2 * i, "%2x", &v);
		bid[i] = (uint8_t)v;
	}
}

/* A binary moved away resolves from BUILDID_DIR/.build-id/xx/rest/elf; a wrong build id does not. */
static void test_buildid_cache(void **state)
{
	char hex[64];
	uint8_t bid[20];
	struct fs_symbolizer *s, *t;
	const struct fs_symbol *want, *got;
	struct fs_dso *d;

	(void)state;
	read_bid(p("pie"), hex);
	hex2bin(hex, bid);
	assert_int_equal(sh("mkdir -p %s/cache/gone/prog/%s %s/cache/.build-id/%.2s && "
			    "cp %s/pie %s/cache/gone/prog/%s/elf && "
			    "ln -sfn ../../gone/prog/%s %s/cache/.build-id/%.2s/%s",
			    dir, hex, dir, hex, dir, dir, hex, hex, dir, hex, hex + 2), 0);
	s = new_symbolizer(NULL, p("cache"), NULL);
	want = lookup_name(s, p("pie"), "exported");
	assert_non_null(want);
	d = fs_symbolizer__dso(s, "/gone/prog", bid, 20);
	got = fs_dso__find_symbol(s, d, want->start);
	assert_non_null(got);
	assert_string_equal(got->name, "exported");
	bid[0] ^= 1;
	d = fs_symbolizer__dso(s, "/gone/other", bid, 20);
	assert_null(fs_dso__find_symbol(s, d, want->start));
	bid[0] ^= 1;
	/* perf's --symfs DIR moves the cache to DIR/.debug, whatever was configured */
	assert_int_equal(sh("mkdir -p %s/emptyfs", dir), 0);
	t = new_symbolizer(p("emptyfs"), p("cache"), NULL);
	d = fs_symbolizer__dso(t, "/gone/prog", bid, 20);
	assert_null(fs_dso__find_symbol(t, d, want->start));
	fs_symbolizer__delete(t);
	fs_symbolizer__delete(s);
}

/* With a symfs, the recorded path is looked up under it. */
static void test_symfs(void **state)
{
	struct fs_symbolizer *s = new_symbolizer(NULL, NULL, NULL), *t;
	const struct fs_symbol *want = lookup_name(s, p("nopie"), "hot");
	struct fs_dso *d;

	(void)state;
	assert_int_equal(sh("mkdir -p %s/root/opt && cp %s/nopie %s/root/opt/app", dir, dir, dir), 0);
	t = new_symbolizer(p("root"), NULL, NULL);
	d = fs_symbolizer__dso(t, "/opt/app", NULL, 0);
	assert_non_null(fs_dso__find_symbol(t, d, want->start));
	assert_string_equal(fs_dso__find_symbol(t, d, want->start)->name, want->name);
	fs_symbolizer__delete(t);
	fs_symbolizer__delete(s);
}

/*
 * [vdso] without a build id: perf loads a copy of its own vdso (vdso.c), so
 * do we; not under a symfs (perf's copy is not there), and not when the
 * recording named a build id the cache does not have.
 */
static void test_vdso(void **state)
{
	uint8_t bid[20] = { 1, 2, 3 };
	struct fs_symbolizer *s;
	struct fs_dso *d;

	(void)state;
	assert_int_equal(sh("mkdir -p %s/nocache %s/emptyfs", dir, dir), 0);
	s = new_symbolizer(NULL, p("nocache"), NULL);
	d = fs_symbolizer__dso(s, "[vdso]", NULL, 0);
	assert_true(fs_dso__nr_symbols(s, d) > 0);
	assert_true(d->build_id_size > 0);	/* read from the image, as perf reads its copy's */
	fs_symbolizer__delete(s);

	s = new_symbolizer(p("emptyfs"), NULL, NULL);
	d = fs_symbolizer__dso(s, "[vdso]", NULL, 0);
	assert_int_equal(fs_dso__nr_symbols(s, d), 0);
	fs_symbolizer__delete(s);

	s = new_symbolizer(NULL, p("nocache"), NULL);
	d = fs_symbolizer__dso(s, "[vdso]", bid, sizeof(bid));
	assert_int_equal(fs_dso__nr_symbols(s, d), 0);
	fs_symbolizer__delete(s);
}

static const char kallsyms_text[] =
	"ffffffff81000000 T _text\n"
	"ffffffff81000000 T startup_64\n"
	"ffffffff81000100 t __pfx_do_work\n"
	"ffffffff81000110 t do_work\n"
	"ffffffff81000200 r some_rodata\n"
	"xyz this line is not hex\n"
	"ffffffff81000300 W weak_fn\n"
	"ffffffff81000300 T strong_fn\n"
	"ffffffff81000400 D data_sym\n"
	"ffffffff81000500 t __entry_SYSCALL_64_trampoline\n"
	"ffffffff81000600 T last_kernel\n"
	"ffffffffc0001000 t mod_fn\t[mymod]\n"
	"ffffffffc0001080 t mod_fn2\t[mymod]\n"
	"ffffffffc0002000 t other\t[othermod]\n";

static void test_kallsyms(void **state)
{
	struct fs_symbolizer *s;
	struct fs_dso *k, *m, *o;
	const struct fs_symbol *sym;

	(void)state;
	writef(p("kallsyms"), kallsyms_text);
	s = new_symbolizer(NULL, NULL, p("kallsyms"));
	k = fs_symbolizer__dso(s, "[kernel.kallsyms]", NULL, 0);
	assert_true(fs_dso__is_kernel(k));
	/* _text and startup_64 tie: equal sizes and bindings, the longer name wins */
	assert_string_equal(fs_dso__find_symbol(s, k, 0xffffffff81000010)->name, "startup_64");
	assert_string_equal(fs_dso__find_symbol(s, k, 0xffffffff81000105)->name, "__pfx_do_work");
	sym = fs_dso__find_symbol(s, k, 0xffffffff81000250);
	assert_string_equal(sym->name, "do_work");	/* 'r' is not kept: do_work runs on */
	assert_int_equal(sym->end, 0xffffffff81000300);
	assert_string_equal(fs_dso__find_symbol(s, k, 0xffffffff81000300)->name, "strong_fn");
	assert_string_equal(fs_dso__find_symbol(s, k, 0xffffffff81000450)->name, "data_sym");
	/* the trampoline goes; data_sym had been fixed up to end at it */
	assert_null(fs_dso__find_symbol(s, k, 0xffffffff81000550));
	/* the last kernel symbol before module text ends at the next page boundary past it */
	sym = fs_dso__find_symbol(s, k, 0xffffffff81000600);
	assert_string_equal(sym->name, "last_kernel");
	assert_int_equal(sym->end, 0xffffffff81002000);
	assert_null(fs_dso__find_symbol(s, k, 0xffffffffc0001000));
	m = fs_symbolizer__dso(s, "[mymod]", NULL, 0);
	assert_int_equal(m->kind, FS_DSO_MODULE);
	sym = fs_dso__find_symbol(s, m, 0xffffffffc0001010);
	assert_string_equal(sym->name, "mod_fn");
	assert_string_equal(fs_dso__find_symbol(s, m, 0xffffffffc0001090)->name, "mod_fn2");
	assert_int_equal(fs_symbolizer__dso(s, "[heap]", NULL, 0)->kind, FS_DSO_USER);
	assert_int_equal(fs_symbolizer__dso(s, "[vdso]", NULL, 0)->kind, FS_DSO_VDSO);
	assert_false(fs_dso__is_kernel(fs_symbolizer__dso(s, "[stack]", NULL, 0)));
	o = fs_symbolizer__dso(s, "[othermod]", NULL, 0);
	sym = fs_dso__find_symbol(s, o, 0xffffffffc0002000);
	assert_string_equal(sym->name, "other");
	assert_int_equal(sym->end, 0xffffffffc0003000);	/* last: page after its start */
	fs_symbolizer__delete(s);

	/* the recording's _text sits 0x1000 lower: kernel symbols move with it (kallsyms__delta) */
	s = new_symbolizer(NULL, NULL, p("kallsyms"));
	fs_symbolizer__set_kernel_reloc(s, "_text", 0xffffffff80fff000);
	k = fs_symbolizer__dso(s, "[kernel.kallsyms]", NULL, 0);
	assert_string_equal(fs_dso__find_symbol(s, k, 0xffffffff81000110 - 0x1000)->name, "do_work");
	fs_symbolizer__delete(s);
	/* a reference symbol kallsyms lacks: perf loads nothing */
	s = new_symbolizer(NULL, NULL, p("kallsyms"));
	fs_symbolizer__set_kernel_reloc(s, "some_rodata", 0xffffffff81000200);
	k = fs_symbolizer__dso(s, "[kernel.kallsyms]", NULL, 0);
	assert_null(fs_dso__find_symbol(s, k, 0xffffffff81000110));
	fs_symbolizer__delete(s);
}

/*
 * The kernel's kallsyms read ahead in a second thread: pending while the
 * file has not come (a FIFO written later), then the first lookup takes the
 * table a read at that lookup gives. A read made before the recording's
 * relocation was known is made again with it; one never looked up stops
 * with the symbolizer.
 */
static void test_kallsyms_prefetch(void **state)
{
	char fifo[4096];
	struct fs_symbolizer *s;
	struct fs_dso *k;
	int fd, keep;

	(void)state;
	snprintf(fifo, sizeof(fifo), "%s", p("kallsyms.fifo"));
	unlink(fifo);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	fd = open(fifo, O_RDWR);	/* a writer already: the reader waits for data */
	keep = open(fifo, O_RDONLY | O_NONBLOCK);	/* the data outlives fd for a late reader */
	assert_true(fd >= 0 && keep >= 0);
	s = new_symbolizer(NULL, NULL, fifo);
	k = fs_symbolizer__dso(s, "[kernel.kallsyms]", NULL, 0);
	assert_false(fs_symbolizer__kernel_pending(s));
	fs_symbolizer__prefetch_kernel(s, k);
	assert_true(fs_symbolizer__kernel_pending(s));
	assert_int_equal(write(fd, kallsyms_text, strlen(kallsyms_text)), (ssize_t)strlen(kallsyms_text));
	close(fd);
	assert_string_equal(fs_dso__find_symbol(s, k, 0xffffffff81000110)->name, "do_work");
	assert_false(fs_symbolizer__kernel_pending(s));
	close(keep);
	assert_string_equal(fs_dso__find_symbol(s, fs_symbolizer__dso(s, "[mymod]", NULL, 0),
						0xffffffffc0001090)->name, "mod_fn2");
	assert_int_equal(fs_symbolizer__dso(s, "[mymod]", NULL, 0)->kind, FS_DSO_MODULE);
	fs_symbolizer__delete(s);
	unlink(fifo);

	writef(p("kallsyms"), kallsyms_text);
	s = new_symbolizer(NULL, NULL, p("kallsyms"));
	k = fs_symbolizer__dso(s, "[kernel.kallsyms]", NULL, 0);
	fs_symbolizer__prefetch_kernel(s, k);
	fs_symbolizer__set_kernel_reloc(s, "_text", 0xffffffff80fff000);
	assert_string_equal(fs_dso__find_symbol(s, k, 0xffffffff81000110 - 0x1000)->name, "do_work");
	fs_symbolizer__delete(s);

	s = new_symbolizer(NULL, NULL, p("kallsyms"));
	fs_symbolizer__prefetch_kernel(s, fs_symbolizer__dso(s, "[kernel.kallsyms]", NULL, 0));
	fs_symbolizer__delete(s);
}

static int count_cb(void *arg, const char *name, size_t len, char type, uint64_t addr)
{
	(void)name;
	(void)type;
	(void)addr;
	assert_int_equal(strlen(name), len);
	(*(int *)arg)++;
	return 0;
}

/* perf's parser quirks: an empty line swallows the next; a missing space after the type too. */
static void test_kallsyms_malformed(void **state)
{
	char big[2000];
	int n = 0;

	(void)state;
	memset(big, 'a', sizeof(big));
	memcpy(big, "ffff t ", 7);
	big[sizeof(big) - 2] = '\n';
	big[sizeof(big) - 1] = '\0';
	writef(p("ks2"), "1 T one\n\nswallowed 2 T two\n3 T\n4 T swallowed_too\n5 T five");
	assert_int_equal(fs_kallsyms__parse(p("ks2"), count_cb, &n, NULL), 0);
	assert_int_equal(n, 2);
	n = 0;
	writef(p("ks3"), big);	/* a 1993-byte name: cut in 513-byte pieces as perf does */
	assert_int_equal(fs_kallsyms__parse(p("ks3"), count_cb, &n, NULL), 0);
	assert_int_equal(n, 1);
	assert_int_equal(fs_kallsyms__parse(p("missing"), count_cb, &n, NULL), -1);
}

static void test_perfmap(void **state)
{
	char name[64];
	struct fs_symbolizer *s;
	struct fs_dso *d;
	const struct fs_symbol *sym;

	(void)state;
	snprintf(name, sizeof(name), "/tmp/perf-%d.map", (int)getpid() + 7000000);
	writef(name, "7f0000001000 100 LazyCompile:~foo /app.js:1\n"
		     "garbage\n"
		     "7f0000002000 0 zero_sized\n"
		     "7f0000003000 10 ab\n"
		     "0x7f0000004000 20 hex_prefixed\n"
		     "7f0000005000 40 unterminated");
	s = new_symbolizer(NULL, NULL, NULL);
	d = fs_symbolizer__dso(s, name, NULL, 0);
	assert_int_equal(d->kind, FS_DSO_JIT);
	assert_false(fs_dso__is_kernel(d));
	sym = fs_dso__find_symbol(s, d, 0x7f00000010ff);
	assert_non_null(sym);
	assert_string_equal(sym->name, "LazyCompile:~foo /app.js:1");	/* not demangled */
	assert_null(fs_dso__find_symbol(s, d, 0x7f0000001100));
	assert_string_equal(fs_dso__find_symbol(s, d, 0x7f0000002000)->name, "zero_sized");
	assert_null(fs_dso__find_symbol(s, d, 0x7f0000002001));
	assert_null(fs_dso__find_symbol(s, d, 0x7f0000003000));	/* 2-byte names are skipped */
	assert_string_equal(fs_dso__find_symbol(s, d, 0x7f0000004010)->name, "hex_prefixed");
	assert_string_equal(fs_dso__find_symbol(s, d, 0x7f0000005000)->name, "unterminate");
	/* "garbage": strtoull reads no start, then "a" as the size: perf adds "bage" at 0 */
	assert_string_equal(fs_dso__find_symbol(s, d, 0x9)->name, "bage");
	assert_int_equal(fs_dso__nr_symbols(s, d), 5);
	fs_symbolizer__delete(s);
	unlink(name);
}

/*
 * Overlaps: the lookup must walk perf's rb-tree, not take the nearest start.
 * Inserted aaa, bbb (same start: right of aaa), ccc (rotation: bbb becomes
 * the root, aaa and ccc its children), span (left of ccc, then recolouring).
 * perf's symbols__find() from bbb: an address past bbb's end goes right to
 * ccc, a zero-size symbol, then right again to nothing, so span is never
 * found and an address ccc starts at is bbb's.
 */
static void test_perfmap_tree_shape(void **state)
{
	char name[64];
	struct fs_symbolizer *s;
	struct fs_dso *d;
	const struct fs_symbol *sym;

	(void)state;
	snprintf(name, sizeof(name), "/tmp/perf-%d.map", (int)getpid() + 7100000);
	writef(name, "7f0000010000 100 aaa\n"
		     "7f0000010000 100 bbb\n"
		     "7f0000010040 0 ccc\n"
		     "7f0000010000 400 span\n"
		     "7f0000020000 10 after\n");
	s = new_symbolizer(NULL, NULL, NULL);
	d = fs_symbolizer__dso(s, name, NULL, 0);
	assert_int_equal(fs_dso__nr_symbols(s, d), 5);
	assert_string_equal(fs_dso__find_symbol(s, d, 0x7f0000010000)->name, "bbb");
	sym = fs_dso__find_symbol(s, d, 0x7f0000010040);
	assert_non_null(sym);
	assert_string_equal(sym->name, "bbb");
	assert_true(sym == fs_dso__find_symbol(s, d, 0x7f00000100ff));	/* one symbol, one pointer */
	assert_null(fs_dso__find_symbol(s, d, 0x7f0000010100));
	assert_null(fs_dso__find_symbol(s, d, 0x7f0000010200));
	assert_null(fs_dso__find_symbol(s, d, 0x7f00000103ff));
	assert_null(fs_dso__find_symbol(s, d, 0x7f000000ffff));
	/* past every overlap, the binary search answers alone */
	assert_string_equal(fs_dso__find_symbol(s, d, 0x7f0000020008)->name, "after");
	assert_null(fs_dso__find_symbol(s, d, 0x7f0000020011));
	fs_symbolizer__delete(s);
	unlink(name);
}

/* Corrupted copies of a fixture: no crash, no hang (run under ASan by make test). */
static void test_hostile_elf(void **state)
{
	const char *bin = p("pie");
	struct stat st;
	unsigned char *img;
	FILE *f;

	(void)state;
	assert_int_equal(stat(bin, &st), 0);
	img = malloc((size_t)st.st_size);
	f = fopen(bin, "rb");
	assert_int_equal(fread(img, 1, (size_t)st.st_size, f), (size_t)st.st_size);
	fclose(f);
	srand(1);
	for (int round = 0; round < 300; round++) {
		unsigned char *c = malloc((size_t)st.st_size);
		struct fs_symbolizer *s;
		struct fs_dso *d;
		size_t len = (size_t)st.st_size;

		memcpy(c, img, len);
		if (round % 3 == 0)
			len = (size_t)rand() % len;	/* truncated */
		for (int k = 0; k < 20; k++) {
			/* hit headers often: section/program headers, symbol tables */
			size_t at = (k % 2) ? (size_t)rand() % 64 + (size_t)(rand() % 2) * (len - len / 8)
					    : (size_t)rand() % len;
			if (at < len)
				c[at] = (unsigned char)rand();
		}
		f = fopen(p("bad"), "wb");
		fwrite(c, 1, len, f);
		fclose(f);
		s = new_symbolizer(NULL, NULL, NULL);
		d = fs_symbolizer__dso(s, p("bad"), NULL, 0);
		for (uint64_t a = 0; a < 0x3000; a += 0x40)
			fs_dso__find_symbol(s, d, a);
		fs_symbolizer__delete(s);
		free(c);
	}
	free(img);
}

static void expect_demangle(const char *in, const char *want)
{
	char *d = fs_demangle(in);

	if (!want) {
		if (d)
			fail_msg("%s: demangled to %s", in, d);
		return;
	}
	assert_non_null(d);
	assert_string_equal(d, want);
	free(d);
}

/* perf's fallbacks after libiberty: OCaml, then Java; C names stay as they are. */
static void test_demangle_fallbacks(void **state)
{
	(void)state;
	expect_demangle("main", NULL);
	expect_demangle("camlStdlib__List__iter_123", "Stdlib.List.iter_123");
	expect_demangle("camlFoo$21bar", "Foo!bar");
	expect_demangle("Ljava/lang/String;indexOf(I)I", "java.lang.String.indexOf(int)");
	expect_demangle("Lpkg/C;m(Ljava/lang/String;[JZ)V", "pkg.C.m(java.lang.String, long[], boolean)");
	expect_demangle("Lpkg/C;m(I", NULL);	/* no ')' */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pie_matches_nm),
		cmocka_unit_test(test_nopie_matches_nm),
		cmocka_unit_test(test_aliases),
		cmocka_unit_test(test_zero_size),
		cmocka_unit_test(test_stripped),
		cmocka_unit_test(test_cxx_demangle),
		cmocka_unit_test(test_buildid_cache),
		cmocka_unit_test(test_symfs),
		cmocka_unit_test(test_vdso),
		cmocka_unit_test(test_kallsyms),
		cmocka_unit_test(test_kallsyms_prefetch),
		cmocka_unit_test(test_kallsyms_malformed),
		cmocka_unit_test(test_perfmap),
		cmocka_unit_test(test_perfmap_tree_shape),
		cmocka_unit_test(test_hostile_elf),
		cmocka_unit_test(test_demangle_fallbacks),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
