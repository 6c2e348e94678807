// SPDX-License-Identifier: MIT
/* Reading guest images from host files, with one clear error line. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "machine/image.h"

int image_read(const char *path, const char *who, uint64_t max_size,
	       uint8_t **data, uint64_t *size)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	uint8_t *buf;

	if (!f) {
		fprintf(stderr, "popek: %s: cannot open '%s': %s\n", who, path,
			strerror(errno));
		return -1;
	}
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		fprintf(stderr, "popek: %s: '%s' is not a regular file\n", who,
			path);
		fclose(f);
		return -1;
	}
	if (st.st_size == 0) {
		fprintf(stderr, "popek: %s: '%s' is empty\n", who, path);
		fclose(f);
		return -1;
	}
	if ((uint64_t)st.st_size > max_size) {
		fprintf(stderr,
			"popek: %s: '%s' is too big (%lld bytes, at most %llu)\n",
			who, path, (long long)st.st_size,
			(unsigned long long)max_size);
		fclose(f);
		return -1;
	}
	buf = malloc((size_t)st.st_size);
	if (!buf) {
		fprintf(stderr, "popek: %s: out of memory for '%s'\n", who,
			path);
		fclose(f);
		return -1;
	}
	if (fread(buf, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
		fprintf(stderr, "popek: %s: cannot read '%s'\n", who, path);
		free(buf);
		fclose(f);
		return -1;
	}
	fclose(f);
	*data = buf;
	*size = (uint64_t)st.st_size;
	return 0;
}
