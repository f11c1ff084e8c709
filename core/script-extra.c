// SPDX-License-Identifier: GPL-2.0-only
/*
 * The texts of the rarely asked -F fields that need a table: data_src
 * (perf 6.1's perf_script__meminfo_scnprintf(), util/mem-events.c), page
 * sizes (get_page_size_name()) and x86 register names (perf_reg_name()).
 */
#include <stdio.h>
#include <string.h>
#include "script-int.h"
#include "util.h"

struct text {
	char *p;
	size_t len, size;
};

static void add(struct text *t, const char *s)
{
	size_t n = strlen(s);

	if (t->len + n >= t->size)
		n = t->size - 1 - t->len;
	memcpy(t->p + t->len, s, n);
	t->len += n;
	t->p[t->len] = '\0';
}

/* Bits of m named by names[i] for bit i, " or " between them; how many were named. */
static int add_bits(struct text *t, uint64_t m, const char *const *names, size_t nr, int printed)
{
	for (size_t i = 0; m && i < nr; i++, m >>= 1) {
		if (!(m & 1))
			continue;
		if (printed++)
			add(t, " or ");
		add(t, names[i]);
	}
	return printed;
}

static void op_text(struct text *t, uint64_t op)
{
	add(t, op & PERF_MEM_OP_NA ? "N/A" : op & PERF_MEM_OP_LOAD ? "LOAD" :
	       op & PERF_MEM_OP_STORE ? "STORE" : op & PERF_MEM_OP_PFETCH ? "PFETCH" :
	       op & PERF_MEM_OP_EXEC ? "EXEC" : "No");
}

static void lvl_text(struct text *t, uint64_t v)
{
	static const char *const lvl[] = {
		"N/A", "HIT", "MISS", "L1", "LFB/MAB", "L2", "L3", "Local RAM",
		"Remote RAM (1 hop)", "Remote RAM (2 hops)", "Remote Cache (1 hop)",
		"Remote Cache (2 hops)", "I/O", "Uncached",
	};
	static const char *const lvlnum[16] = {
		[0x9] = "CXL", [0xa] = "I/O", [0xb] = "Any cache", [0xc] = "LFB/MAB",
		[0xd] = "RAM", [0xe] = "PMEM", [0xf] = "N/A",
	};
	static const char *const hops[8] = {
		"N/A", "core, same node", "node, same socket", "socket, same board", "board",
	};
	uint64_t m = (v >> PERF_MEM_LVL_SHIFT) & 0x3fff, num = (v >> PERF_MEM_LVLNUM_SHIFT) & 0xf;
	uint64_t remote = (v >> PERF_MEM_REMOTE_SHIFT) & 1, hop = (v >> PERF_MEM_HOPS_SHIFT) & 7;
	size_t start = t->len;
	int printed = 0;
	char buf[16];

	if (remote)
		add(t, "Remote ");
	if (hop) {
		add(t, hops[hop] ? hops[hop] : "");	/* perf reads past its table there */
		add(t, " ");
	} else {
		printed = add_bits(t, m & ~(uint64_t)(PERF_MEM_LVL_HIT | PERF_MEM_LVL_MISS), lvl,
				   ARRAY_SIZE(lvl), 0);
	}
	if (num) {
		if (printed++)
			add(t, " or ");
		snprintf(buf, sizeof(buf), "L%d", (int)num);
		add(t, lvlnum[num] ? lvlnum[num] : buf);
	}
	if (t->len == start)
		add(t, "N/A");
	if (m & PERF_MEM_LVL_HIT)
		add(t, " hit");
	if (m & PERF_MEM_LVL_MISS)
		add(t, " miss");
}

static void snp_text(struct text *t, uint64_t v)
{
	static const char *const snoop[] = { "N/A", "None", "Hit", "Miss", "HitM" };
	static const char *const snoopx[] = { "Fwd", "Peer" };
	int printed;

	printed = add_bits(t, (v >> PERF_MEM_SNOOP_SHIFT) & 0x1f, snoop, 5, 0);
	printed = add_bits(t, (v >> PERF_MEM_SNOOPX_SHIFT) & 3, snoopx, 2, printed);
	if (!printed)
		add(t, "N/A");
}

