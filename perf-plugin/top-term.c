// SPDX-License-Identifier: GPL-2.0-only
/*
 * The terminal view of flamescope top: the window's heat map (one column a
 * second, the newest at the right), a cursor and a range picked with keys,
 * and the range's top functions, redrawn in place.
 *
 *	line 0		status: event, target, time, samples, losses
 *	1 .. R		the map, the end of each second at the top
 *	R+1		wall-clock labels
 *	R+2		markers: ^ the cursor's column, [---] the range's
 *	R+3		the cursor's cell and the range
 *	R+4 ..		top functions of the range (self samples)
 *	last		keys, or the last message
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include "idmap.h"
#include "palette.h"
#include "top.h"

#define LABEL_W		8	/* row labels: "  900ms " */
#define FIXED_LINES	6	/* status, axis, markers, info, list header, keys */
#define PLAIN_RAMP	":-=+*#%@"

struct top_term {
	bool keys, addressing, colour;
	bool raw, screen;
	struct termios saved;
	int width, height;
	/* the cursor and the range: cells as (second of perf time, row from the second's start) */
	bool cursor_moved;
	int64_t cur_sec;
	int cur_row;
	int sel;			/* 0: none, 1: start chosen, 2: start and end */
	int64_t a_sec, b_sec;
	int a_row, b_row;
	uint32_t rows;			/* of the last frame: what rows mean */
	int64_t oldest, newest;		/* the seconds it showed, for the cursor */
	char msg[512];
	unsigned char in[64];
	size_t nin;
};

/* ---- terminal modes ---- */

static void screen_size(struct top_term *t)
{
	struct winsize ws;
	const char *c = getenv("COLUMNS"), *l = getenv("LINES");

	t->width = 80;
	t->height = 24;
	if (isatty(STDOUT_FILENO) && !ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) && ws.ws_col && ws.ws_row) {
		t->width = ws.ws_col;
		t->height = ws.ws_row;
	} else {
		if (c && atoi(c) > 0)
			t->width = atoi(c);
		if (l && atoi(l) > 0)
			t->height = atoi(l);
	}
	if (t->width > 1000)
		t->width = 1000;
}

static void raw_on(struct top_term *t)
{
	struct termios tio;

	if (!t->keys || tcgetattr(STDIN_FILENO, &t->saved))
		return;
	tio = t->saved;
	/* keys one by one, unechoed; ISIG stays, so Ctrl-C and Ctrl-Z still signal */
	tio.c_lflag &= ~(ICANON | ECHO);
	tio.c_iflag &= ~(IXON | ICRNL);
	tio.c_cc[VMIN] = 0;
	tio.c_cc[VTIME] = 0;
	t->raw = !tcsetattr(STDIN_FILENO, TCSAFLUSH, &tio);
}

static void put(const char *s)
{
	size_t n = strlen(s);

	while (n) {
		ssize_t w = write(STDOUT_FILENO, s, n);

		if (w <= 0)
			return;
		s += w;
		n -= w;
	}
}

static void screen_on(struct top_term *t)
{
	if (!t->addressing)
		return;
	put("\033[?1049h\033[?25l\033[H\033[2J");	/* alternate screen, no cursor */
	t->screen = true;
}

struct top_term *top_term__open(void)
{
	struct top_term *t = calloc(1, sizeof(*t));
	const char *term = getenv("TERM"), *colorterm = getenv("COLORTERM");

	if (!t)
		return NULL;
	t->keys = isatty(STDIN_FILENO);
	t->addressing = isatty(STDOUT_FILENO) && term && *term && strcmp(term, "dumb");
	t->colour = t->addressing && !getenv("NO_COLOR") &&
		    (strstr(term, "256") || (colorterm && *colorterm));
	screen_size(t);
	raw_on(t);
	screen_on(t);
	return t;
}

static void restore(struct top_term *t)
{
	if (t->screen)
		put("\033[0m\033[?25h\033[?1049l");
	t->screen = false;
	if (t->raw)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &t->saved);
	t->raw = false;
}

void top_term__restore(struct top_term *t)
{
	if (t)
		restore(t);
}

