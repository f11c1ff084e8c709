// SPDX-License-Identifier: GPL-2.0-only
/*
 * perf script's -F: the field lists (builtin-script.c output[] and
 * parse_output_fields()) and the checks perf makes of them against the
 * file's attrs (perf_session__check_output_opt(), evsel__check_attr(),
 * process_attr() in pipe mode), with perf's texts where perf refuses.
 * What comes out is a set of fields per output type, settled once: the
 * sample loop never looks at the list again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "script-int.h"
#include "util.h"

static const struct {
	const char *str;
	uint64_t field;
} all_fields[] = {
	{ "comm", FS_F_COMM }, { "tid", FS_F_TID }, { "pid", FS_F_PID }, { "time", FS_F_TIME },
	{ "cpu", FS_F_CPU }, { "event", FS_F_EVNAME }, { "trace", FS_F_TRACE }, { "ip", FS_F_IP },
	{ "sym", FS_F_SYM }, { "dso", FS_F_DSO }, { "addr", FS_F_ADDR }, { "symoff", FS_F_SYMOFF },
	{ "srcline", FS_F_SRCLINE }, { "period", FS_F_PERIOD }, { "iregs", FS_F_IREGS },
	{ "uregs", FS_F_UREGS }, { "brstack", FS_F_BRSTACK }, { "brstacksym", FS_F_BRSTACKSYM },
	{ "data_src", FS_F_DATA_SRC }, { "weight", FS_F_WEIGHT }, { "bpf-output", FS_F_BPF_OUTPUT },
	{ "callindent", FS_F_CALLINDENT }, { "insn", FS_F_INSN }, { "insnlen", FS_F_INSNLEN },
	{ "brstackinsn", FS_F_BRSTACKINSN }, { "brstackoff", FS_F_BRSTACKOFF },
	{ "synth", FS_F_SYNTH }, { "phys_addr", FS_F_PHYS_ADDR }, { "metric", FS_F_METRIC },
	{ "misc", FS_F_MISC }, { "srccode", FS_F_SRCCODE }, { "ipc", FS_F_IPC }, { "tod", FS_F_TOD },
	{ "data_page_size", FS_F_DATA_PAGE_SIZE }, { "code_page_size", FS_F_CODE_PAGE_SIZE },
	{ "ins_lat", FS_F_INS_LAT }, { "brstackinsnlen", FS_F_BRSTACKINSNLEN },
	{ "machine_pid", FS_F_MACHINE_PID }, { "vcpu", FS_F_VCPU },
};

#define NR_FIELDS ARRAY_SIZE(all_fields)

#define F_HW_DEFAULT (FS_F_COMM | FS_F_TID | FS_F_CPU | FS_F_TIME | FS_F_EVNAME | FS_F_IP | \
		      FS_F_SYM | FS_F_SYMOFF | FS_F_DSO | FS_F_PERIOD)

static const char *field_name(uint64_t field)
{
	for (size_t i = 0; i < NR_FIELDS; i++)
		if (all_fields[i].field == field)
			return all_fields[i].str;
	return "";
}

/* perf's event_type() */
static const char *type_name(int t)
{
	static const char *const names[] = { "hardware", "software", "tracepoint", "hardware-cache" };

	return t >= 0 && t < 4 ? names[t] : "unknown";
}

struct fs_script_fields *fs_script_fields__new(void)
{
	struct fs_script_fields *f = calloc(1, sizeof(*f));

	if (!f)
		return NULL;
	for (int t = 0; t < FS_OUT_MAX; t++) {
		f->t[t].fields = F_HW_DEFAULT;
		f->t[t].invalid = FS_F_TRACE | FS_F_BPF_OUTPUT;
	}
	f->t[PERF_TYPE_SOFTWARE].fields |= FS_F_BPF_OUTPUT;
	f->t[PERF_TYPE_SOFTWARE].invalid = FS_F_TRACE;
	f->t[PERF_TYPE_TRACEPOINT].fields = FS_F_COMM | FS_F_TID | FS_F_CPU | FS_F_TIME |
					    FS_F_EVNAME | FS_F_TRACE;
	f->t[PERF_TYPE_TRACEPOINT].invalid = 0;
	f->t[PERF_TYPE_RAW].fields |= FS_F_ADDR | FS_F_DATA_SRC | FS_F_WEIGHT | FS_F_PHYS_ADDR |
				      FS_F_DATA_PAGE_SIZE | FS_F_CODE_PAGE_SIZE | FS_F_INS_LAT;
	f->t[FS_OUT_SYNTH].fields = (F_HW_DEFAULT & ~FS_F_PERIOD) | FS_F_SYNTH;
	return f;
}

