// SPDX-License-Identifier: GPL-2.0-only
/*
 * perf's --time parser, rewritten from the behaviour of perf 6.1's
 * util/time-utils.c: the same strings are accepted and refused, and the
 * same nanosecond bounds come out (rounding and the "end - 1" included).
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "timerange.h"

#define NSEC_PER_SEC 1000000000ULL

int fs_timerange__parse_time(const char *s, uint64_t *ns)
{
	char frac[10], *end;
	uint64_t sec, nsec = 0;
	size_t n;

	sec = strtoull(s, &end, 10);
	if (*end != '.' && *end != '\0')
		return -1;
	if (*end == '.') {
		end++;
		n = strlen(end);
		if (n > 9)
			return -1;
		memcpy(frac, end, n);
		/* right-pad: "5.1" is 5.100000000 */
		memset(frac + n, '0', 9 - n);
		frac[9] = '\0';
		nsec = strtoull(frac, &end, 10);
		if (*end != '\0')
			return -1;
	}
	*ns = sec * NSEC_PER_SEC + nsec;
	return 0;
}

/* One "start,stop" (either may be empty); s is modified. */
static int parse_one(char *s, uint64_t *start, uint64_t *stop)
{
	char *comma = strchr(s, ',');

	*start = *stop = 0;
	if (comma)
		*comma++ = '\0';
	if (*s && fs_timerange__parse_time(s, start))
		return -1;
	if (comma && *comma && fs_timerange__parse_time(comma, stop))
		return -1;
	if (*stop && *stop < *start)
		return -1;
	return 0;
}

/* "A,B C,D ...": n commas give n ranges, which must not overlap. */
static int parse_abs(char *s, struct fs_timerange *tr, uint32_t size)
{
	uint32_t num = 0, i;
	char *p = s, *arg;

	for (char *c = s; *c; c++)
		num += *c == ',';
	if (!num || num > size)
		return -1;
	for (i = 0; i < num - 1; i++) {
		arg = p;
		p = strchr(p, ',') + 1;
		while (*p && isspace((unsigned char)*p))
			p++;
		while (*p && !isspace((unsigned char)*p))
			if (*p++ == ',')
				return -1;
		if (*p)
			*p++ = '\0';
		if (parse_one(arg, &tr->r[i].start, &tr->r[i].end))
			return -1;
	}
	if (parse_one(p, &tr->r[i].start, &tr->r[i].end))
		return -1;
	for (i = 0; i + 1 < num; i++)
		if (tr->r[i].end >= tr->r[i + 1].start)
			return -1;
	tr->nr = num;
	return 0;
}

static int parse_percent(char *s, double *pct)
{
	char *c = strchr(s, '%'), *end;

	if (!c)
		return -1;
	*c = '\0';
	*pct = strtod(s, &end) / 100.0;
	return end == s + strlen(s) ? 0 : -1;
}

/* round(f * total) for f in [0, 1], never past total (a double of 2^64 has no uint64_t). */
static uint64_t scale(double f, uint64_t total)
{
	double v = round(f * total);

	return v >= (double)total ? total : (uint64_t)v;
}

static int set_percent(uint64_t *start, uint64_t *stop, double sp, double ep,
		       uint64_t first, uint64_t last)
{
	uint64_t total = last > first ? last - first : 0;	/* a file may claim first > last */

	if (sp < 0.0 || sp > 1.0 || ep < 0.0 || ep > 1.0)
		return -1;
	*start = first + scale(sp, total);
	*stop = first + scale(ep, total);
	if (*stop > *start && *stop != last)
		*stop -= 1;
	return 0;
}

/* "10%/2": the 2nd slice of 10%. */
static int percent_slash(char *s, uint64_t *start, uint64_t *stop, uint64_t first, uint64_t last)
{
	char *p = strchr(s, '/'), *end;
	double pct;
	long i;

	if (!p)
		return -1;
	*p++ = '\0';
	if (parse_percent(s, &pct))
		return -1;
	i = (int)strtol(p, &end, 10);
	if (*end || pct <= 0.0)
		return -1;
	return set_percent(start, stop, pct * (i - 1), pct * i, first, last);
}

