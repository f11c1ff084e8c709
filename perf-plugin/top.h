/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * top: the terminal view of `flamescope top` (top-term.c). cmd-top.c runs
 * the live loop, fills a struct top_view each refresh and performs what the
 * keys ask for (write files, quit); the view draws the window's heat map,
 * keeps the cursor and the selected range (in seconds of perf time, so they
 * stay on their moment while the map scrolls) and lists the range's top
 * functions.
 *
 * Three ways of drawing: a terminal that can address the cursor gets the
 * map redrawn in place on the alternate screen, in xterm-256 colours when
 * TERM (or COLORTERM) says it has them, else in plain characters; TERM=dumb
 * or output that is not a terminal gets plain frames one after another.
 * Keys are read whenever standard input is a terminal (raw mode, restored
 * by top_term__close(), which the caller also runs after a signal).
 */
#ifndef FS_TOP_H
#define FS_TOP_H

#include <stdbool.h>
#include <stdint.h>
#include "heatmap.h"
#include "profile.h"
#include "view.h"

struct top_view {
	const struct fs_profile *p;
	const struct fs_filter *filter;	/* prepared against p */
	int64_t origin;			/* the first column: a whole second of perf time */
	uint32_t columns;		/* the window, in seconds */
	uint32_t rows;			/* --rows, 0: what fits */
	double wall_offset;		/* wall-clock seconds = perf seconds + wall_offset */
	const char *what;		/* "cpu-clock 49 Hz, all cpus" */
	uint64_t samples, lost, throttled;
	bool paused, ended, user_only;
	const char *palette;
	uint64_t max;			/* colour scale top; 0 = the map's */
};

enum top_action {
	TOP_NONE,
	TOP_REDRAW,			/* the cursor or range moved */
	TOP_WRITE,			/* write the range's flame graph and the window's heat map */
	TOP_PAUSE,			/* freeze (or thaw) the view */
	TOP_QUIT,
};

struct top_term;

/* Opens the view on standard output; raw keys from standard input when it is a terminal. */
struct top_term *top_term__open(void);
/* Restores the terminal (cursor, screen, input mode); idempotent. */
void top_term__close(struct top_term *t);
/* The restore alone, async-signal-safe (write, tcsetattr): for a watchdog about to _exit. */
void top_term__restore(struct top_term *t);
/* Stops using the terminal for a while (Ctrl-Z), and takes it back. */
void top_term__suspend(struct top_term *t);
void top_term__resume(struct top_term *t);
/* The descriptor to poll for keys, -1 when none are read. */
int top_term__fd(const struct top_term *t);
/* Reads the keys waiting; the strongest action they ask for. */
enum top_action top_term__input(struct top_term *t);
/* Whether frames are redrawn in place (so key moves redraw at once). */
bool top_term__interactive(const struct top_term *t);
int top_term__draw(struct top_term *t, const struct top_view *v);
/*
 * The selected range in ns of perf time, [start, end): the cells from the
 * range's start to its end (or the cursor, while the end is not chosen), or
 * the whole window when nothing is selected (false).
 */
bool top_term__range(const struct top_term *t, const struct top_view *v, uint64_t *start,
		     uint64_t *end);
/* A line shown under the view until the next message. */
void top_term__message(struct top_term *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