void fs_script_fields__delete(struct fs_script_fields *f)
{
	free(f);
}

static bool set_by_user(const struct fs_script_fields *f)
{
	for (int t = 0; t < FS_OUT_MAX; t++)
		if (f->t[t].user_set)
			return true;
	return false;
}

static void warn(void (*fn)(void *, const char *), void *ctx, const char *fmt, const char *a,
		 const char *b)
{
	char msg[256];

	if (!fn)
		return;
	snprintf(msg, sizeof(msg), fmt, a, b);
	fn(ctx, msg);
}

/* One field, with or without an event type (perf's loop body). */
static int apply(struct fs_script_fields *f, int type, int i, bool remove,
		 void (*wfn)(void *, const char *), void *ctx, struct fs_error *err)
{
	uint64_t field = all_fields[i].field;

	if (type >= 0) {
		struct fs_out_type *o = &f->t[type];

		if (o->invalid & field)
			return fs_error__set(err, "'%s' not valid for %s events.", all_fields[i].str,
					     type_name(type));
		if (remove)
			o->fields &= ~field;
		else
			o->fields |= field;
		o->user_set = o->wildcard_set = true;
		return 0;
	}
	/* every type for which the field is valid */
	for (int t = 0; t < FS_OUT_MAX; t++) {
		struct fs_out_type *o = &f->t[t];

		if (o->invalid & field) {
			warn(wfn, ctx, "'%s' not valid for %s events. Ignoring.", all_fields[i].str,
			     type_name(t));
			continue;
		}
		if (remove) {
			o->fields &= ~field;
			o->user_set_fields &= ~field;
			o->user_unset_fields |= field;
		} else {
			o->fields |= field;
			o->user_set_fields |= field;
			o->user_unset_fields &= ~field;
		}
		o->user_set = o->wildcard_set = true;
	}
	return 0;
}

/* perf's event types for "type:fields" */
static int parse_type(const char *s)
{
	static const char *const names[] = { "hw", "sw", "trace", "raw", "break", "synth" };
	static const int types[] = { PERF_TYPE_HARDWARE, PERF_TYPE_SOFTWARE, PERF_TYPE_TRACEPOINT,
				     PERF_TYPE_RAW, PERF_TYPE_BREAKPOINT, FS_OUT_SYNTH };

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(s, names[i]))
			return types[i];
	return -1;
}

