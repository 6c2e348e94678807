// SPDX-License-Identifier: MIT
/*
 * The KVM engine's conversions between struct cpu_state and KVM's
 * structures (accel/kvm_state.c), without /dev/kvm; then, where /dev/kvm
 * works, the same state through a real vCPU and back, and a tiny guest
 * doing port I/O (OUT, REP OUTSB) on KVM.  Without KVM those are skipped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "accel/accel.h"
#include "accel/kvm.h"
#include "cpu/cpu.h"
#include "machine/machine.h"

/* A protected-mode state with every field different. */
static void sample_state(struct cpu_state *s)
{
	memset(s, 0, sizeof(*s));
	for (int i = 0; i < GPR_COUNT; i++)
		s->gpr[i] = 0x1111111111111111ull * (uint64_t)(i + 1);
	s->rip = 0x12345678;
	s->rflags = FLAG_FIXED1 | FLAG_IF | FLAG_ZF;
	for (int k = 0; k < SEG_COUNT; k++) {
		s->seg[k].sel = (uint16_t)(0x10 + 8 * k);
		s->seg[k].base = 0x1000u * (uint32_t)(k + 1);
		s->seg[k].limit = 0xfffff000u + (uint32_t)k;
		s->seg[k].attr = SEG_ATTR_P | SEG_ATTR_S | SEG_ATTR_DB |
				 SEG_ATTR_G | 0x3;
	}
	s->seg[SEG_CS].attr = SEG_ATTR_P | SEG_ATTR_S | SEG_ATTR_DB |
			      SEG_ATTR_G | 0xb;
	s->ldtr = (struct segment){ 0x28, 0x0082, 0xfff, 0x5000 };
	s->tr = (struct segment){ 0x30, 0x008b, 0x67, 0x6000 };
	s->gdtr = (struct dtable){ 0x7000, 0x37 };
	s->idtr = (struct dtable){ 0x8000, 0x7ff };
	s->cr0 = CR0_PE | CR0_ET | CR0_NE;
	s->cr2 = 0xdead0000;
	s->cr3 = 0x9000;
	s->cr4 = CR4_PSE;
	s->cr8 = 5;
	s->efer = 0;
	s->dr[0] = 0x100;
	s->dr[1] = 0x200;
	s->dr[2] = 0x300;
	s->dr[3] = 0x400;
	s->dr[6] = 0xffff0ff0u;
	s->dr[7] = 0x400;
	s->msr.apic_base = 0xfee00900u;
	s->msr.sysenter_cs = 0x8;
	s->msr.sysenter_esp = 0x9abc;
	s->msr.sysenter_eip = 0xdef0;
	s->msr.pat = 0x0007040600070406ull;
	s->fpu.fcw = 0x37f;
	s->fpu.fsw = 0x3800;
	s->fpu.ftw = 0x81;
	s->fpu.fop = 0x1d9;
	s->fpu.fip = 0x4444;
	s->fpu.fdp = 0x5555;
	s->fpu.st[0] = (struct x87_reg){ 0x8000000000000000ull, 0x3fff };
	s->fpu.st[7] = (struct x87_reg){ 0xc000000000000000ull, 0xc000 };
	s->fpu.mxcsr = 0x1f80;
	s->fpu.xmm[3][0] = 0x0123456789abcdefull;
	s->fpu.xmm[15][1] = 0xfedcba9876543210ull;
}

