// SPDX-License-Identifier: MIT
/*
 * The host-CPU oracle for the interpreter's integer instructions (see
 * alu_oracle.h and test_alu_native.c for what it compares and how).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* MAP_32BIT */
#endif
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cpu_harness.h"
#include "alu_oracle.h"

/* --- registers as both sides see them ----------------------------------- */

static const char *const reg32_names[8] = { "eax", "ecx", "edx", "ebx",
					    "esp", "ebp", "esi", "edi" };
uint32_t size_mask(int size)
{
	return size == 32 ? 0xFFFFFFFFu : (1u << size) - 1;
}

uint32_t sign_bit(int size)
{
	return 1u << (size - 1);
}

/* Register r of the given size: for 8 bits, AL..BL then AH..BH. */
uint32_t reg_get(const struct xregs *x, unsigned r, int size)
{
	if (size == 8)
		return r < 4 ? x->r[r] & 0xFF : (x->r[r - 4] >> 8) & 0xFF;
	return x->r[r] & size_mask(size);
}

void reg_put(struct xregs *x, unsigned r, int size, uint32_t v)
{
	if (size == 8) {
		if (r < 4)
			x->r[r] = (x->r[r] & ~0xFFu) | (v & 0xFF);
		else
			x->r[r - 4] = (x->r[r - 4] & ~0xFF00u) |
				      ((v & 0xFF) << 8);
		return;
	}
	x->r[r] = (x->r[r] & ~size_mask(size)) | (v & size_mask(size));
}

/* --- deterministic random numbers ---------------------------------------- */

uint64_t rng_next(struct rng *g)
{
	/* xorshift64* */
	g->s ^= g->s >> 12;
	g->s ^= g->s << 25;
	g->s ^= g->s >> 27;
	return g->s * 0x2545F4914F6CDD1Dull;
}

uint32_t rng_u32(struct rng *g)
{
	return (uint32_t)(rng_next(g) >> 32);
}

unsigned rng_below(struct rng *g, unsigned n)
{
	return (unsigned)(rng_next(g) >> 33) % n;
}

void rng_seed(struct rng *g, uint64_t seed)
{
	g->s = seed * 0x9E3779B97F4A7C15ull + 0x1234567;
	if (!g->s)
		g->s = 1;
}

/* 0, 1, 2, 0x7F.., 0x80.., 0x80..01, 0xFF..FE, all ones, 0x55.., 0xAA.. */
uint32_t edge_value(unsigned i, int size)
{
	uint32_t m = size_mask(size);

	switch (i % N_EDGES) {
	case 0:
		return 0;
	case 1:
		return 1;
	case 2:
		return 2;
	case 3:
		return (m >> 1);
	case 4:
		return sign_bit(size);
	case 5:
		return sign_bit(size) | 1;
	case 6:
		return m - 1;
	case 7:
		return m;
	case 8:
		return 0x55555555u & m;
	default:
		return 0xAAAAAAAAu & m;
	}
}

/* An operand: mostly uniform, with a share of edges and small values. */
uint32_t rand_value(struct rng *g, int size)
{
	uint32_t m = size_mask(size);

	switch (rng_below(g, 10)) {
	case 0:
		return edge_value(rng_below(g, N_EDGES), size);
	case 1:
		return rng_below(g, 16);
	case 2:
		return (0u - rng_below(g, 16)) & m;
	case 3:
		return (1u << rng_below(g, (unsigned)size)) & m;
	default:
		return rng_u32(g) & m;
	}
}

/* Random arithmetic flags, nothing else. */
uint64_t rand_flags(struct rng *g)
{
	return (rng_u32(g) & FLAGS_ARITH) | FLAG_FIXED1;
}

void rand_regs(struct rng *g, struct xregs *x)
{
	for (int i = 0; i < 8; i++)
		x->r[i] = rng_u32(g);
	x->r[R_SP] = 0;
	x->flags = rand_flags(g);
}

/* A register for an operand: any of 8 for bytes, never ESP otherwise. */
unsigned pick_reg(struct rng *g, int size)
{
	unsigned r;

	do
		r = rng_below(g, 8);
	while (size != 8 && r == R_SP);
	return r;
}

/* --- one test case ------------------------------------------------------- */