static int parse_list(struct fs_script_fields *f, char *tok, int type,
		      void (*wfn)(void *, const char *), void *ctx, struct fs_error *err)
{
	enum { DEFAULT, SET, ADD, REMOVE } change = DEFAULT;
	char *save = NULL;

	for (tok = strtok_r(tok, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		size_t i;

		if (*tok == '+' || *tok == '-') {
			if (change == SET)
				return fs_error__set(err, "Cannot mix +-field with overridden fields");
			change = *tok++ == '+' ? ADD : REMOVE;
		} else {
			if (change != SET && change != DEFAULT)
				return fs_error__set(err, "Cannot mix +-field with overridden fields");
			change = SET;
		}
		for (i = 0; i < NR_FIELDS; i++)
			if (!strcmp(tok, all_fields[i].str))
				break;
		if (i == NR_FIELDS && !strcmp(tok, "flags")) {
			f->print_flags = change != REMOVE;
			continue;
		}
		if (i == NR_FIELDS)
			return fs_error__set(err, "Invalid field requested.");
		if (apply(f, type, (int)i, change == REMOVE, wfn, ctx, err))
			return -1;
	}
	return 0;
}

/*
 * perf's parse_output_fields(), quirks included: a list holding a '+' or a
 * '-' anywhere (even inside "bpf-output") edits the defaults instead of
 * replacing them.
 */
int fs_script_fields__parse(struct fs_script_fields *f, const char *arg,
			    void (*wfn)(void *ctx, const char *msg), void *ctx, struct fs_error *err)
{
	char *str = strdup(arg), *tok;
	int type = -1, ret = -1;

	if (!str)
		return fs_error__set(err, "out of memory");
	tok = strchr(str, ':');
	if (tok) {
		*tok++ = '\0';
		type = parse_type(str);
		if (type < 0) {
			fs_error__set(err, "Invalid event type in field string.");
			goto out;
		}
		if (f->t[type].user_set)
			warn(wfn, ctx, "Overriding previous field request for %s events.",
			     type_name(type), NULL);
		if (!strchr(tok, '+') && !strchr(tok, '-')) {
			f->t[type].fields = 0;
			f->t[type].user_set = true;
			f->t[type].wildcard_set = false;
		}
	} else {
		tok = str;
		if (!*str) {
			fs_error__set(err, "Cannot set fields to 'none' for all event types.");
			goto out;
		}
		if (!strchr(str, '+') && !strchr(str, '-')) {
			if (set_by_user(f))
				warn(wfn, ctx, "Overriding previous field request for all events.",
				     NULL, NULL);
			for (int t = 0; t < FS_OUT_MAX; t++) {
				f->t[t].fields = 0;
				f->t[t].user_set = f->t[t].wildcard_set = true;
			}
		}
	}
	ret = parse_list(f, tok, type, wfn, ctx, err);
out:
	free(str);
	return ret;
}

/* ---- against the file ---- */

struct check {
	const struct fs_header *hdr;
	uint64_t *fields;		/* per output type, being settled */
	const struct fs_script_fields *user;
	int *bad_attr;
	struct fs_error *err;
};

/* perf's evsel__do_check_stype(): the user's fields must be there, defaults go quietly. */
static int check_stype(struct check *c, const struct fs_evsel *e, uint64_t stype,
		       const char *msg, uint64_t field, bool allow_user_set)
{
	int t = fs_script__output_type(e->attr.type);

	if (e->attr.sample_type & stype)
		return 0;
	if (c->user->t[t].user_set_fields & field) {
		if (allow_user_set)
			return 0;
		fs_error__set(c->err, "Samples for '%s' event do not have %s attribute set. Cannot print '%s' field.",
			      e->name ? e->name : "", msg, field_name(field));
		return FS_SCRIPT_PERF_REFUSES;
	}
	c->fields[t] &= ~field;
	return 0;
}

static uint64_t combined_branch_type(const struct fs_header *hdr)
{
	uint64_t bt = 0;

	for (uint32_t i = 0; i < hdr->nr_evsels; i++)
		bt |= hdr->evsels[i].attr.branch_sample_type;
	return bt;
}

static bool has_traces(const struct fs_header *hdr)
{
	for (uint32_t i = 0; i < hdr->nr_evsels; i++)
		if (hdr->evsels[i].attr.type == PERF_TYPE_TRACEPOINT)
			return true;
	return false;
}

static int refuse(struct check *c, const char *msg)
{
	fs_error__set(c->err, "%s", msg);
	return FS_SCRIPT_PERF_REFUSES;
}

/* perf's evsel__check_attr(), in its order. */
static int check_attr(struct check *c, const struct fs_evsel *e)
{
	const struct perf_event_attr *a = &e->attr;
	uint64_t *f = &c->fields[fs_script__output_type(a->type)], st = a->sample_type;
	bool allow = fs_header__has(c->hdr, FS_FEAT_AUXTRACE);
	int ret;

	if (fs_script__is_dummy(a) || fs_header__has(c->hdr, FS_FEAT_STAT))
		return 0;
	if ((*f & FS_F_TRACE) && !has_traces(c->hdr))
		return refuse(c, "No trace sample to read. Did you call 'perf record -R'?");
	if ((*f & FS_F_IP) && (ret = check_stype(c, e, PERF_SAMPLE_IP, "IP", FS_F_IP, false)))
		return ret;
	if ((*f & FS_F_ADDR) &&
	    (ret = check_stype(c, e, PERF_SAMPLE_ADDR, "ADDR", FS_F_ADDR, allow)))
		return ret;
	if ((*f & FS_F_DATA_SRC) &&
	    (ret = check_stype(c, e, PERF_SAMPLE_DATA_SRC, "DATA_SRC", FS_F_DATA_SRC, allow)))
		return ret;
	if ((*f & FS_F_WEIGHT) &&
	    (ret = check_stype(c, e, PERF_SAMPLE_WEIGHT | PERF_SAMPLE_WEIGHT_STRUCT, "WEIGHT",
			       FS_F_WEIGHT, allow)))
		return ret;
	if ((*f & FS_F_SYM) && !(st & (PERF_SAMPLE_IP | PERF_SAMPLE_ADDR)))
		return refuse(c, "Display of symbols requested but neither sample IP nor sample address\n"
			      "available. Hence, no addresses to convert to symbols.");
	if ((*f & FS_F_SYMOFF) && !(*f & FS_F_SYM))
		return refuse(c, "Display of offsets requested but symbol is notselected.");
	if ((*f & FS_F_DSO) && !(st & (PERF_SAMPLE_IP | PERF_SAMPLE_ADDR)))
		return refuse(c, "Display of DSO requested but no address to convert.");
	if ((*f & (FS_F_SRCLINE | FS_F_SRCCODE)) && !(*f & FS_F_IP))
		return refuse(c, "Display of source line number requested but sample IP is not\n"
			      "selected. Hence, no address to lookup the source line number.");
	if ((*f & (FS_F_BRSTACKINSN | FS_F_BRSTACKINSNLEN)) && !allow &&
	    !(combined_branch_type(c->hdr) & PERF_SAMPLE_BRANCH_ANY))
		return refuse(c, "Display of branch stack assembler requested, but non all-branch filter set\n"
			      "Hint: run 'perf record -b ...'");
	if ((*f & (FS_F_PID | FS_F_TID)) &&
	    (ret = check_stype(c, e, PERF_SAMPLE_TID, "TID", FS_F_TID | FS_F_PID, false)))
		return ret;
	if ((*f & FS_F_TIME) && (ret = check_stype(c, e, PERF_SAMPLE_TIME, "TIME", FS_F_TIME, false)))
		return ret;
	if ((*f & FS_F_CPU) && (ret = check_stype(c, e, PERF_SAMPLE_CPU, "CPU", FS_F_CPU, allow)))
		return ret;
	if ((*f & FS_F_IREGS) &&
	    (ret = check_stype(c, e, PERF_SAMPLE_REGS_INTR, "IREGS", FS_F_IREGS, allow)))
		return ret;
	if ((*f & FS_F_UREGS) &&
	    (ret = check_stype(c, e, PERF_SAMPLE_REGS_USER, "UREGS", FS_F_UREGS, false)))
		return ret;
	if ((*f & FS_F_PHYS_ADDR) &&
	    (ret = check_stype(c, e, PERF_SAMPLE_PHYS_ADDR, "PHYS_ADDR", FS_F_PHYS_ADDR, allow)))
		return ret;
	if ((*f & FS_F_DATA_PAGE_SIZE) &&
	    (ret = check_stype(c, e, PERF_SAMPLE_DATA_PAGE_SIZE, "DATA_PAGE_SIZE",
			       FS_F_DATA_PAGE_SIZE, false)))
		return ret;
	if ((*f & FS_F_CODE_PAGE_SIZE) &&
	    (ret = check_stype(c, e, PERF_SAMPLE_CODE_PAGE_SIZE, "CODE_PAGE_SIZE",
			       FS_F_CODE_PAGE_SIZE, false)))
		return ret;
	if ((*f & FS_F_INS_LAT) &&
	    (ret = check_stype(c, e, PERF_SAMPLE_WEIGHT_STRUCT, "WEIGHT_STRUCT", FS_F_INS_LAT, false)))
		return ret;
	return 0;
}

static bool has_callchain(const struct perf_event_attr *a)
{
	return a->sample_type & PERF_SAMPLE_CALLCHAIN;
}

/* perf_session__check_output_opt() for a file whose attrs are all in its header. */
static int check_file(struct check *c, bool no_callchain, bool *use_callchain)
{
	const struct fs_header *hdr = c->hdr;
	bool tod = false;
	int ret;

	for (int t = 0; t < FS_OUT_MAX; t++) {
		const struct fs_evsel *e = NULL;

		for (uint32_t i = 0; i < hdr->nr_evsels && !e; i++)
			if (!fs_script__is_dummy(&hdr->evsels[i].attr) &&
			    fs_script__output_type(hdr->evsels[i].attr.type) == t)
				e = &hdr->evsels[i];
		if (!e && c->user->t[t].user_set && !c->user->t[t].wildcard_set && t != FS_OUT_SYNTH) {
			fs_error__set(c->err, "%s events do not exist. Remove corresponding -F option to proceed.",
				      type_name(t));
			return FS_SCRIPT_PERF_REFUSES;
		}
		if (e && c->fields[t] && (ret = check_attr(c, e)))
			return ret;
		if (e)
			tod |= c->fields[t] & FS_F_TOD;
	}
	*use_callchain = !no_callchain;
	if (!no_callchain) {
		bool any = false;

		for (uint32_t i = 0; i < hdr->nr_evsels; i++)
			any |= has_callchain(&hdr->evsels[i].attr);
		if (hdr->nr_evsels && !any)
			*use_callchain = false;
	}
	/* tracepoints print symbols (and skip the tod check) when they have callchains */
	if (*use_callchain && !c->user->t[PERF_TYPE_TRACEPOINT].user_set) {
		for (uint32_t i = 0; i < hdr->nr_evsels; i++) {
			const struct perf_event_attr *a = &hdr->evsels[i].attr;

			if (a->type == PERF_TYPE_TRACEPOINT && has_callchain(a)) {
				c->fields[PERF_TYPE_TRACEPOINT] |= FS_F_IP | FS_F_SYM | FS_F_SYMOFF |
								   FS_F_DSO;
				return 0;
			}
		}
	}
	if (tod && !fs_header__has(hdr, FS_FEAT_CLOCK_DATA))
		return refuse(c, "Can't provide 'tod' time, missing clock data. Please record with -k/--clockid option.");
	return 0;
}

/*
 * Pipe mode: perf checks before any attr has arrived (only "-F type:"
 * with no fields can fail then), then process_attr() checks the first
 * attr of each type as it comes and turns on ip and sym for its type when
 * the attrs so far have callchains.
 */
static int check_pipe(struct check *c, bool no_callchain, bool *use_callchain)
{
	const struct fs_header *hdr = c->hdr;
	uint64_t st = 0;
	int ret;

	for (int t = 0; t < FS_OUT_MAX; t++) {
		if (c->user->t[t].user_set && !c->user->t[t].wildcard_set && t != FS_OUT_SYNTH) {
			fs_error__set(c->err, "%s events do not exist. Remove corresponding -F option to proceed.",
				      type_name(t));
			return FS_SCRIPT_PERF_REFUSES;
		}
	}
	*use_callchain = !no_callchain;
	for (uint32_t i = 0; i < hdr->nr_evsels; i++) {
		const struct fs_evsel *e = &hdr->evsels[i];
		int t = fs_script__output_type(e->attr.type);
		bool first = true;

		st |= e->attr.sample_type;
		if (e->attr.type >= PERF_TYPE_MAX && e->attr.type != FS_PERF_TYPE_SYNTH)
			continue;
		for (uint32_t j = 0; j < i && first; j++)
			first = hdr->evsels[j].attr.type != e->attr.type;
		if (!first)
			continue;
		if (e->attr.sample_type && (ret = check_attr(c, e))) {
			*c->bad_attr = (int)i;
			return ret;
		}
		if (*use_callchain && (st & (PERF_SAMPLE_CALLCHAIN | PERF_SAMPLE_BRANCH_STACK) ||
				       ((st & PERF_SAMPLE_REGS_USER) && (st & PERF_SAMPLE_STACK_USER)))) {
			if (!(c->user->t[t].user_unset_fields & FS_F_IP))
				c->fields[t] |= FS_F_IP;
			if (!(c->user->t[t].user_unset_fields & FS_F_SYM))
				c->fields[t] |= FS_F_SYM;
		}
	}
	return 0;
}

/* Fields whose text needs something we do not have: refused, never printed differently. */
static int check_ours(struct check *c)
{
	static const struct { uint64_t field; const char *why; } missing[] = {
		{ FS_F_SRCLINE, "source lines (srcline) need perf's addr2line/libbfd lookups" },
		{ FS_F_SRCCODE, "source code (srccode) needs perf's addr2line/libbfd lookups" },
		{ FS_F_INSN, "instruction bytes (insn) need perf's x86 instruction decoder" },
		{ FS_F_INSNLEN, "instruction lengths (insnlen) need perf's x86 instruction decoder" },
		{ FS_F_METRIC, "metrics need perf stat's shadow metrics" },
		{ FS_F_BRSTACKINSN, "branch stack disassembly (brstackinsn) needs perf's decoder" },
		{ FS_F_BRSTACKINSNLEN, "branch stack disassembly (brstackinsnlen) needs perf's decoder" },
	};
	const struct fs_header *hdr = c->hdr;

	for (uint32_t i = 0; i < hdr->nr_evsels; i++) {
		const struct perf_event_attr *a = &hdr->evsels[i].attr;
		uint64_t f = c->fields[fs_script__output_type(a->type)];

		if (fs_script__is_dummy(a) || !f)
			continue;
		for (size_t k = 0; k < ARRAY_SIZE(missing); k++)
			if (f & missing[k].field)
				return fs_error__set(c->err, "-F %s: %s, which flamescope does not reproduce: use perf script -F %s",
						     field_name(missing[k].field), missing[k].why,
						     field_name(missing[k].field));
		if ((f & (FS_F_IREGS | FS_F_UREGS)) && c->hdr->arch &&
		    strcmp(c->hdr->arch, "x86_64") && strcmp(c->hdr->arch, "i386") &&
		    strcmp(c->hdr->arch, "i686"))
			return fs_error__set(c->err, "-F iregs/uregs: register names of %s recordings are not supported: use perf script",
					     c->hdr->arch);
		if ((f & FS_F_BPF_OUTPUT) && a->type == PERF_TYPE_SOFTWARE &&
		    a->config == PERF_COUNT_SW_BPF_OUTPUT)
			return fs_error__set(c->err, "bpf-output events are not supported: use perf script");
		if (a->type == FS_PERF_TYPE_SYNTH)
			return fs_error__set(c->err, "synthesized (instruction trace) events are not supported: use perf script --itrace");
	}
	for (uint32_t i = 0; i < hdr->nr_evsels; i++) {
		uint64_t st = hdr->evsels[i].attr.sample_type;

		if (st & PERF_SAMPLE_BRANCH_STACK)
			return fs_error__set(c->err, "branch stacks are not supported yet");
	}
	return 0;
}

int fs_script__settle(const struct fs_header *hdr, const struct fs_script_opts *opts,
		      struct fs_script_settled *out, struct fs_error *err)
{
	struct fs_script_fields *dflt = NULL;
	const struct fs_script_fields *user = opts->fields;
	struct check c = { .hdr = hdr, .fields = out->fields, .bad_attr = &out->bad_attr, .err = err };
	int ret;

	memset(out, 0, sizeof(*out));
	out->bad_attr = -1;
	if (!user) {
		dflt = fs_script_fields__new();
		if (!dflt)
			return fs_error__set(err, "out of memory");
		user = dflt;
	}
	c.user = user;
	for (int t = 0; t < FS_OUT_MAX; t++)
		out->fields[t] = user->t[t].fields;
	out->print_flags = user->print_flags;
	if (hdr->pipe_mode)
		ret = check_pipe(&c, opts->hide_callchain, &out->use_callchain);
	else
		ret = check_file(&c, opts->hide_callchain, &out->use_callchain);
	if (!ret)
		ret = check_ours(&c);
	fs_script_fields__delete(dflt);
	return ret;
}