void top_term__close(struct top_term *t)
{
	if (!t)
		return;
	restore(t);
	free(t);
}

void top_term__suspend(struct top_term *t)
{
	restore(t);
}

void top_term__resume(struct top_term *t)
{
	screen_size(t);
	raw_on(t);
	screen_on(t);
}

int top_term__fd(const struct top_term *t)
{
	return t->keys ? STDIN_FILENO : -1;
}

bool top_term__interactive(const struct top_term *t)
{
	return t->addressing;
}

void top_term__message(struct top_term *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->msg, sizeof(t->msg), fmt, ap);
	va_end(ap);
}

/* ---- keys ---- */

static void move(struct top_term *t, int dsec, int drow)
{
	t->cursor_moved = true;
	t->cur_sec += dsec;
	t->cur_row += drow;
	/* rows wrap into the neighbouring second, as time does */
	while (t->rows && t->cur_row >= (int)t->rows)
		t->cur_row -= t->rows, t->cur_sec++;
	while (t->rows && t->cur_row < 0)
		t->cur_row += t->rows, t->cur_sec--;
	if (t->rows && t->cur_sec > t->newest)
		t->cur_sec = t->newest, t->cur_row = t->rows - 1;
	if (t->rows && t->cur_sec < t->oldest)
		t->cur_sec = t->oldest, t->cur_row = 0;
}

static enum top_action enter(struct top_term *t)
{
	t->cursor_moved = true;
	if (t->sel == 1) {
		t->b_sec = t->cur_sec;
		t->b_row = t->cur_row;
		t->sel = 2;
	} else {
		t->a_sec = t->cur_sec;
		t->a_row = t->cur_row;
		t->sel = 1;
	}
	return TOP_REDRAW;
}

/* One key (or escape sequence) at in[0..n); returns the bytes it used, 0 if incomplete. */
static size_t key(struct top_term *t, const unsigned char *in, size_t n, enum top_action *act)
{
	enum top_action a = TOP_REDRAW;
	size_t used = 1;

	if (in[0] == 033 && n >= 2 && (in[1] == '[' || in[1] == 'O')) {
		size_t i = 2;

		while (i < n && !((in[i] >= 'A' && in[i] <= 'Z') || in[i] == '~'))
			i++;
		if (i >= n)
			return n >= sizeof(t->in) ? n : 0;
		used = i + 1;
		switch (in[i]) {
		case 'A': move(t, 0, 1); break;
		case 'B': move(t, 0, -1); break;
		case 'C': move(t, 1, 0); break;
		case 'D': move(t, -1, 0); break;
		default: a = TOP_NONE;
		}
	} else {
		switch (in[0]) {
		case 033: t->sel = 0; break;	/* a lone Esc: clear the range */
		case 'k': move(t, 0, 1); break;
		case 'j': move(t, 0, -1); break;
		case 'l': move(t, 1, 0); break;
		case 'h': move(t, -1, 0); break;
		case 'H': move(t, -10, 0); break;
		case 'L': move(t, 10, 0); break;
		case '\r': case '\n': a = enter(t); break;
		case 'w': case 'W': a = TOP_WRITE; break;
		case ' ': case 'p': a = TOP_PAUSE; break;
		case 'q': case 'Q': case 3: a = TOP_QUIT; break;
		case 014: a = TOP_REDRAW; break;	/* Ctrl-L */
		default: a = TOP_NONE;
		}
	}
	if (a > *act)
		*act = a;
	return used;
}

enum top_action top_term__input(struct top_term *t)
{
	enum top_action act = TOP_NONE;
	size_t off = 0, used;
	ssize_t n;

	if (!t->keys)
		return TOP_NONE;
	n = read(STDIN_FILENO, t->in + t->nin, sizeof(t->in) - t->nin);
	if (n > 0)
		t->nin += n;
	while (off < t->nin && (used = key(t, t->in + off, t->nin - off, &act)))
		off += used;
	/* a partial escape sequence waits for its end */
	memmove(t->in, t->in + off, t->nin - off);
	t->nin -= off;
	return act;
}

