// SPDX-License-Identifier: GPL-2.0-only
/*
 * hostile: spins in functions whose symbol names are hostile to SVG, XML,
 * JSON and HTML writers, for the escaping tests.
 *
 *   hostile [SECONDS]     (default 1; the time is split between the functions)
 *
 * The names are given with asm labels; the assembler accepts any bytes in a
 * double-quoted symbol name:
 *   evil</text><script>alert(1)</script>
 *   amp&name&amp;<b>
 *   quote"dbl'single
 *   bad\xff\xfeutf8      (invalid UTF-8)
 * gas cannot parse an escaped quote in a call operand, so every hostile
 * function is called through a pointer table written in assembly (.quad).
 */
#include <stdlib.h>
#include <time.h>

static volatile unsigned long sink;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Non-leaf on purpose: GCC drops the frame setup of leaf functions. */
__attribute__((noinline)) void hostile_tick(unsigned long x)
{
	sink = x;
}

#define HOSTILE_BODY							\
	{								\
		double end = now() + secs;				\
		unsigned long x = sink;					\
		while (now() < end) {					\
			for (int i = 0; i < 20000; i++)			\
				x = x * 6364136223846793005UL + 1;	\
			hostile_tick(x);				\
		}							\
	}

void hostile_script(double secs) __asm__("\"evil</text><script>alert(1)</script>\"");
void hostile_script(double secs) HOSTILE_BODY

void hostile_amp(double secs) __asm__("\"amp&name&amp;<b>\"");
void hostile_amp(double secs) HOSTILE_BODY

void hostile_quote(double secs) __asm__("\"quote\\\"dbl'single\"");
void hostile_quote(double secs) HOSTILE_BODY

void hostile_utf8(double secs) __asm__("\"bad\xff\xfeutf8\"");
void hostile_utf8(double secs) HOSTILE_BODY

__asm__(".section .data.rel.ro,\"aw\"\n"
	".balign 8\n"
	".globl hostile_table\n"
	"hostile_table:\n"
	".quad \"evil</text><script>alert(1)</script>\"\n"
	".quad \"amp&name&amp;<b>\"\n"
	".quad \"quote\\\"dbl'single\"\n"
	".quad \"bad\xff\xfeutf8\"\n"
	".previous\n");
extern void (*const hostile_table[4])(double);

int main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 1.0;

	if (!(secs > 0 && secs <= 3600))
		secs = 1.0;
	for (int i = 0; i < 4; i++)
		hostile_table[i](secs / 4);
	return 0;
}