static void test_regs_mapping(void **state)
{
	struct cpu_state s, back;
	struct kvm_regs r;

	(void)state;
	sample_state(&s);
	kvm_regs_from_state(&r, &s);
	/* kvm_regs names them; cpu_state uses the encoding order. */
	assert_int_equal(r.rax, s.gpr[R_AX]);
	assert_int_equal(r.rbx, s.gpr[R_BX]);
	assert_int_equal(r.rcx, s.gpr[R_CX]);
	assert_int_equal(r.rdx, s.gpr[R_DX]);
	assert_int_equal(r.rsp, s.gpr[R_SP]);
	assert_int_equal(r.rbp, s.gpr[R_BP]);
	assert_int_equal(r.rsi, s.gpr[R_SI]);
	assert_int_equal(r.rdi, s.gpr[R_DI]);
	assert_int_equal(r.r8, s.gpr[8]);
	assert_int_equal(r.r15, s.gpr[15]);
	assert_int_equal(r.rip, 0x12345678);
	assert_int_equal(r.rflags, FLAG_FIXED1 | FLAG_IF | FLAG_ZF);
	memset(&back, 0, sizeof(back));
	kvm_regs_to_state(&r, &back);
	assert_memory_equal(back.gpr, s.gpr, sizeof(s.gpr));
	assert_int_equal(back.rip, s.rip);
	assert_int_equal(back.rflags, s.rflags);
}

static void test_segment_fields(void **state)
{
	struct segment code64 = { .sel = 0x33,
				  .attr = SEG_ATTR_P | SEG_ATTR_S |
					  (3 << SEG_ATTR_DPL_SHIFT) |
					  SEG_ATTR_L | SEG_ATTR_G |
					  SEG_ATTR_AVL | 0xb,
				  .limit = 0xffffffff,
				  .base = 0 };
	struct segment null_seg = { .sel = 0, .attr = 0, .limit = 0,
				    .base = 0 };
	struct segment back;
	struct kvm_segment k;

	(void)state;
	kvm_segment_from_state(&k, &code64);
	assert_int_equal(k.selector, 0x33);
	assert_int_equal(k.type, 0xb);
	assert_int_equal(k.s, 1);
	assert_int_equal(k.dpl, 3);
	assert_int_equal(k.present, 1);
	assert_int_equal(k.l, 1);
	assert_int_equal(k.db, 0);
	assert_int_equal(k.g, 1);
	assert_int_equal(k.avl, 1);
	assert_int_equal(k.unusable, 0);
	assert_int_equal(k.limit, 0xffffffff);
	kvm_segment_to_state(&k, &back);
	assert_memory_equal(&back, &code64, sizeof(back));

	/* A null selector in protected mode: not present, so unusable. */
	kvm_segment_from_state(&k, &null_seg);
	assert_int_equal(k.present, 0);
	assert_int_equal(k.unusable, 1);
	kvm_segment_to_state(&k, &back);
	assert_int_equal(back.attr & SEG_ATTR_P, 0);
}

static void test_sregs_round_trip(void **state)
{
	struct cpu_state s, back;
	struct kvm_sregs r;

	(void)state;
	sample_state(&s);
	kvm_sregs_from_state(&r, &s);
	assert_int_equal(r.cs.selector, s.seg[SEG_CS].sel);
	assert_int_equal(r.ss.base, s.seg[SEG_SS].base);
	assert_int_equal(r.gs.limit, s.seg[SEG_GS].limit);
	assert_int_equal(r.tr.type, 0xb);
	assert_int_equal(r.ldt.type, 0x2);
	assert_int_equal(r.gdt.limit, 0x37);
	assert_int_equal(r.idt.base, 0x8000);
	assert_int_equal(r.cr3, 0x9000);
	assert_int_equal(r.cr8, 5);
	assert_int_equal(r.apic_base, 0xfee00900u);
	memcpy(&back, &s, sizeof(back));
	memset(back.seg, 0, sizeof(back.seg));
	memset(&back.tr, 0, sizeof(back.tr));
	back.cr0 = back.cr2 = back.cr3 = back.cr4 = back.cr8 = 0;
	kvm_sregs_to_state(&r, &back);
	assert_memory_equal(&back, &s, sizeof(s));
}

