// SPDX-License-Identifier: GPL-2.0-only
#include <string.h>
#include "idle.h"
#include "util.h"

static const char *const idle_frames[] = {
	/* FlameScope's */
	"cpuidle", "cpu_idle", "cpu_bringup_and_idle", "native_safe_halt",
	"xen_hypercall_sched_op", "xen_hypercall_vcpu_op",
	/* today's kernels */
	"default_idle", "do_idle", "intel_idle", "acpi_idle", "poll_idle",
	"mwait_idle", "amd_e400_idle", "arch_cpu_idle",
	/* a halt without a callchain: paravirtual ones (pvm_safe_halt_hc, xen_safe_halt) too */
	"safe_halt",
};

bool fs_idle__frame(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(idle_frames); i++)
		if (strstr(name, idle_frames[i]))
			return true;
	return false;
}

bool fs_idle__comm(const char *comm)
{
	return strstr(comm, "swapper") != NULL;
}