void case_init(struct alu_case *c, struct rng *g, const char *fmt, ...)
{
	va_list ap;

	memset(c, 0, sizeof(*c));
	va_start(ap, fmt);
	vsnprintf(c->form, sizeof(c->form), fmt, ap);
	va_end(ap);
	for (int i = 0; i < 8; i++)
		c->reg_mask[i] = 0xFFFFFFFFu;
	c->reg_mask[R_SP] = 0;
	rand_regs(g, &c->in);
}

void emit(struct alu_case *c, uint8_t b)
{
	if (c->code_len < sizeof(c->code))
		c->code[c->code_len++] = b;
}

void emit_imm(struct alu_case *c, uint32_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		emit(c, (uint8_t)(v >> (8 * i)));
}

/* The operand-size prefix that makes 32-bit code use 16-bit operands. */
void emit_osz(struct alu_case *c, int size)
{
	if (size == 16)
		emit(c, 0x66);
}

uint8_t modrm_reg(unsigned reg, unsigned rm)
{
	return (uint8_t)(0xC0 | (reg & 7) << 3 | (rm & 7));
}

/* Leave the bits of register r (of the given size) out of the comparison. */
void mask_reg(struct alu_case *c, unsigned r, int size)
{
	if (size == 8) {
		if (r < 4)
			c->reg_mask[r] &= ~0xFFu;
		else
			c->reg_mask[r - 4] &= ~0xFF00u;
		return;
	}
	c->reg_mask[r] &= ~size_mask(size);
}

/* --- the host side -------------------------------------------------------- */

/*
 * 64-bit runner, copied around the instruction bytes into an executable
 * page: void run(struct xregs *x).  R8 holds x; the instruction under test
 * has no REX prefix, so it cannot touch R8.
 */
__asm__(".pushsection .text\n"
	".globl popek_test_host_head\n"
	".hidden popek_test_host_head\n"
	".globl popek_test_host_tail\n"
	".hidden popek_test_host_tail\n"
	".globl popek_test_host_end\n"
	".hidden popek_test_host_end\n"
	"popek_test_host_head:\n"
	"	push %rbx\n"
	"	push %rbp\n"
	"	mov %rdi, %r8\n"
	"	mov 0(%r8), %eax\n"
	"	mov 4(%r8), %ecx\n"
	"	mov 8(%r8), %edx\n"
	"	mov 12(%r8), %ebx\n"
	"	mov 20(%r8), %ebp\n"
	"	mov 24(%r8), %esi\n"
	"	mov 28(%r8), %edi\n"
	"	pushq 32(%r8)\n"
	"	popfq\n"
	"popek_test_host_tail:\n"
	"	pushfq\n"
	"	popq 32(%r8)\n"
	"	mov %eax, 0(%r8)\n"
	"	mov %ecx, 4(%r8)\n"
	"	mov %edx, 8(%r8)\n"
	"	mov %ebx, 12(%r8)\n"
	"	mov %ebp, 20(%r8)\n"
	"	mov %esi, 24(%r8)\n"
	"	mov %edi, 28(%r8)\n"
	"	pop %rbp\n"
	"	pop %rbx\n"
	"	ret\n"
	"popek_test_host_end:\n"
	".popsection\n");

/*
 * The 32-bit variant: void run(struct xregs *x, const void *far_ptr,
 * uint32_t stack_top).  Copied below 4 GiB, so that the far call's 32-bit
 * return address reaches it.  It loads EFLAGS and the registers, switches
 * to a stack below 4 GiB, far-calls the 32-bit stub (the instruction and
 * LRET) through the m16:32 pointer, and stores the results.  R8-R15 keep
 * their values across compatibility mode (SDM Vol. 1 §3.4.1.1); RSP's
 * upper half does not, so it is saved in R9.
 */
