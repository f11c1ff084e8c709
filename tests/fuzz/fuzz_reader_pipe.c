// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_reader_pipe: the reader in pipe mode. The input is what follows the
 * 16-byte pipe header (HEADER_ATTR, HEADER_FEATURE, COMPRESSED ... records),
 * so no mutation is wasted on the magic.
 */
#define FUZZ_PIPE 1
#include "fuzz_reader.c"