static void test_fpu_round_trip(void **state)
{
	struct cpu_state s, back;
	struct kvm_fpu f;
	uint64_t mant;
	uint16_t se;

	(void)state;
	sample_state(&s);
	kvm_fpu_from_state(&f, &s);
	assert_int_equal(f.fcw, 0x37f);
	assert_int_equal(f.ftwx, 0x81);
	assert_int_equal(f.last_opcode, 0x1d9);
	assert_int_equal(f.mxcsr, 0x1f80);
	/* The FXSAVE layout: 8 bytes of mantissa, then sign and exponent. */
	memcpy(&mant, &f.fpr[7][0], 8);
	memcpy(&se, &f.fpr[7][8], 2);
	assert_int_equal(mant, 0xc000000000000000ull);
	assert_int_equal(se, 0xc000);
	memcpy(&back, &s, sizeof(back));
	memset(&back.fpu, 0, sizeof(back.fpu));
	back.fpu.xcr0 = s.fpu.xcr0;
	kvm_fpu_to_state(&f, &back);
	assert_memory_equal(&back.fpu, &s.fpu, sizeof(s.fpu));
}

static void test_events_shadow(void **state)
{
	struct cpu_state s;
	struct kvm_vcpu_events e;

	(void)state;
	sample_state(&s);
	kvm_events_from_state(&e, &s);
	assert_int_equal(e.interrupt.shadow, 0);
	assert_int_equal(e.flags & KVM_VCPUEVENT_VALID_SHADOW,
			 KVM_VCPUEVENT_VALID_SHADOW);
	s.interrupt_shadow = true;
	kvm_events_from_state(&e, &s);
	assert_int_equal(e.interrupt.shadow, KVM_X86_SHADOW_INT_STI);
	/* VM entry refuses an STI shadow with IF clear: MOV SS then. */
	s.rflags &= ~(uint64_t)FLAG_IF;
	kvm_events_from_state(&e, &s);
	assert_int_equal(e.interrupt.shadow, KVM_X86_SHADOW_INT_MOV_SS);
	s.interrupt_shadow = false;
	kvm_events_to_state(&e, &s);
	assert_true(s.interrupt_shadow);
}

static void test_msr_places(void **state)
{
	struct cpu_state s;
	uint32_t list[KVM_STATE_MAX_MSRS];
	unsigned n = kvm_state_msr_candidates(list, KVM_STATE_MAX_MSRS);
	bool has_tsc = false, has_lstar = false;

	(void)state;
	assert_ptr_equal(kvm_state_msr(&s, 0x277), &s.msr.pat);
	assert_ptr_equal(kvm_state_msr(&s, 0x10), &s.msr.tsc);
	assert_ptr_equal(kvm_state_msr(&s, 0x205), &s.msr.mtrr_var[5]);
	assert_ptr_equal(kvm_state_msr(&s, 0xc0000102),
			 &s.msr.kernel_gs_base);
	assert_null(kvm_state_msr(&s, 0xc0000080)); /* EFER: in sregs */
	assert_null(kvm_state_msr(&s, 0x12345));
	assert_true(n <= KVM_STATE_MAX_MSRS);
	for (unsigned i = 0; i < n; i++) {
		assert_non_null(kvm_state_msr(&s, list[i]));
		has_tsc |= list[i] == 0x10;
		has_lstar |= list[i] == 0xc0000082;
	}
	assert_true(has_tsc);
	assert_true(has_lstar);
}

/* A machine on KVM with 2 MiB of RAM and no image, or NULL: skip. */
static struct machine *kvm_machine(const char *debugcon_path)
{
	struct machine_options o;
	struct machine *m;

	machine_options_init(&o);
	o.ram_mib = 2;
	o.engine = "kvm";
	o.serial.kind = CHARDEV_NONE;
	o.debugcon.kind = debugcon_path ? CHARDEV_FILE : CHARDEV_NONE;
	o.debugcon.path = debugcon_path;
	m = machine_create(&o);
	return m;
}

