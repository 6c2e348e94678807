// SPDX-License-Identifier: MIT
/*
 * The KVM engine's life cycle: open /dev/kvm, check what it offers,
 * create the VM and its one vCPU, map the kvm_run page, and take it all
 * down again; and the accel_ops face of the engine.  The run loop is in
 * kvm_run.c.  Everything here follows Documentation/virt/kvm/api.rst
 * (§4 ioctls, §5 the kvm_run structure); see docs/kvm.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "accel/accel.h"
#include "accel/kvm.h"
#include "machine/machine.h"

/*
 * Where the VMX real-mode helpers go when KVM asks for them (api.rst
 * KVM_SET_TSS_ADDR: three pages; KVM_SET_IDENTITY_MAP_ADDR: one page).
 * Just below the 16 MiB that firmware may take under 4 GiB, above the
 * APICs: nothing of the machine is there.
 */
#define KVM_TSS_ADDR 0xfeffc000ull
#define KVM_IDENTITY_MAP_ADDR 0xfefff000ull

int kvm_ioctl_checked(int fd, unsigned long req, void *arg, const char *what)
{
	if (ioctl(fd, req, arg) < 0) {
		fprintf(stderr, "popek: kvm: %s failed: %s\n", what,
			strerror(errno));
		return -1;
	}
	return 0;
}

static bool file_says(const char *path, const char *prefixes)
{
	char buf[16] = "";
	FILE *f = fopen(path, "r");

	if (!f)
		return false;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	return buf[0] && strchr(prefixes, buf[0]);
}

/*
 * Shadow paging misses writes to guest page tables made from outside
 * the guest (../shared/kvm-host.md): kvm_pvm always, kvm_intel without
 * EPT, kvm_amd without NPT.
 */
static bool host_uses_shadow_paging(void)
{
	return access("/sys/module/kvm_pvm", F_OK) == 0 ||
	       file_says("/sys/module/kvm_intel/parameters/ept", "N0") ||
	       file_says("/sys/module/kvm_amd/parameters/npt", "N0");
}

/* Why starting KVM failed, for the one line the caller prints. */
struct kvm_why {
	char text[200];
};

static int fail(struct kvm_why *why, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int fail(struct kvm_why *why, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why->text, sizeof(why->text), fmt, ap);
	va_end(ap);
	return -1;
}

static int open_kvm(struct kvm_why *why)
{
	int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);

	if (fd >= 0)
		return fd;
	switch (errno) {
	case ENOENT:
		return fail(why,
			    "/dev/kvm does not exist (no KVM on this host, or its module is not loaded)");
	case EACCES:
	case EPERM:
		return fail(why,
			    "no permission to open /dev/kvm (join the group that owns it, usually kvm)");
	default:
		return fail(why, "cannot open /dev/kvm: %s", strerror(errno));
	}
}

static int check_extension(const struct accel_kvm *k, int cap)
{
	int r = ioctl(k->vm_fd >= 0 ? k->vm_fd : k->sys_fd,
		      KVM_CHECK_EXTENSION, cap);

	return r < 0 ? 0 : r;
}

/* The capabilities the engine cannot do without. */
static int check_required(const struct accel_kvm *k, struct kvm_why *why)
{
	static const struct {
		int cap;
		const char *name;
	} needed[] = {
		{ KVM_CAP_USER_MEMORY, "KVM_CAP_USER_MEMORY" },
		{ KVM_CAP_IMMEDIATE_EXIT, "KVM_CAP_IMMEDIATE_EXIT" },
		{ KVM_CAP_VCPU_EVENTS, "KVM_CAP_VCPU_EVENTS" },
		{ KVM_CAP_EXT_CPUID, "KVM_CAP_EXT_CPUID" },
		{ KVM_CAP_READONLY_MEM, "KVM_CAP_READONLY_MEM" },
		{ KVM_CAP_SET_GUEST_DEBUG, "KVM_CAP_SET_GUEST_DEBUG" },
	};

	for (size_t i = 0; i < sizeof(needed) / sizeof(needed[0]); i++) {
		if (!check_extension(k, needed[i].cap))
			return fail(why, "this KVM lacks %s, which popek needs",
				    needed[i].name);
	}
	return 0;
}