static void tlb_text(struct text *t, uint64_t v)
{
	static const char *const tlb[] = { "N/A", "HIT", "MISS", "L1", "L2", "Walker", "Fault" };
	uint64_t m = (v >> PERF_MEM_TLB_SHIFT) & 0x7f;

	if (!add_bits(t, m & ~(uint64_t)(PERF_MEM_TLB_HIT | PERF_MEM_TLB_MISS), tlb, 7, 0))
		add(t, "N/A");
	if (m & PERF_MEM_TLB_HIT)
		add(t, " hit");
	if (m & PERF_MEM_TLB_MISS)
		add(t, " miss");
}

static void lck_text(struct text *t, uint64_t v)
{
	uint64_t m = (v >> PERF_MEM_LOCK_SHIFT) & 3;

	add(t, m & PERF_MEM_LOCK_NA ? "N/A" : m & PERF_MEM_LOCK_LOCKED ? "Yes" : "No");
}

static void blk_text(struct text *t, uint64_t v)
{
	uint64_t m = (v >> PERF_MEM_BLK_SHIFT) & 7;

	if (!m || (m & PERF_MEM_BLK_NA)) {
		add(t, " N/A");
		return;
	}
	if (m & PERF_MEM_BLK_DATA)
		add(t, " Data");
	if (m & PERF_MEM_BLK_ADDR)
		add(t, " Addr");
}

/*
 * "%16lx |OP ..|LVL ..|SNP ..|TLB ..|LCK ..|BLK .." in at most 99 bytes, as
 * perf's two 100-byte buffers cut it; the caller pads to the longest so far.
 */
int fs_script__data_src_text(uint64_t v, char out[100])
{
	char decode[100];
	struct text t = { decode, 0, sizeof(decode) };

	decode[0] = '\0';
	add(&t, "|OP ");
	op_text(&t, v & 0x1f);
	add(&t, "|LVL ");
	lvl_text(&t, v);
	add(&t, "|SNP ");
	snp_text(&t, v);
	add(&t, "|TLB ");
	tlb_text(&t, v);
	add(&t, "|LCK ");
	lck_text(&t, v);
	add(&t, "|BLK ");
	blk_text(&t, v);
	return snprintf(out, 100, "%16llx %s", (unsigned long long)v, decode) >= 100 ? 99 :
	       (int)strlen(out);
}

/* get_page_size_name(): "4K", "2M", "N/A" for 0. */
void fs_script__page_size_text(uint64_t size, char out[32])
{
	static const char unit[] = "BKMG";
	int i = 0;

	if (!size) {
		strcpy(out, "N/A");
		return;
	}
	while (size / 1024 > 1 && i < 3) {
		size /= 1024;
		i++;
	}
	snprintf(out, 32, "%llu%c", (unsigned long long)size, unit[i]);
}

/* perf_reg_name() for x86 recordings. */
const char *fs_script__reg_name(int id)
{
	static const char *const names[] = {
		"AX", "BX", "CX", "DX", "SI", "DI", "BP", "SP", "IP", "FLAGS", "CS", "SS",
		"DS", "ES", "FS", "GS", "R8", "R9", "R10", "R11", "R12", "R13", "R14", "R15",
	};
	static const char *const xmm[] = {
		"XMM0", "XMM1", "XMM2", "XMM3", "XMM4", "XMM5", "XMM6", "XMM7", "XMM8",
		"XMM9", "XMM10", "XMM11", "XMM12", "XMM13", "XMM14", "XMM15",
	};

	if (id >= 0 && id < 24)
		return names[id];
	if (id >= 32 && id < 64)
		return xmm[(id - 32) / 2];
	return "unknown";
}