static void test_live_state_round_trip(void **state)
{
	struct machine *m = kvm_machine(NULL);
	struct cpu_state s, back;

	(void)state;
	if (!m)
		skip();
	sample_state(&s);
	/* What KVM keeps as is: no paging, a TSS and an LDT in place. */
	s.cr2 = 0;
	m->accel->state_set(m, &s);
	memset(&back, 0, sizeof(back));
	m->accel->state_get(m, &back);
	assert_memory_equal(back.gpr, s.gpr, sizeof(s.gpr));
	assert_int_equal(back.rip, s.rip);
	assert_int_equal(back.rflags, s.rflags);
	for (int k = 0; k < SEG_COUNT; k++) {
		assert_int_equal(back.seg[k].sel, s.seg[k].sel);
		assert_int_equal(back.seg[k].base, s.seg[k].base);
		assert_int_equal(back.seg[k].limit, s.seg[k].limit);
		/* KVM may set the accessed bit of a used segment. */
		assert_int_equal(back.seg[k].attr | 1, s.seg[k].attr | 1);
	}
	assert_int_equal(back.gdtr.base, s.gdtr.base);
	assert_int_equal(back.idtr.limit, s.idtr.limit);
	assert_int_equal(back.cr3, s.cr3);
	assert_int_equal(back.dr[0], s.dr[0]);
	assert_int_equal(back.dr[3], s.dr[3]);
	assert_int_equal(back.msr.sysenter_eip, s.msr.sysenter_eip);
	assert_int_equal(back.msr.pat, s.msr.pat);
	assert_int_equal(back.fpu.fcw, s.fpu.fcw);
	assert_int_equal(back.fpu.xmm[3][0], s.fpu.xmm[3][0]);
	assert_int_equal(back.fpu.st[7].sign_exp, s.fpu.st[7].sign_exp);
	machine_destroy(m);
}

/*
 * Real mode at 0000:1000: REP OUTSB of "kvm!" to the debug console, then
 * OUT of 0x21 to the exit port: popek ends with status (0x21 << 1) | 1.
 */
static void test_live_port_io(void **state)
{
	static const uint8_t code[] = {
		0xbe, 0x20, 0x10, /* mov si, 0x1020 */
		0xb9, 0x04, 0x00, /* mov cx, 4 */
		0xba, 0xe9, 0x00, /* mov dx, 0xe9 */
		0xfc, /* cld */
		0xf3, 0x6e, /* rep outsb */
		0xb0, 0x21, /* mov al, 0x21 */
		0xe6, 0xf4, /* out 0xf4, al */
		0xf4, /* hlt */
	};
	char path[] = "/tmp/popek-kvm-testXXXXXX";
	int fd = mkstemp(path);
	struct machine *m;
	struct cpu_state s;
	char out[16] = "";
	FILE *f;
	int status;

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	m = kvm_machine(path);
	if (!m) {
		unlink(path);
		skip();
	}
	memcpy(m->ram + 0x1000, code, sizeof(code));
	memcpy(m->ram + 0x1020, "kvm!", 4);
	m->accel->state_get(m, &s);
	for (int k = 0; k < SEG_COUNT; k++)
		segment_set_real(&s.seg[k], 0, k);
	s.rip = 0x1000;
	m->accel->state_set(m, &s);
	status = machine_run(m);
	if (status != ((0x21 << 1) | 1))
		print_message("machine_run: status %d, exit message '%s'\n",
			      status, m->exit_message);
	assert_int_equal(status, (0x21 << 1) | 1);
	assert_true(m->kvm->stats.by_reason[KVM_EXIT_IO] >= 2);
	machine_destroy(m);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(out, sizeof(out), f));
	fclose(f);
	unlink(path);
	assert_string_equal(out, "kvm!");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_regs_mapping),
		cmocka_unit_test(test_segment_fields),
		cmocka_unit_test(test_sregs_round_trip),
		cmocka_unit_test(test_fpu_round_trip),
		cmocka_unit_test(test_events_shadow),
		cmocka_unit_test(test_msr_places),
		cmocka_unit_test(test_live_state_round_trip),
		cmocka_unit_test(test_live_port_io),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