/* "0%-10%" */
static int percent_dash(char *s, uint64_t *start, uint64_t *stop, uint64_t first, uint64_t last)
{
	char *d = strchr(s, '-');
	double sp, ep;

	if (!*s)
		return 0;
	if (!d)
		return -1;
	*d++ = '\0';
	if (parse_percent(s, &sp) || parse_percent(d, &ep))
		return -1;
	return set_percent(start, stop, sp, ep, first, last);
}

static int parse_pct(char *s, struct fs_timerange *tr, uint32_t size, uint64_t first, uint64_t last)
{
	size_t len = strlen(s);
	char *end = s + len, *p1 = s, *p2;
	bool slash = strchr(s, '/'), dash = strchr(s, '-');
	uint32_t i = 0;

	if (!slash && !dash) {
		char buf[len + 3];

		/* "xx%" must end with its '%' and means "xx%/1" */
		if (!len || s[len - 1] != '%')
			return -1;
		memcpy(buf, s, len);
		memcpy(buf + len, "/1", 3);
		if (percent_slash(buf, &tr->r[0].start, &tr->r[0].end, first, last))
			return -1;
		tr->nr = 1;
		return 0;
	}
	while (p1 < end) {
		if (i >= size)
			return -1;
		p2 = strchr(p1, ',');
		if (p2)
			*p2 = '\0';
		if ((slash ? percent_slash : percent_dash)(p1, &tr->r[i].start, &tr->r[i].end,
							   first, last))
			return -1;
		i++;
		if (!p2)
			break;
		p1 = p2 + 1;
	}
	tr->nr = i;
	return 0;
}

int fs_timerange__parse_rel(const char *spec, uint64_t first, uint64_t last, bool reltime,
			    struct fs_timerange **out, struct fs_error *err)
{
	bool pct = strchr(spec, '%');
	uint32_t size = 1;
	struct fs_timerange *tr;
	char *s;
	int ret;

	*out = NULL;
	if ((pct || reltime) && !first && !last)
		return fs_error__set(err, "--time: no first/last sample time in the file (HEADER_SAMPLE_TIME)");
	for (const char *c = spec; *c; c++)
		size += *c == ',';
	tr = calloc(1, sizeof(*tr) + size * sizeof(tr->r[0]));
	s = strdup(spec);
	if (!tr || !s) {
		free(tr);
		free(s);
		return fs_error__set(err, "out of memory");
	}
	ret = pct ? parse_pct(s, tr, size, first, last) : parse_abs(s, tr, size);
	free(s);
	if (ret) {
		free(tr);
		return fs_error__set(err, "Invalid time string: '%s'", spec);
	}
	if (reltime) {
		for (uint32_t i = 0; i < tr->nr; i++) {
			tr->r[i].start += first;
			tr->r[i].end += first;
		}
	}
	*out = tr;
	return 0;
}

int fs_timerange__parse(const char *spec, uint64_t first, uint64_t last,
			struct fs_timerange **out, struct fs_error *err)
{
	return fs_timerange__parse_rel(spec, first, last, false, out, err);
}

bool fs_timerange__contains(const struct fs_timerange *tr, uint64_t t)
{
	if (!tr || !t || !tr->nr)
		return true;
	if (tr->nr == 1)
		return !((tr->r[0].start && t < tr->r[0].start) ||
			 (tr->r[0].end && t > tr->r[0].end));
	for (uint32_t i = 0; i < tr->nr; i++)
		if (t >= tr->r[i].start && (t <= tr->r[i].end || !tr->r[i].end))
			return true;
	return false;
}

void fs_timerange__delete(struct fs_timerange *tr)
{
	free(tr);
}