/* ---- the range ---- */

static int64_t cell_index(int64_t sec, int row, uint32_t rows)
{
	return sec * (int64_t)rows + row;
}

/* The range's first and last cells (inclusive), as cell indexes. */
static bool range_cells(const struct top_term *t, int64_t *lo, int64_t *hi)
{
	int64_t a, b;

	if (!t->sel || !t->rows)
		return false;
	a = cell_index(t->a_sec, t->a_row, t->rows);
	b = t->sel == 2 ? cell_index(t->b_sec, t->b_row, t->rows) :
			  cell_index(t->cur_sec, t->cur_row, t->rows);
	*lo = a < b ? a : b;
	*hi = a < b ? b : a;
	return true;
}

static uint64_t cell_ns(int64_t idx, uint32_t rows)
{
	return idx <= 0 ? 0 : (uint64_t)((__int128)idx * 1000000000 / rows);
}

bool top_term__range(const struct top_term *t, const struct top_view *v, uint64_t *start,
		     uint64_t *end)
{
	int64_t lo, hi;

	if (!range_cells(t, &lo, &hi)) {
		*start = (uint64_t)v->origin * 1000000000ull;
		*end = (uint64_t)(v->origin + v->columns) * 1000000000ull;
		return false;
	}
	*start = cell_ns(lo, t->rows);
	*end = cell_ns(hi + 1, t->rows);
	return true;
}

/* ---- top functions ---- */

struct top_fn {
	uint32_t sym, dso;
	uint64_t n;
};

static int top_fn_cmp(const void *a, const void *b)
{
	const struct top_fn *x = a, *y = b;

	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return x->sym < y->sym ? -1 : x->sym > y->sym;
}

/* Self samples per function (the innermost frame's symbol and dso) in [start, end). */
static struct top_fn *top_functions(const struct top_view *v, uint64_t start, uint64_t end,
				    uint32_t *nr, uint64_t *total)
{
	const struct fs_profile *p = v->p;
	struct top_fn *fns = NULL;
	struct fs_idmap ids;
	uint32_t n = 0, alloc = 0;

	*nr = 0;
	*total = 0;
	if (fs_idmap__init(&ids, 256))
		return NULL;
	for (uint64_t i = fs_profile__lower_bound(p, start); i < p->nr_samples; i++) {
		const struct fs_profile_sample *s = &p->samples[i];
		uint32_t sym = UINT32_MAX, dso = UINT32_MAX, id;
		uint64_t key;

		if (s->time >= end)
			break;
		if (!fs_filter__match(v->filter, p, s))
			continue;
		if (s->stack) {
			const struct fs_profile_frame *f = &p->frames[p->stacks[s->stack].frame];

			sym = f->sym;
			dso = f->dso;
		}
		key = (uint64_t)dso << 32 | sym;
		id = fs_idmap__get(&ids, key);
		if (id == UINT32_MAX) {
			if (n == alloc) {
				struct top_fn *f = realloc(fns, (alloc = alloc ? 2 * alloc : 64) * sizeof(*f));

				if (!f)
					break;
				fns = f;
			}
			if (fs_idmap__put(&ids, key, n))
				break;
			fns[id = n++] = (struct top_fn){ sym, dso, 0 };
		}
		fns[id].n += fs_filter__weight(v->filter, s);
		*total += fs_filter__weight(v->filter, s);
	}
	fs_idmap__exit(&ids);
	if (fns)
		qsort(fns, n, sizeof(*fns), top_fn_cmp);
	*nr = n;
	return fns;
}

/* ---- drawing ---- */

struct frame {
	FILE *f;
	char *buf;
	size_t size;
	int vis, width;			/* visible columns on the current line */
	int colour;			/* background in effect, -1 none */
	bool ansi;
};

static void fr_raw(struct frame *fr, const char *s)
{
	if (fr->ansi)
		fputs(s, fr->f);
}

/* Text, cut at the line's width; control characters (escape sequences) as '?'. */
static void fr_text(struct frame *fr, const char *s)
{
	for (; *s && fr->vis < fr->width; s++, fr->vis++)
		fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, fr->f);
}

