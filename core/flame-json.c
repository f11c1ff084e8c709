// SPDX-License-Identifier: GPL-2.0-only
/*
 * Flame graph as d3-flame-graph's JSON tree, the shape FlameScope's
 * /api/v1/flamegraph returns (app/perf/flame_graph.py): the root is
 * {"n": "root", "l": ""}, the process frame has "l": "", other frames
 * "kernel", "jit", "user" or "inlined" (its library2type()), and "v" is the
 * node's SELF count (FlameScope adds 1 only to the leaf of each stack; the
 * d3 side sums). A differential tree also gets "d", the self delta
 * (FlameScope's differential answer carries "d" the same way).
 * Written depth first with an explicit stack: trees can be deeper than the
 * C stack would like.
 */
#include <stdlib.h>
#include <string.h>
#include "escape.h"
#include "flame.h"

struct cursor {
	uint32_t node, next;	/* next child to write, 0 when done */
};

static const char *libtype(const struct fs_flame_node *n, uint32_t idx)
{
	if (idx == 0)
		return "";
	switch (n->kind) {
	case FS_FRAME_COMM: return "";
	case FS_FRAME_KERNEL: return "kernel";
	case FS_FRAME_JIT: return "jit";
	case FS_FRAME_INLINED: return "inlined";
	default: return "user";
	}
}


/* Decimal without printf: a million nodes make printf's parsing add up. */
static void put_int(FILE *out, int64_t v)
{
	char buf[24], *p = buf + sizeof(buf);
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	fwrite(p, 1, buf + sizeof(buf) - p, out);
}

static void open_node(const struct fs_flame *fl, uint32_t idx, FILE *out)
{
	const struct fs_flame_node *n = &fl->nodes[idx];
	const char *name = idx == 0 ? "root" : n->name ? n->name : "";
	uint64_t a, b;

	fs_flame__self(fl, idx, &a, &b);
	fputs("{\"n\": \"", out);
	fs_escape__json(out, name, strlen(name));
	fputs("\", \"l\": \"", out);
	fputs(libtype(n, idx), out);
	fputs("\", \"v\": ", out);
	put_int(out, a > INT64_MAX ? INT64_MAX : (int64_t)a);
	if (fl->differential) {
		fputs(", \"d\": ", out);
		put_int(out, (int64_t)(a - b));
	}
	fputs(", \"c\": [", out);
}

int fs_flame__write_json(const struct fs_flame *fl, FILE *out, struct fs_error *err)
{
	struct cursor *stack;
	uint32_t depth = 0, alloc = 64, written = 1;

	if (!fl || !fl->nr_nodes || !fl->nodes)
		return fs_error__set(err, "flame graph JSON: empty tree");
	stack = malloc(alloc * sizeof(*stack));
	if (!stack)
		return fs_error__set(err, "flame graph JSON: out of memory");
	open_node(fl, 0, out);
	stack[depth++] = (struct cursor){ 0, fl->nodes[0].first_child };
	while (depth) {
		struct cursor *top = &stack[depth - 1];
		uint32_t child = top->next;

		if (!child) {
			fputs("]}", out);
			depth--;
			continue;
		}
		if (child >= fl->nr_nodes || ++written > fl->nr_nodes) {
			uint32_t bad = top->node;

			free(stack);
			return fs_error__set(err, "flame graph JSON: node %u links outside the tree", bad);
		}
		if (child != fl->nodes[top->node].first_child)
			fputs(", ", out);
		top->next = fl->nodes[child].next_sibling;
		if (depth == alloc) {
			struct cursor *s = realloc(stack, 2 * alloc * sizeof(*stack));

			if (!s) {
				free(stack);
				return fs_error__set(err, "flame graph JSON: out of memory");
			}
			stack = s;
			alloc *= 2;
		}
		open_node(fl, child, out);
		stack[depth++] = (struct cursor){ child, fl->nodes[child].first_child };
		if ((written & 4095) == 0 && ferror(out))
			break;
	}
	free(stack);
	fputc('\n', out);
	if (fflush(out) || ferror(out))
		return fs_error__set(err, "flame graph JSON: write error");
	return 0;
}