/* Of the MSRs cpu_state holds, the ones this KVM saves and restores. */
static int find_msrs(struct accel_kvm *k, struct kvm_why *why)
{
	uint32_t want[KVM_STATE_MAX_MSRS];
	unsigned n_want = kvm_state_msr_candidates(want, KVM_STATE_MAX_MSRS);
	struct kvm_msr_list probe = { .nmsrs = 0 };
	struct kvm_msr_list *list;

	/* api.rst §4.3: E2BIG, with nmsrs set to the size needed. */
	if (ioctl(k->sys_fd, KVM_GET_MSR_INDEX_LIST, &probe) < 0 &&
	    errno != E2BIG)
		return fail(why, "KVM_GET_MSR_INDEX_LIST failed: %s",
			    strerror(errno));
	list = calloc(1, sizeof(*list) + probe.nmsrs * sizeof(uint32_t));
	if (!list)
		return fail(why, "out of memory");
	list->nmsrs = probe.nmsrs;
	if (ioctl(k->sys_fd, KVM_GET_MSR_INDEX_LIST, list) < 0) {
		free(list);
		return fail(why, "KVM_GET_MSR_INDEX_LIST failed: %s",
			    strerror(errno));
	}
	k->msr_count = 0;
	for (unsigned i = 0; i < n_want; i++)
		for (uint32_t j = 0; j < list->nmsrs; j++)
			if (list->indices[j] == want[i]) {
				k->msr_index[k->msr_count++] = want[i];
				break;
			}
	free(list);
	return 0;
}