static void fr_printf(struct frame *fr, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void fr_printf(struct frame *fr, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fr_text(fr, buf);
}

static void fr_colour(struct frame *fr, int colour)
{
	char esc[32];

	if (colour == fr->colour)
		return;
	if (colour < 0)
		snprintf(esc, sizeof(esc), "\033[0m");
	else
		snprintf(esc, sizeof(esc), "\033[0;48;5;%dm", colour);
	fr_raw(fr, esc);
	fr->colour = colour;
}

static void fr_eol(struct frame *fr, bool last)
{
	fr_colour(fr, -1);
	if (fr->ansi)
		fputs("\033[K", fr->f);
	if (!last)
		fputs(fr->ansi ? "\r\n" : "\n", fr->f);
	fr->vis = 0;
}

/*
 * The wall-clock time of a moment of perf time, to the second, rounded:
 * the two clocks differ by a fraction of a second.
 */
static void wall_time(const struct top_view *v, double perf_sec, char *out, size_t size)
{
	time_t sec = (time_t)floor(perf_sec + v->wall_offset + 0.5);
	struct tm tm;

	localtime_r(&sec, &tm);
	snprintf(out, size, "%02d:%02d:%02d", tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static uint32_t nice_rows(int room)
{
	static const uint32_t nice[] = { 50, 25, 20, 10, 5, 4, 2, 1 };

	for (size_t i = 0; i < sizeof(nice) / sizeof(nice[0]); i++)
		if ((int)nice[i] <= room)
			return nice[i];
	return 1;
}

/* Map rows and list lines for the screen: the map first, a few list lines kept. */
static void layout(struct top_term *t, const struct top_view *v, uint32_t *rows, int *list)
{
	int room = t->height - FIXED_LINES;

	if (!t->addressing) {
		*rows = v->rows ? v->rows : 10;
		*list = 10;
		return;
	}
	if (room < 2)
		room = 2;
	if (v->rows)
		*rows = v->rows < (uint32_t)room ? v->rows : (uint32_t)room;
	else
		*rows = nice_rows(room > 12 ? room - 7 : room / 2 + 1);
	*list = room - (int)*rows;
	if (*list < 0)
		*list = 0;
}

static void rescale_rows(struct top_term *t, uint32_t rows)
{
	if (t->rows && t->rows != rows) {
		t->cur_row = t->cur_row * (int)rows / (int)t->rows;
		t->a_row = t->a_row * (int)rows / (int)t->rows;
		t->b_row = t->b_row * (int)rows / (int)t->rows;
	}
	t->rows = rows;
}

static void draw_status(struct frame *fr, const struct top_view *v)
{
	char now[16];

	wall_time(v, (double)(v->origin + v->columns), now, sizeof(now));
	fr_printf(fr, "flamescope top: %s  %s  %llu samples  %llu lost", v->what, now,
		  (unsigned long long)v->samples, (unsigned long long)v->lost);
	if (v->throttled)
		fr_printf(fr, "  %llu throttled", (unsigned long long)v->throttled);
	if (v->user_only)
		fr_text(fr, "  (user space only)");
	if (v->paused)
		fr_text(fr, "  PAUSED");
	if (v->ended)
		fr_text(fr, "  (ended)");
}

static char plain_cell(uint64_t value, uint64_t max)
{
	size_t levels = sizeof(PLAIN_RAMP) - 1, k;

	if (!value)
		return '.';
	k = max ? (value * levels + max - 1) / max : levels;
	return PLAIN_RAMP[(k < 1 ? 1 : k > levels ? levels : k) - 1];
}

static void draw_map(struct top_term *t, struct frame *fr, const struct top_view *v,
		     const struct fs_heatmap *hm, uint32_t first)
{
	uint64_t max = v->max ? v->max : hm->maxvalue;
	int64_t lo = 0, hi = -1;
	uint32_t label_every = hm->rows > 10 ? (hm->rows + 9) / 10 : hm->rows > 5 ? 2 : 1;

	range_cells(t, &lo, &hi);
	for (uint32_t r = hm->rows; r-- > 0;) {
		if (r % label_every == 0)
			fr_printf(fr, "%5.0fms ", 1000.0 * r / hm->rows);
		else
			fr_text(fr, "        ");
		for (uint32_t c = first; c < hm->columns && fr->vis < fr->width; c++) {
			uint64_t value = fs_heatmap__value(hm, c, r);
			int64_t sec = v->origin + c, idx = cell_index(sec, (int)r, hm->rows);
			bool cursor = sec == t->cur_sec && (int)r == t->cur_row;
			bool in_range = idx >= lo && idx <= hi;
			char ch = fr->ansi && t->colour ? (in_range ? ':' : ' ') : plain_cell(value, max);

			if (t->colour)
				fr_colour(fr, fs_palette__xterm256(fs_palette__heat(v->palette, value, max)));
			if (cursor && fr->ansi) {
				fr_raw(fr, "\033[7m");
				fputc('X', fr->f);
				fr_raw(fr, "\033[27m");
			} else {
				fputc(cursor ? 'X' : ch, fr->f);
			}
			fr->vis++;
		}
		fr_eol(fr, false);
	}
}

static void draw_axis(struct top_term *t, struct frame *fr, const struct top_view *v,
		      uint32_t first)
{
	int64_t lo = 0, hi = -1;
	uint32_t pos = 0;
	char label[16];

	fr_text(fr, "        ");
	for (uint32_t c = first; c < v->columns; c++) {
		int64_t sec = v->origin + c;

		if (c < first + pos || ((int64_t)floor(sec + v->wall_offset + 0.5) % 10 + 10) % 10)
			continue;
		if (c + 8 > v->columns)
			break;
		fr_printf(fr, "%*s", (int)(c - first - pos), "");
		wall_time(v, (double)sec, label, sizeof(label));
		fr_text(fr, label);
		pos = c - first + 8;
	}
	fr_eol(fr, false);
	/* markers */
	fr_text(fr, "        ");
	range_cells(t, &lo, &hi);
	for (uint32_t c = first; c < v->columns && fr->vis < fr->width; c++) {
		int64_t sec = v->origin + c, s0 = t->rows ? lo / (int64_t)t->rows : 0;
		int64_t s1 = t->rows ? hi / (int64_t)t->rows : -1;
		char ch = ' ';

		if (t->sel && sec >= s0 && sec <= s1)
			ch = sec == s0 ? '[' : sec == s1 ? ']' : '-';
		if (sec == t->cur_sec)
			ch = '^';
		fputc(ch, fr->f);
		fr->vis++;
	}
	fr_eol(fr, false);
}

/* A cell as "HH:MM:SS+300ms": its second's wall-clock time and its offset in it. */
static void cell_label(const struct top_view *v, int64_t idx, uint32_t rows, char *out, size_t size)
{
	int64_t sec = idx >= 0 ? idx / rows : (idx - (int64_t)rows + 1) / (int64_t)rows;
	char hms[16];

	wall_time(v, (double)sec, hms, sizeof(hms));
	snprintf(out, size, "%s+%.0fms", hms, 1000.0 * (double)(idx - sec * rows) / rows);
}

static void draw_info(struct top_term *t, struct frame *fr, const struct top_view *v,
		      const struct fs_heatmap *hm, uint64_t total)
{
	int64_t c = t->cur_sec - v->origin, lo, hi;
	uint64_t n = c >= 0 && c < hm->columns ? fs_heatmap__value(hm, (uint32_t)c, t->cur_row) : 0;
	char a[32], b[32];

	cell_label(v, cell_index(t->cur_sec, t->cur_row, t->rows), t->rows, a, sizeof(a));
	fr_printf(fr, "cursor %s: %llu  ", a, (unsigned long long)n);
	if (range_cells(t, &lo, &hi)) {
		cell_label(v, lo, t->rows, a, sizeof(a));
		cell_label(v, hi + 1, t->rows, b, sizeof(b));
		fr_printf(fr, "range %s-%s: %llu%s", a, b, (unsigned long long)total,
			  t->sel == 1 ? " (Enter: end)" : "");
	} else {
		wall_time(v, (double)v->origin, a, sizeof(a));
		wall_time(v, (double)(v->origin + v->columns), b, sizeof(b));
		fr_printf(fr, "window %s-%s: %llu", a, b, (unsigned long long)total);
	}
	fr_eol(fr, false);
}

static void draw_list(struct frame *fr, const struct top_view *v, const struct top_fn *fns,
		      uint32_t nr, uint64_t total, int lines)
{
	if (lines <= 0)
		return;
	fr_printf(fr, "%6s %8s  %s", "self", "samples", "function [dso]");
	fr_eol(fr, false);
	for (int i = 0; i < lines - 1; i++) {
		if ((uint32_t)i < nr) {
			const char *sym = fns[i].sym == UINT32_MAX ? "[unknown]" :
					  fs_profile__str(v->p, fns[i].sym);
			const char *dso = fns[i].dso == UINT32_MAX ? "[unknown]" :
					  fs_profile__str(v->p, fns[i].dso);
			const char *base = strrchr(dso, '/');

			fr_printf(fr, "%5.1f%% %8llu  %s [%s]", total ? 100.0 * fns[i].n / total : 0,
				  (unsigned long long)fns[i].n, sym, base ? base + 1 : dso);
		}
		fr_eol(fr, false);
	}
}

static void place_cursor(struct top_term *t, const struct top_view *v, uint32_t first)
{
	int64_t newest = v->origin + (int64_t)v->columns - 1, oldest = v->origin + first;

	t->newest = newest;
	t->oldest = oldest;
	if (!t->cursor_moved) {
		t->cur_sec = newest;
		t->cur_row = 0;
	}
	if (t->cur_sec > newest)
		t->cur_sec = newest, t->cur_row = t->rows - 1;
	if (t->cur_sec < oldest)
		t->cur_sec = oldest, t->cur_row = 0;
}

int top_term__draw(struct top_term *t, const struct top_view *v)
{
	struct fs_heatmap_opts ho = {
		.has_origin = true, .origin = (double)v->origin, .has_to = true,
		.to = v->columns - 1e-6, .max_columns = v->columns + 1,
	};
	struct frame fr = { .colour = -1, .ansi = t->addressing };
	struct fs_heatmap *hm;
	struct fs_error err;
	struct top_fn *fns;
	uint64_t start, end, total;
	uint32_t nr, first, shown;
	int list;

	if (t->addressing)
		screen_size(t);
	layout(t, v, &ho.rows, &list);
	rescale_rows(t, ho.rows);
	fr.width = t->width;
	shown = fr.width > LABEL_W ? (uint32_t)(fr.width - LABEL_W) : 1;
	first = v->columns > shown ? v->columns - shown : 0;
	place_cursor(t, v, first);
	hm = fs_heatmap__from_profile(v->p, v->filter, &ho, &err);
	if (!hm)
		return -1;
	top_term__range(t, v, &start, &end);
	fns = top_functions(v, start, end, &nr, &total);
	fr.f = open_memstream(&fr.buf, &fr.size);
	if (!fr.f) {
		free(fns);
		fs_heatmap__delete(hm);
		return -1;
	}
	fr_raw(&fr, "\033[H");
	draw_status(&fr, v);
	fr_eol(&fr, false);
	draw_map(t, &fr, v, hm, first);
	draw_axis(t, &fr, v, first);
	draw_info(t, &fr, v, hm, total);
	draw_list(&fr, v, fns, nr, total, list);
	fr_text(&fr, t->msg[0] ? t->msg : "arrows move  Enter range  Esc clear  w write  "
		"space pause  q quit");
	fr_eol(&fr, t->addressing);
	if (t->addressing)
		fputs("\033[J", fr.f);
	else
		fputc('\n', fr.f);
	fclose(fr.f);
	fwrite(fr.buf, 1, fr.size, stdout);
	fflush(stdout);
	free(fr.buf);
	free(fns);
	fs_heatmap__delete(hm);
	return 0;
}
