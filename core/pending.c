// SPDX-License-Identifier: GPL-2.0-only
#include <stdlib.h>
#include <string.h>
#include "chaincache.h"
#include "pending.h"
#include "util.h"

/* A held chain's copy; most of a heat map's idle chains repeat, so there are few. */
struct held {
	struct fs_sample s;		/* pointers into the record cleared, callchain into ips */
	size_t off;			/* its callchain in ips[] */
};

/* Past these the chains are flushed (the load waits for the kernel's symbols). */
#define MAX_HELD	(1u << 16)
#define MAX_IPS		(1u << 22)
#define MAX_KEY_IPS	1024		/* a longer chain is resolved at once */

struct fs_pending {
	bool kernel_only;
	struct fs_chaincache *ids;	/* (thread,) raw callchain -> placeholder, since the last flush */
	uint64_t key[1 + 1 + MAX_KEY_IPS];	/* scratch: the key of a sample */
	uint64_t *ips;
	size_t nr_ips, alloc_ips;
	struct held *held;		/* placeholders flushed.. in order */
	size_t nr_held, alloc_held;
	uint32_t *stacks;		/* placeholder -> stack; UINT32_MAX until flushed */
	size_t nr_stacks, alloc_stacks;
};

struct fs_pending *fs_pending__new(bool kernel_only)
{
	struct fs_pending *p = calloc(1, sizeof(*p));

	if (p && !(p->ids = fs_chaincache__new(8 << 20))) {
		free(p);
		return NULL;
	}
	if (p)
		p->kernel_only = kernel_only;
	return p;
}

void fs_pending__delete(struct fs_pending *p)
{
	if (!p)
		return;
	fs_chaincache__delete(p->ids);
	free(p->ips);
	free(p->held);
	free(p->stacks);
	free(p);
}

bool fs_pending__holds(const struct fs_pending *p, const struct fs_sample *s)
{
	/* a dwarf sample's user stack lives in its record only */
	if (p->nr_held >= MAX_HELD || s->nr_callchain > MAX_KEY_IPS ||
	    s->nr_callchain >= MAX_IPS - p->nr_ips || p->nr_stacks >= FS_PENDING_STACK - 1 ||
	    (s->evsel && (s->evsel->attr.sample_type & PERF_SAMPLE_STACK_USER)))
		return false;
	if (!p->kernel_only)
		return true;
	if (!s->nr_callchain)	/* the sample ip alone (no -g) */
		return s->cpumode == PERF_RECORD_MISC_KERNEL;
	if (s->callchain[0] != PERF_CONTEXT_KERNEL)
		return false;
	/* another context (user, guest) would need maps that change with the process */
	for (uint64_t i = 1; i < s->nr_callchain; i++)
		if (s->callchain[i] >= PERF_CONTEXT_MAX && s->callchain[i] != PERF_CONTEXT_KERNEL)
			return false;
	return true;
}

bool fs_pending__must_flush(const struct fs_pending *p, const struct fs_event *ev)
{
	if (!p->nr_held)
		return false;
	return p->kernel_only ? fs_session__changes_kernel_maps(ev) : fs_session__changes_maps(ev);
}

/*
 * Equal keys resolve alike: the raw chain (a lone ip when there is none: it
 * is never a chain, which starts with its context marker), after the thread
 * and cpumode when user frames depend on whose they are.
 */
static uint32_t key_of(struct fs_pending *p, const struct fs_sample *s)
{
	uint32_t n = 0;

	if (!p->kernel_only) {
		p->key[n++] = (uint64_t)s->pid << 32 | s->tid;
		p->key[n++] = s->cpumode;
	}
	if (s->nr_callchain)
		memcpy(p->key + n, s->callchain, s->nr_callchain * sizeof(*p->key));
	else
		p->key[n] = s->ip;
	return n + (s->nr_callchain ? (uint32_t)s->nr_callchain : 1);
}

uint32_t fs_pending__add(struct fs_pending *p, const struct fs_sample *s)
{
	uint32_t n = key_of(p, s);
	uint64_t hash = fs_chaincache__hash(p->key, n);
	uint32_t id = fs_chaincache__get(p->ids, p->key, n, hash);
	struct held *h;

	if (id != UINT32_MAX)
		return FS_PENDING_STACK | id;
	if (FS_GROW(p->ips, p->alloc_ips, p->nr_ips + s->nr_callchain) ||
	    FS_GROW(p->held, p->alloc_held, p->nr_held + 1) ||
	    FS_GROW(p->stacks, p->alloc_stacks, p->nr_stacks + 1))
		return UINT32_MAX;
	h = &p->held[p->nr_held++];
	h->s = (struct fs_sample){
		.ip = s->ip, .time = s->time, .pid = s->pid, .tid = s->tid, .cpu = s->cpu,
		.cpumode = s->cpumode, .nr_callchain = s->nr_callchain, .evsel = s->evsel,
	};
	h->off = p->nr_ips;
	if (s->nr_callchain)
		memcpy(p->ips + p->nr_ips, s->callchain, s->nr_callchain * sizeof(*p->ips));
	p->nr_ips += s->nr_callchain;
	id = (uint32_t)p->nr_stacks;
	p->stacks[p->nr_stacks++] = UINT32_MAX;
	fs_chaincache__put(p->ids, p->key, n, hash, id);
	return FS_PENDING_STACK | id;
}

int fs_pending__flush(struct fs_pending *p, struct loader *l, struct fs_session *ss,
		      struct fs_frame *frames, int max_stack)
{
	size_t first = p->nr_stacks - p->nr_held;
	struct fs_chaincache *ids;

	if (!p->nr_held)
		return 0;
	for (size_t i = 0; i < p->nr_held; i++) {
		struct held *h = &p->held[i];
		uint32_t stack;

		h->s.callchain = h->s.nr_callchain ? p->ips + h->off : NULL;
		stack = fs_loader__stack(l, ss, &h->s, frames, max_stack);
		if (stack == UINT32_MAX)
			return -1;
		p->stacks[first + i] = stack;
	}
	p->nr_held = p->nr_ips = 0;
	/* the same chain may resolve otherwise after what comes next: new placeholders */
	ids = fs_chaincache__new(8 << 20);
	if (!ids)
		return -1;
	fs_chaincache__delete(p->ids);
	p->ids = ids;
	return 0;
}

void fs_pending__fix(const struct fs_pending *p, struct fs_profile_sample *samples, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		if (samples[i].stack & FS_PENDING_STACK)
			samples[i].stack = p->stacks[samples[i].stack & ~FS_PENDING_STACK];
}