static int create_vcpu(struct accel_kvm *k, struct kvm_why *why)
{
	int size;

	k->vcpu_fd = ioctl(k->vm_fd, KVM_CREATE_VCPU, 0);
	if (k->vcpu_fd < 0)
		return fail(why, "KVM_CREATE_VCPU failed: %s",
			    strerror(errno));
	size = ioctl(k->sys_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (size < (int)sizeof(struct kvm_run))
		return fail(why, "bad KVM_GET_VCPU_MMAP_SIZE %d", size);
	k->run_size = (size_t)size;
	k->run = mmap(NULL, k->run_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		      k->vcpu_fd, 0);
	if (k->run == MAP_FAILED) {
		k->run = NULL;
		return fail(why, "cannot map the kvm_run page: %s",
			    strerror(errno));
	}
	return 0;
}

static void kvm_engine_free(struct accel_kvm *k)
{
	if (!k)
		return;
	if (k->kick_timer_made)
		timer_delete(k->kick_timer);
	if (k->run)
		munmap(k->run, k->run_size);
	if (k->vcpu_fd >= 0)
		close(k->vcpu_fd);
	kvm_memory_release(k);
	if (k->vm_fd >= 0)
		close(k->vm_fd);
	if (k->sys_fd >= 0)
		close(k->sys_fd);
	free(k->stats.io_by_port);
	free(k);
}

/*
 * The run bound: a one-shot per-thread timer whose signal carries the
 * kvm_run page, so its handler can set immediate_exit with no global
 * (kvm_run.c).
 */
static int create_kick_timer(struct accel_kvm *k, struct kvm_why *why)
{
	struct sigevent sev;

	kvm_kick_install();
	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_THREAD_ID;
	sev.sigev_signo = SIGRTMIN;
	sev.sigev_value.sival_ptr = k->run;
	sev._sigev_un._tid = gettid();
	if (timer_create(CLOCK_MONOTONIC, &sev, &k->kick_timer) != 0)
		return fail(why, "cannot create the run timer: %s",
			    strerror(errno));
	k->kick_timer_made = true;
	return 0;
}

/*
 * The interpreter's TSC counts virtual cycles; where KVM can scale the
 * guest TSC (KVM_CAP_TSC_CONTROL, api.rst KVM_SET_TSC_KHZ), make it count
 * at the same rate, so guests timing themselves with RDTSC agree.
 */
static bool set_tsc_rate(struct accel_kvm *k, uint64_t cpu_hz)
{
	if (!check_extension(k, KVM_CAP_TSC_CONTROL) ||
	    cpu_hz / 1000 == 0 || cpu_hz / 1000 > UINT32_MAX)
		return false;
	return ioctl(k->vcpu_fd, KVM_SET_TSC_KHZ,
		     (unsigned long)(cpu_hz / 1000)) == 0;
}

static struct accel_kvm *kvm_engine_new(struct kvm_why *why,
					uint64_t cpu_hz)
{
	struct accel_kvm *k = calloc(1, sizeof(*k));
	int version;

	if (!k) {
		fail(why, "out of memory");
		return NULL;
	}
	k->vm_fd = k->vcpu_fd = -1;
	k->sys_fd = open_kvm(why);
	if (k->sys_fd < 0)
		goto fail;
	version = ioctl(k->sys_fd, KVM_GET_API_VERSION, 0);
	if (version != KVM_API_VERSION) {
		fail(why, "/dev/kvm speaks API version %d, popek needs %d",
		     version, KVM_API_VERSION);
		goto fail;
	}
	k->vm_fd = ioctl(k->sys_fd, KVM_CREATE_VM, 0);
	if (k->vm_fd < 0) {
		fail(why, "KVM_CREATE_VM failed: %s", strerror(errno));
		goto fail;
	}
	if (check_required(k, why))
		goto fail;
	k->has_xcrs = check_extension(k, KVM_CAP_XCRS) > 0;
	k->has_debugregs = check_extension(k, KVM_CAP_DEBUGREGS) > 0;
	k->has_xsave = check_extension(k, KVM_CAP_XSAVE) > 0;
	k->shadow_stale_quirk = host_uses_shadow_paging();
	k->step_hlt_quirk = access("/sys/module/kvm_pvm", F_OK) == 0;
	/* Needed by VMX without unrestricted guest; harmless elsewhere. */
	if (check_extension(k, KVM_CAP_SET_TSS_ADDR))
		ioctl(k->vm_fd, KVM_SET_TSS_ADDR, (unsigned long)KVM_TSS_ADDR);
	if (check_extension(k, KVM_CAP_SET_IDENTITY_MAP_ADDR)) {
		uint64_t addr = KVM_IDENTITY_MAP_ADDR;

		ioctl(k->vm_fd, KVM_SET_IDENTITY_MAP_ADDR, &addr);
	}
	if (find_msrs(k, why) || create_vcpu(k, why))
		goto fail;
	if (kvm_cpuid_setup(k)) {
		fail(why, "KVM refuses popek's CPUID (KVM_SET_CPUID2)");
		goto fail;
	}
	if (create_kick_timer(k, why))
		goto fail;
	k->tsc_scaled = set_tsc_rate(k, cpu_hz);
	k->stats.io_by_port = calloc(65536, sizeof(uint64_t));
	if (!k->stats.io_by_port) {
		fail(why, "out of memory");
		goto fail;
	}
	k->slots_stale = true;
	return k;

fail:
	kvm_engine_free(k);
	return NULL;
}

int kvm_start(struct machine *m, char *why, size_t len)
{
	struct kvm_why w = { .text = "unknown reason" };

	if (m->kvm)
		return 0;
	m->kvm = kvm_engine_new(&w, m->clock.cpu_hz);
	if (m->kvm && kvm_memory_sync(m->kvm, m) != 0) {
		fail(&w, "cannot map guest memory into KVM");
		kvm_engine_free(m->kvm);
		m->kvm = NULL;
	}
	if (m->kvm)
		return 0;
	snprintf(why, len, "%s", w.text);
	return -1;
}

static int kvm_init(struct machine *m)
{
	char why[200];

	if (kvm_start(m, why, sizeof(why)) == 0)
		return 0;
	fprintf(stderr, "popek: kvm: %s\n", why);
	return -1;
}

static void kvm_state_get(struct machine *m, struct cpu_state *s)
{
	struct accel_kvm *k = m->kvm;

	/* An I/O exit is complete only after the next KVM_RUN (api.rst §5). */
	if (kvm_complete_pending(k, m) < 0 || kvm_vcpu_state_get(k, s) < 0)
		machine_request_exit(m, MACHINE_EXIT_ERROR, POPEK_EXIT_ERROR,
				     "kvm: cannot read the vCPU state");
}

static void kvm_state_set(struct machine *m, const struct cpu_state *s)
{
	struct accel_kvm *k = m->kvm;

	if (kvm_complete_pending(k, m) < 0 || kvm_vcpu_state_set(k, s) < 0)
		machine_request_exit(
			m, MACHINE_EXIT_ERROR, POPEK_EXIT_BAD_INPUT,
			"kvm: KVM refuses the CPU state (a mode it cannot run?)");
}

/* The machine ran elsewhere: KVM's shadow pages may be stale. */
static void kvm_resume(struct machine *m)
{
	m->kvm->slots_stale = true;
}

static uint64_t kvm_instructions(const struct machine *m)
{
	return m->kvm ? m->kvm->stats.steps : 0;
}

static void kvm_destroy(struct machine *m)
{
	kvm_engine_free(m->kvm);
	m->kvm = NULL;
}

const struct accel_ops accel_kvm = {
	.name = "kvm",
	.host_clock = true,
	.init = kvm_init,
	.run = kvm_run_slice,
	.state_get = kvm_state_get,
	.state_set = kvm_state_set,
	.resume = kvm_resume,
	.debug_set = kvm_debug_set,
	.instructions = kvm_instructions,
	.step = kvm_step_one,
	.dirty_log = kvm_dirty_log,
	.destroy = kvm_destroy,
};

void kvm_print_stats(const struct machine *m)
{
	if (m->kvm)
		kvm_stats_print(m->kvm);
}
