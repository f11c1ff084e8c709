// SPDX-License-Identifier: GPL-2.0-only
/*
 * libdw's inline chains (core/inlines-dw.c) against addr2line's, the oracle
 * perf 6.1 asks: for the addresses of every line-table row of a few files
 * and function symbol (the C and C++ no-frame-pointer workloads, their
 * shared library, libc's debug file), `addr2line -e FILE -i -f` is asked as
 * perf asks it, and
 * every chain libdw gives must be addr2line's, name for name. libdw may
 * decline an address (addr2line is then asked), but must answer most of
 * them, inlined chains and C++ templates among them, or the speed-up is lost.
 */
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <fcntl.h>
#include <gelf.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "inlines-dw.h"

#define MAX_ADDRS	1500	/* per file: an even sample of its rows */

struct result {
	size_t asked, answered, inlined, mangled_inlined, mismatched;
};

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Every line-table row's address in path, sorted, distinct, thinned to MAX_ADDRS. */
static void push(uint64_t **v, size_t *n, size_t *alloc, uint64_t a)
{
	if (*n == *alloc) {
		*alloc = *alloc ? *alloc * 2 : 4096;
		*v = realloc(*v, *alloc * sizeof(**v));
		assert_non_null(*v);
	}
	(*v)[(*n)++] = a;
}

/* Each function symbol's first two bytes: the code outside DWARF units, _start, PLT stubs. */
static void symbol_addrs(Dwarf *dw, uint64_t **v, size_t *n, size_t *alloc)
{
	Elf *elf = dwarf_getelf(dw);
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *data;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB || !sh.sh_entsize)
			continue;
		data = elf_getdata(scn, NULL);
		for (size_t i = 1; data && i < data->d_size / sh.sh_entsize; i++) {
			GElf_Sym sym;

			if (gelf_getsym(data, i, &sym) && GELF_ST_TYPE(sym.st_info) == STT_FUNC) {
				push(v, n, alloc, sym.st_value);
				push(v, n, alloc, sym.st_value + 1);
				push(v, n, alloc, sym.st_value - 1);
			}
		}
	}
}

static size_t row_addrs(const char *path, uint64_t **out)
{
	int fd = open(path, O_RDONLY);
	Dwarf *dw = fd >= 0 ? dwarf_begin(fd, DWARF_C_READ) : NULL;
	Dwarf_Off off = 0, next;
	size_t hsize, n = 0, alloc = 0, k = 0;
	uint64_t *v = NULL;

	assert_non_null(dw);
	while (dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		Dwarf_Die cu;
		Dwarf_Lines *lines;
		size_t nl;

		if (dwarf_offdie(dw, off + hsize, &cu) && dwarf_getsrclines(&cu, &lines, &nl) == 0) {
			for (size_t i = 0; i < nl; i++) {
				Dwarf_Addr a;

				if (!dwarf_lineaddr(dwarf_onesrcline(lines, i), &a))
					push(&v, &n, &alloc, a);
			}
		}
		off = next;
	}
	symbol_addrs(dw, &v, &n, &alloc);
	dwarf_end(dw);
	close(fd);
	qsort(v, n, sizeof(*v), cmp_u64);
	for (size_t i = 0; i < n; i++)
		if (v[i] && (!k || v[i] != v[k - 1]))
			v[k++] = v[i];
	if (k > MAX_ADDRS) {
		for (size_t i = 0; i < MAX_ADDRS; i++)
			v[i] = v[i * k / MAX_ADDRS];
		k = MAX_ADDRS;
	}
	*out = v;
	return k;
}

/* One addr2line record (function, file:line); 0 for perf's sentinel "??:0", -1 at the end. */
static int record(FILE *f, char *func, size_t size)
{
	char file[4096];
	size_t n;

	if (!fgets(func, size, f) || !fgets(file, sizeof(file), f))
		return -1;
	func[strcspn(func, "\n")] = '\0';
	file[strcspn(file, "\n")] = '\0';
	n = strlen(func);
	while (n && (func[n - 1] == ' ' || func[n - 1] == '\t'))
		func[--n] = '\0';
	return strcmp(file, "??:0") && strchr(file, ':') ? 1 : 0;
}

