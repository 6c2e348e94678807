// SPDX-License-Identifier: MIT
/*
 * Reading the instruction-form table of metadata.json, and naming the
 * form a test belongs to.
 */
#include "conformance/sst_meta.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "conformance/json.h"
#include "conformance/sst_insn.h"

int sst_meta_load(struct sst_meta *m, const char *path, char *err,
		  size_t errlen)
{
	char why[256];

	memset(m, 0, sizeof(*m));
	m->root = json_parse_file(path, why, sizeof(why));
	if (!m->root) {
		snprintf(err, errlen, "%s", why);
		return -1;
	}
	m->opcodes = json_get(m->root, "opcodes");
	if (!m->opcodes || m->opcodes->type != JSON_OBJECT) {
		snprintf(err, errlen, "%s: no \"opcodes\" object", path);
		sst_meta_free(m);
		return -1;
	}
	return 0;
}

void sst_meta_free(struct sst_meta *m)
{
	json_free(m->root);
	memset(m, 0, sizeof(*m));
}

int sst_form_from_path(const char *path, char *form, size_t len)
{
	const char *base = strrchr(path, '/');
	const char *suffix;
	size_t n, i;

	base = base ? base + 1 : path;
	suffix = strstr(base, ".MOO");
	if (!suffix)
		return -1;
	n = (size_t)(suffix - base);
	if (n < 2 || n + 1 > len)
		return -1;
	for (i = 0; i < n; i++) {
		if (!isxdigit((unsigned char)base[i]) && base[i] != '.')
			return -1;
		form[i] = (char)toupper((unsigned char)base[i]);
	}
	form[n] = '\0';
	return 0;
}

/*
 * The ModRM reg field of the instruction, when its opcode (one or two
 * bytes) is the one named by key; -1 otherwise.
 */
static int modrm_reg(const struct moo_test *t, const char *key)
{
	char op[8];
	uint32_t i = sst_insn_prefix_count(t);

	if (i >= t->byte_count)
		return -1;
	if (t->bytes[i] == 0x0F && i + 1 < t->byte_count) {
		snprintf(op, sizeof(op), "0F%02X", t->bytes[i + 1]);
		i += 2;
	} else {
		snprintf(op, sizeof(op), "%02X", t->bytes[i]);
		i++;
	}
	if (strcmp(op, key) || i >= t->byte_count)
		return -1;
	return (t->bytes[i] >> 3) & 7;
}

void sst_meta_form(const struct sst_meta *m, const char *file_form,
		   const struct moo_test *t, struct sst_form *out)
{
	const struct json_value *entry, *regs, *leaf, *v;
	char key[SST_FORM_NAME_LEN];
	const char *dot;
	char rname[2] = "";
	int reg = -1;

	snprintf(key, sizeof(key), "%s", file_form);
	dot = strchr(file_form, '.');
	if (dot) {
		key[dot - file_form] = '\0';
		if (dot[1] >= '0' && dot[1] <= '7' && !dot[2])
			reg = dot[1] - '0';
	}
	entry = m ? json_get(m->opcodes, key) : NULL;
	regs = json_get(entry, "reg");
	if (reg < 0 && regs)
		reg = modrm_reg(t, key);
	leaf = entry;
	if (reg >= 0) {
		rname[0] = (char)('0' + reg);
		leaf = json_get(regs, rname);
		snprintf(out->name, sizeof(out->name), "%.12s.%c", key,
			 rname[0]);
	} else {
		snprintf(out->name, sizeof(out->name), "%s", key);
	}

	v = json_get(leaf, "status");
	snprintf(out->status, sizeof(out->status), "%s",
		 v && v->type == JSON_STRING ? v->string : "unknown");
	v = json_get(leaf, "flags-mask");
	if (v && v->type == JSON_NUMBER && v->number >= 0 &&
	    v->number <= 0xFFFF)
		out->flags_mask = (uint16_t)v->number;
	else
		out->flags_mask = 0xFFFF;
}