__asm__(".pushsection .text\n"
	".globl popek_test_compat\n"
	".hidden popek_test_compat\n"
	".globl popek_test_compat_end\n"
	".hidden popek_test_compat_end\n"
	"popek_test_compat:\n"
	"	push %rbx\n"
	"	push %rbp\n"
	"	mov %rdi, %r8\n"
	"	mov %rsi, %r10\n"
	"	mov %rsp, %r9\n"
	"	pushq 32(%r8)\n"
	"	popfq\n"
	"	mov %edx, %esp\n"
	"	mov 0(%r8), %eax\n"
	"	mov 4(%r8), %ecx\n"
	"	mov 8(%r8), %edx\n"
	"	mov 12(%r8), %ebx\n"
	"	mov 20(%r8), %ebp\n"
	"	mov 24(%r8), %esi\n"
	"	mov 28(%r8), %edi\n"
	/* lcall *(%r10), m16:32 form (FF /3 without REX.W) */
	"	.byte 0x41, 0xff, 0x1a\n"
	"	pushfq\n"
	"	popq 32(%r8)\n"
	"	mov %eax, 0(%r8)\n"
	"	mov %ecx, 4(%r8)\n"
	"	mov %edx, 8(%r8)\n"
	"	mov %ebx, 12(%r8)\n"
	"	mov %ebp, 20(%r8)\n"
	"	mov %esi, 24(%r8)\n"
	"	mov %edi, 28(%r8)\n"
	"	mov %r9, %rsp\n"
	"	pop %rbp\n"
	"	pop %rbx\n"
	"	ret\n"
	"popek_test_compat_end:\n"
	".popsection\n");

extern const uint8_t popek_test_host_head[]
	__attribute__((visibility("hidden")));
extern const uint8_t popek_test_host_tail[]
	__attribute__((visibility("hidden")));
extern const uint8_t popek_test_host_end[]
	__attribute__((visibility("hidden")));
extern const uint8_t popek_test_compat[] __attribute__((visibility("hidden")));
extern const uint8_t popek_test_compat_end[]
	__attribute__((visibility("hidden")));

typedef void (*host_fn)(struct xregs *x);
typedef void (*compat_fn)(struct xregs *x, const void *far_ptr,
			  uint32_t stack_top);

/* Linux x86-64 GDT entries (arch/x86/include/asm/segment.h). */

/* 32-bit stubs: DAA DAS AAA AAS, then AAM imm and AAD imm for every imm. */