static void compare(const char *path, struct result *res)
{
	char tmpl[] = "/tmp/test_inlines.XXXXXX", cmd[4200], func[65536];
	struct fs_dwinl *dw = fs_dwinl__open(path);
	uint64_t *addrs;
	size_t n = row_addrs(path, &addrs);
	int fd = mkstemp(tmpl);
	FILE *in, *out;

	assert_non_null(dw);
	assert_true(fd >= 0);
	in = fdopen(fd, "w");
	for (size_t i = 0; i < n; i++)	/* perf's request: the address, then "," */
		fprintf(in, "%016llx\n,\n", (unsigned long long)addrs[i]);
	fclose(in);
	snprintf(cmd, sizeof(cmd), "addr2line -e '%s' -i -f <%s", path, tmpl);
	out = popen(cmd, "r");
	assert_non_null(out);
	memset(res, 0, sizeof(*res));
	for (size_t i = 0; i < n; i++) {
		const char *const *names;
		int want = fs_dwinl__names(dw, addrs[i], &names), got = 0, r;
		bool same = true;

		res->asked++;
		r = record(out, func, sizeof(func));
		assert_true(r >= 0);
		if (r == 0) {	/* no answer: the sentinel's "??" follows */
			assert_int_equal(record(out, func, sizeof(func)), 0);
		} else {
			do {
				if (want >= 0 && (got >= want || strcmp(names[got], func)))
					same = false;
				got++;
			} while ((r = record(out, func, sizeof(func))) == 1);
			assert_int_equal(r, 0);
		}
		if (want < 0)
			continue;
		res->answered++;
		if (!same || got != want) {
			if (res->mismatched++ < 5)
				print_message("%s %#llx: libdw %d frames, addr2line %d (first: %s)\n",
					      path, (unsigned long long)addrs[i], want, got,
					      want > 0 ? names[0] : "");
			continue;
		}
		if (want > 1) {
			res->inlined++;
			if (!strncmp(names[0], "_Z", 2) && strchr(names[0], 'I'))
				res->mangled_inlined++;
		}
	}
	assert_int_equal(pclose(out), 0);
	unlink(tmpl);
	free(addrs);
	fs_dwinl__close(dw);
	print_message("%s: %zu addresses, %zu answered by libdw (%zu inlined, %zu templates)\n",
		      path, res->asked, res->answered, res->inlined, res->mangled_inlined);
}

static const char *build_path(char *buf, size_t size, const char *rel)
{
	const char *b = getenv("B");

	snprintf(buf, size, "%s/%s", b && *b ? b : "build", rel);
	return buf;
}

static void test_c(void **state)
{
	char path[4096];
	struct result r;

	(void)state;
	compare(build_path(path, sizeof(path), "workloads/dwarf_c"), &r);
	assert_int_equal(r.mismatched, 0);
	assert_true(r.answered * 10 >= r.asked * 9);
	assert_true(r.inlined > 0);
	compare(build_path(path, sizeof(path), "workloads/libdwarf_lib.so"), &r);
	assert_int_equal(r.mismatched, 0);
	assert_true(r.answered * 10 >= r.asked * 9);
}

static void test_cxx(void **state)
{
	char path[4096];
	struct result r;

	(void)state;
	compare(build_path(path, sizeof(path), "workloads/dwarf_cxx"), &r);
	assert_int_equal(r.mismatched, 0);
	assert_true(r.answered * 2 >= r.asked);
	assert_true(r.mangled_inlined > 0);
}

/* libc's debug file (libc6-dbg), found by the build id as perf finds it. */
static void test_libc(void **state)
{
	FILE *f = popen("file -L /lib/x86_64-linux-gnu/libc.so.6", "r");
	char line[4096], path[4200], *id;
	struct result r;

	(void)state;
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof(line), f));
	pclose(f);
	id = strstr(line, "BuildID[sha1]=");
	assert_non_null(id);
	id += strlen("BuildID[sha1]=");
	id[strspn(id, "0123456789abcdef")] = '\0';
	snprintf(path, sizeof(path), "/usr/lib/debug/.build-id/%.2s/%s.debug", id, id + 2);
	if (access(path, R_OK)) {
		print_message("no %s (libc6-dbg)\n", path);
		fail();
	}
	compare(path, &r);
	assert_int_equal(r.mismatched, 0);
	assert_true(r.answered * 2 >= r.asked);
	assert_true(r.inlined > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_c),
		cmocka_unit_test(test_cxx),
		cmocka_unit_test(test_libc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
