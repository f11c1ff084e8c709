// SPDX-License-Identifier: GPL-2.0-only
/*
 * symlookup: prints the symbol flamescope's symbolizer gives (dso, address),
 * for tests that compare with perf, nm and readelf.
 *   symlookup [-s SYMFS] [-b BUILDID_DIR] [-k KALLSYMS] [-f FILE] [DSO BUILDID|- ADDR...]
 * With -f, FILE holds lines "DSO<TAB>BUILDID|-<TAB>ADDR" (hex address). Each lookup prints
 * "ADDR NAME START END" (or "ADDR [unknown]"); -n prints the symbol count instead.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "symbols.h"

static int parse_bid(const char *hex, uint8_t *bid)
{
	size_t n = strlen(hex);

	if (!strcmp(hex, "-"))
		return 0;
	if (n % 2 || n > 40)
		return -1;
	for (size_t i = 0; i < n / 2; i++) {
		unsigned int v;

		if (sscanf(hex + 2 * i, "%2x", &v) != 1)
			return -1;
		bid[i] = (uint8_t)v;
	}
	return (int)(n / 2);
}

static void lookup(struct fs_symbolizer *s, const char *dso, const char *hex, const char *addr,
		   int count)
{
	uint8_t bid[20];
	int n = parse_bid(hex, bid);
	struct fs_dso *d = fs_symbolizer__dso(s, dso, n > 0 ? bid : NULL, n > 0 ? (size_t)n : 0);
	uint64_t a = strtoull(addr, NULL, 16);
	const struct fs_symbol *sym;

	if (!d) {
		printf("%s [error]\n", addr);
		return;
	}
	if (count) {
		printf("%zu\n", fs_dso__nr_symbols(s, d));
		return;
	}
	sym = fs_dso__find_symbol(s, d, a);
	if (sym)
		printf("%llx %s %llx %llx\n", (unsigned long long)a, sym->name,
		       (unsigned long long)sym->start, (unsigned long long)sym->end);
	else
		printf("%llx [unknown]\n", (unsigned long long)a);
}

int main(int argc, char **argv)
{
	struct fs_symbolizer_config cfg = { 0 };
	struct fs_symbolizer *s;
	struct fs_error err;
	const char *file = NULL;
	int c, count = 0;

	while ((c = getopt(argc, argv, "s:b:k:f:n")) != -1) {
		switch (c) {
		case 's': cfg.symfs = optarg; break;
		case 'b': cfg.buildid_dir = optarg; break;
		case 'k': cfg.kallsyms = optarg; break;
		case 'f': file = optarg; break;
		case 'n': count = 1; break;
		default:
			fprintf(stderr, "usage: symlookup [-s SYMFS] [-b DIR] [-k KALLSYMS] [-n] [-f FILE] [DSO BUILDID ADDR...]\n");
			return 2;
		}
	}
	s = fs_symbolizer__new(&cfg, &err);
	if (!s) {
		fprintf(stderr, "symlookup: %s\n", err.msg);
		return 1;
	}
	if (file) {
		FILE *f = fopen(file, "r");
		char line[8192];

		if (!f) {
			perror(file);
			return 1;
		}
		while (fgets(line, sizeof(line), f)) {
			char *hex = strchr(line, '\t'), *addr;

			if (!hex || !(addr = strchr(hex + 1, '\t'))) {
				printf("[bad query]\n");
				continue;
			}
			*hex++ = '\0';
			*addr++ = '\0';
			addr[strcspn(addr, "\n")] = '\0';
			lookup(s, line, hex, addr, count);
		}
		fclose(f);
	} else if (argc - optind >= 3) {
		for (int i = optind + 2; i < argc; i++)
			lookup(s, argv[optind], argv[optind + 1], argv[i], count);
	}
	fs_symbolizer__delete(s);
	return 0;
}