int host_init(struct host *h)
{
	memset(h, 0, sizeof(*h));
	h->page_size = (size_t)sysconf(_SC_PAGESIZE);
	h->head_len = (size_t)(popek_test_host_tail - popek_test_host_head);
	h->tail_len = (size_t)(popek_test_host_end - popek_test_host_tail);
	h->page = mmap(NULL, h->page_size, PROT_READ | PROT_WRITE | PROT_EXEC,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (h->page != MAP_FAILED) {
		h->page_rwx = true;
	} else {
		h->page = mmap(NULL, h->page_size, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (h->page == MAP_FAILED)
			return -1;
	}
	memcpy(h->page, popek_test_host_head, h->head_len);
	return 0;
}

void host_run(struct host *h, const uint8_t *code, size_t len, struct xregs *x)
{
	host_fn fn;
	void *p = h->page;

	if (!h->page_rwx)
		mprotect(h->page, h->page_size, PROT_READ | PROT_WRITE);
	memcpy(h->page + h->head_len, code, len);
	memcpy(h->page + h->head_len + len, popek_test_host_tail, h->tail_len);
	if (!h->page_rwx)
		mprotect(h->page, h->page_size, PROT_READ | PROT_EXEC);
	/* The instruction cache follows stores on x86; nothing to flush. */
	memcpy(&fn, &p, sizeof(fn));
	fn(x);
}

int stub_index(const uint8_t *code, size_t len)
{
	switch (code[0]) {
	case 0x27:
		return 0;
	case 0x2F:
		return 1;
	case 0x37:
		return 2;
	case 0x3F:
		return 3;
	case 0xD4:
		return len >= 2 ? 4 + code[1] : -1;
	case 0xD5:
		return len >= 2 ? 4 + 256 + code[1] : -1;
	default:
		return -1;
	}
}

void compat_run(struct host *h, const uint8_t *code, size_t len,
		struct xregs *x)
{
	int i = stub_index(code, len);
	uint8_t far_ptr[6];
	uint32_t off;
	compat_fn fn;
	void *p = h->low_code;

	if (i < 0) {
		fprintf(stderr, "no 32-bit stub for opcode %02x\n", code[0]);
		abort();
	}
	off = (uint32_t)(uintptr_t)(h->low_code + h->stubs_off +
				    (size_t)i * STUB_SIZE);
	memcpy(far_ptr, &off, 4);
	far_ptr[4] = LINUX_USER32_CS;
	far_ptr[5] = 0;
	memcpy(&fn, &p, sizeof(fn));
	fn(x, far_ptr,
	   (uint32_t)(uintptr_t)(h->low_stack + COMPAT_STACK_SIZE - 16));
}

/* Does the 32-bit path work here?  Tried in a child, which may crash. */
bool compat_probe(struct host *h)
{
	static const uint8_t daa = 0x27;
	pid_t pid;
	int status;

	pid = fork();
	if (pid < 0) {
		snprintf(h->compat_why, sizeof(h->compat_why), "fork failed");
		return false;
	}
	if (pid == 0) {
		struct xregs x;

		signal(SIGSEGV, SIG_DFL);
		signal(SIGBUS, SIG_DFL);
		signal(SIGILL, SIG_DFL);
		signal(SIGFPE, SIG_DFL);
		memset(&x, 0, sizeof(x));
		x.r[R_AX] = 0x1234560F;
		x.flags = FLAG_FIXED1;
		compat_run(h, &daa, 1, &x);
		/* 0x0F + 6 = 0x15 with AF set (SDM Vol. 2A, DAA). */
		_exit(x.r[R_AX] == 0x12345615 && (x.flags & FLAG_AF) ? 0 : 3);
	}
	if (waitpid(pid, &status, 0) != pid) {
		snprintf(h->compat_why, sizeof(h->compat_why),
			 "waitpid failed");
		return false;
	}
	if (WIFSIGNALED(status)) {
		snprintf(h->compat_why, sizeof(h->compat_why),
			 "the probe died of signal %d", WTERMSIG(status));
		return false;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		snprintf(h->compat_why, sizeof(h->compat_why),
			 "the probe computed a wrong DAA (status %d)",
			 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		return false;
	}
	return true;
}

void compat_init(struct host *h)
{
	size_t runner = (size_t)(popek_test_compat_end - popek_test_compat);
	uint16_t cs;

	__asm__ volatile("mov %%cs, %0" : "=r"(cs));
	if (cs != LINUX_USER_CS) {
		snprintf(h->compat_why, sizeof(h->compat_why),
			 "unexpected 64-bit CS %#x", cs);
		return;
	}
	h->stubs_off = (runner + 15) & ~(size_t)15;
	h->low_code_size = h->page_size;
	if (h->stubs_off + STUB_COUNT * STUB_SIZE > h->low_code_size)
		h->low_code_size *= 2;
	h->low_code = mmap(NULL, h->low_code_size, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	h->low_stack = mmap(NULL, COMPAT_STACK_SIZE, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	if (h->low_code == MAP_FAILED || h->low_stack == MAP_FAILED ||
	    (uintptr_t)h->low_code + h->low_code_size > 0x100000000ull ||
	    (uintptr_t)h->low_stack + COMPAT_STACK_SIZE > 0x100000000ull) {
		snprintf(h->compat_why, sizeof(h->compat_why),
			 "no memory below 4 GiB (MAP_32BIT)");
		h->low_code = NULL;
		return;
	}
	memset(h->low_code, 0xCC, h->low_code_size);
	memcpy(h->low_code, popek_test_compat, runner);
	for (int i = 0; i < STUB_COUNT; i++) {
		uint8_t *s = h->low_code + h->stubs_off + (size_t)i * STUB_SIZE;

		if (i < 4) {
			static const uint8_t ops[4] = { 0x27, 0x2F, 0x37,
							0x3F };
			s[0] = ops[i];
			s[1] = 0xCB; /* LRET */
		} else {
			s[0] = i < 4 + 256 ? 0xD4 : 0xD5;
			s[1] = (uint8_t)((i - 4) & 0xFF);
			s[2] = 0xCB;
		}
	}
	if (mprotect(h->low_code, h->low_code_size, PROT_READ | PROT_EXEC)) {
		snprintf(h->compat_why, sizeof(h->compat_why),
			 "mprotect failed");
		return;
	}
	h->compat_ok = compat_probe(h);
}

void host_fini(struct host *h)
{
	if (h->page && h->page != MAP_FAILED)
		munmap(h->page, h->page_size);
	if (h->low_code && h->low_code != MAP_FAILED)
		munmap(h->low_code, h->low_code_size);
	if (h->low_stack && h->low_stack != MAP_FAILED)
		munmap(h->low_stack, COMPAT_STACK_SIZE);
}

/* --- the test context ------------------------------------------------------ */

struct form_tally *tally_for(struct alu_ctx *x, const char *form)
{
	for (unsigned i = 0; i < x->nforms; i++)
		if (!strcmp(x->forms[i].form, form))
			return &x->forms[i];
	if (x->nforms == MAX_FORMS)
		return NULL;
	snprintf(x->forms[x->nforms].form, sizeof(x->forms[0].form), "%s",
		 form);
	x->forms[x->nforms].cases = 0;
	x->forms[x->nforms].failures = 0;
	return &x->forms[x->nforms++];
}

void ctx_begin(struct alu_ctx *x)
{
	x->nforms = 0;
	x->cases = x->failures = x->printed = x->skipped = 0;
}

const char *stop_name(enum cpu_stop s)
{
	switch (s) {
	case CPU_STOP_BUDGET:
		return "budget";
	case CPU_STOP_HALT:
		return "halt";
	case CPU_STOP_EXIT:
		return "exit";
	case CPU_STOP_SHUTDOWN:
		return "shutdown";
	}
	return "?";
}

/* Run c in the interpreter; NULL, or why the step itself went wrong. */
const char *interp_run(struct alu_ctx *x, const struct alu_case *c,
		       struct xregs *out, char *why, size_t why_len)
{
	struct cpu_state s = x->pm32;
	enum cpu_stop stop;

	for (int i = 0; i < 8; i++)
		if (i != R_SP)
			s.gpr[i] = c->in.r[i];
	s.gpr[R_SP] = HARNESS_STACK_TOP;
	s.rflags = (c->in.flags & FLAGS_ARITH) | FLAG_FIXED1;
	s.rip = HARNESS_CODE;
	stop = harness_step(x->hn, c->code, c->code_len, &s);
	for (int i = 0; i < 8; i++)
		out->r[i] = (uint32_t)s.gpr[i];
	out->r[R_SP] = 0;
	out->flags = s.rflags;
	if (stop != CPU_STOP_BUDGET) {
		snprintf(why, why_len, "cpu_step stopped (%s), EIP %#llx",
			 stop_name(stop), (unsigned long long)s.rip);
		return why;
	}
	if (s.rip != HARNESS_CODE + c->code_len) {
		int v = harness_handler_vector(s.rip);

		if (v >= 0)
			snprintf(why, why_len,
				 "raised exception %d (EIP at its handler)", v);
		else
			snprintf(why, why_len,
				 "EIP %#llx after the step, expected %#llx",
				 (unsigned long long)s.rip,
				 (unsigned long long)(HARNESS_CODE +
						      c->code_len));
		return why;
	}
	if ((uint32_t)s.gpr[R_SP] != HARNESS_STACK_TOP) {
		snprintf(why, why_len, "ESP changed to %#llx",
			 (unsigned long long)s.gpr[R_SP]);
		return why;
	}
	return NULL;
}

void flags_str(char *buf, uint64_t f)
{
	static const struct {
		uint32_t bit;
		char c;
	} order[] = { { FLAG_OF, 'o' }, { FLAG_SF, 's' }, { FLAG_ZF, 'z' },
		      { FLAG_AF, 'a' }, { FLAG_PF, 'p' }, { FLAG_CF, 'c' } };

	for (size_t i = 0; i < 6; i++)
		buf[i] = (f & order[i].bit) ? (char)(order[i].c - 32) :
					      order[i].c;
	buf[6] = 0;
}

void print_regs(const char *label, const struct xregs *r)
{
	char f[8];

	flags_str(f, r->flags);
	print_message("    %-6s eax=%08x ecx=%08x edx=%08x ebx=%08x ebp=%08x "
		      "esi=%08x edi=%08x flags=%s\n",
		      label, r->r[0], r->r[1], r->r[2], r->r[3], r->r[5],
		      r->r[6], r->r[7], f);
}

void report(const struct alu_case *c, const struct xregs *want,
	    const struct xregs *got, const char *why, uint32_t fmask)
{
	char hex[64] = "";
	char f1[8], f2[8], fm[8];

	for (size_t i = 0; i < c->code_len; i++)
		snprintf(hex + 3 * i, sizeof(hex) - 3 * i, "%02X ", c->code[i]);
	print_message("  MISMATCH %s  [%s]\n", c->form, hex);
	print_regs("in:", &c->in);
	print_regs("host:", want);
	print_regs("popek:", got);
	if (why)
		print_message("    popek: %s\n", why);
	for (int i = 0; i < 8; i++) {
		uint32_t d = (want->r[i] ^ got->r[i]) & c->reg_mask[i];

		if (d)
			print_message("    %s: host %08x popek %08x "
				      "(compared bits %08x)\n",
				      reg32_names[i], want->r[i], got->r[i],
				      c->reg_mask[i]);
	}
	if ((want->flags ^ got->flags) & fmask) {
		flags_str(f1, want->flags);
		flags_str(f2, got->flags);
		flags_str(fm, fmask);
		print_message("    flags: host %s popek %s (compared: %s, "
			      "upper case = compared)\n",
			      f1, f2, fm);
	}
}

/* Run one case on both sides and compare; true when they agree. */
bool check_case(struct alu_ctx *x, const struct alu_case *c)
{
	struct xregs want = c->in, got;
	uint32_t fmask = FLAGS_ARITH & ~c->undef_flags;
	struct form_tally *t = tally_for(x, c->form);
	char whybuf[160];
	const char *why;
	bool ok = true;

	want.r[R_SP] = 0;
	if (c->compat)
		compat_run(&x->host, c->host_len ? c->host : c->code,
			   c->host_len ? c->host_len : c->code_len, &want);
	else
		host_run(&x->host, c->host_len ? c->host : c->code,
			 c->host_len ? c->host_len : c->code_len, &want);
	why = interp_run(x, c, &got, whybuf, sizeof(whybuf));
	if (why)
		ok = false;
	for (int i = 0; i < 8; i++)
		if ((want.r[i] ^ got.r[i]) & c->reg_mask[i])
			ok = false;
	if ((want.flags ^ got.flags) & fmask)
		ok = false;

	x->cases++;
	if (t)
		t->cases++;
	if (ok)
		return true;
	x->failures++;
	if (t)
		t->failures++;
	if (x->printed < MAX_PRINTED && (!t || t->failures <= MAX_PER_FORM)) {
		x->printed++;
		report(c, &want, &got, why, fmask);
	}
	return false;
}

/* End of a test: the summary, then fail when anything disagreed. */
void ctx_end(struct alu_ctx *x, const char *test)
{
	unsigned bad = 0;

	for (unsigned i = 0; i < x->nforms; i++)
		if (x->forms[i].failures)
			bad++;
	print_message("%s: %u cases, %u forms, %u mismatches in %u forms\n",
		      test, x->cases, x->nforms, x->failures, bad);
	if (x->skipped)
		print_message("%s: %u operand sets skipped (would fault on "
			      "the host)\n",
			      test, x->skipped);
	for (unsigned i = 0, shown = 0; i < x->nforms; i++) {
		if (!x->forms[i].failures)
			continue;
		if (++shown > MAX_FORM_LINES) {
			print_message("  ... and %u more forms\n",
				      bad - MAX_FORM_LINES);
			break;
		}
		print_message("  %-40s %u of %u cases differ\n",
			      x->forms[i].form, x->forms[i].failures,
			      x->forms[i].cases);
	}
	if (x->failures)
		fail_msg("%s: %u of %u cases differ from the host", test,
			 x->failures, x->cases);
}

/* --- group setup ---------------------------------------------------------- */

int group_setup(void **state)
{
	struct alu_ctx *x = calloc(1, sizeof(*x));

	if (!x)
		return -1;
	if (host_init(&x->host)) {
		fprintf(stderr, "cannot map an executable page\n");
		free(x);
		return -1;
	}
	/* Before the machine exists, so the probe's fork copies little. */
	compat_init(&x->host);
	if (!x->host.compat_ok)
		print_message("BCD forms: no 32-bit host path (%s); their "
			      "test is skipped\n",
			      x->host.compat_why[0] ? x->host.compat_why :
						      "unknown");
	x->hn = harness_create();
	if (!x->hn) {
		host_fini(&x->host);
		free(x);
		return -1;
	}
	harness_state_pm32(x->hn, &x->pm32);
	*state = x;
	return 0;
}

int group_teardown(void **state)
{
	struct alu_ctx *x = *state;

	if (!x)
		return 0;
	harness_destroy(x->hn);
	host_fini(&x->host);
	free(x);
	return 0;
}
