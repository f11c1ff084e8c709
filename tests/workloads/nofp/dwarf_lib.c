// SPDX-License-Identifier: GPL-2.0-only
/*
 * libdwarf_lib.so: the shared library dwarf_c calls into, built without
 * frame pointers, so its frames (and the callback back into the program)
 * can only be walked with its .eh_frame.
 */
static volatile unsigned long lib_sink;

/* Kept apart from lib_spin so it stays a call (and a frame) of its own. */
__attribute__((noinline)) static unsigned long lib_leaf(unsigned long x, int n)
{
	for (int i = 0; i < n; i++)
		x = x * 2862933555777941757UL + 3037000493UL;
	return x;
}

/* lib_spin -> lib_leaf, then back into the caller's code through cb. */
__attribute__((noinline)) unsigned long lib_spin(int n, unsigned long (*cb)(unsigned long))
{
	unsigned long x = lib_leaf(lib_sink + n, n);

	lib_sink = x;
	return cb(x);
}
