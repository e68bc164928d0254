/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz_prof: the profile file loader (vs_prof_load, vs_cfgread.c, libconfig), each
 * input written to a file in a private directory that also holds a FIFO, a directory
 * and a small include for @include lines to find. A loaded set starts with
 * `defaults`, its names are valid and unique and found, every value is within range,
 * every `extends` resolves; written back with vs_prof_write_file it loads again to the
 * same names and values. LeakSanitizer checks every input (a failed parse included):
 * libconfig 1.5 alone loses a string token at a syntax error. */
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

static char dir[64], in_path[96], out_path[96];

static void cleanup(void)
{
	const char *names[] = {"in.profiles", "out.profiles", "inc.cfg", "fifo"};
	char p[128];
	size_t i;

	for(i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, names[i]);
		unlink(p);
	}
	snprintf(p, sizeof(p), "%s/dir", dir);
	rmdir(p);
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char p[128];
	FILE *f;

	(void)argc;
	(void)argv;
	snprintf(dir, sizeof(dir), "%s/vs_fuzz_prof_XXXXXX",
			access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	if(mkdtemp(dir) == NULL)
		abort();
	atexit(cleanup);
	snprintf(in_path, sizeof(in_path), "%s/in.profiles", dir);
	snprintf(out_path, sizeof(out_path), "%s/out.profiles", dir);
	snprintf(p, sizeof(p), "%s/fifo", dir);
	if(mkfifo(p, 0600) != 0)
		abort();
	snprintf(p, sizeof(p), "%s/dir", dir);
	if(mkdir(p, 0700) != 0)
		abort();
	snprintf(p, sizeof(p), "%s/inc.cfg", dir);
	if((f = fopen(p, "w")) == NULL)
		abort();
	fputs("send_retry = 3;\ntimeout_invite = \"2.5\";\n", f);
	fclose(f);
	return 0;
}

static int write_file(const char *path, const uint8_t *data, size_t size)
{
	FILE *f = fopen(path, "w");

	if(f == NULL)
		abort();
	if(size > 0 && fwrite(data, 1, size, f) != size)
		abort();
	return fclose(f);
}

static void set_ok(const vs_profset_t *set)
{
	char err[VS_ERRLEN];
	const char *bad;
	int i, j, k;

	FUZZ_CHECK(set->n >= 1 && set->n <= VS_PROF_MAX, "%d profiles", set->n);
	FUZZ_CHECK(set->size == sizeof(*set) + (size_t)set->n * sizeof(set->p[0]),
			"size %zu", set->size);
	FUZZ_CHECK(strcmp(set->p[0].name, "defaults") == 0, "p[0] is \"%.64s\"",
			set->p[0].name);
	for(i = 0; i < set->n; i++) {
		const vs_profile_t *p = &set->p[i];

		FUZZ_CHECK(
				memchr(p->name, '\0', sizeof(p->name)) != NULL
						&& memchr(p->extends, '\0', sizeof(p->extends)) != NULL,
				"profile %d: name or extends not terminated", i);
		FUZZ_CHECK(vs_prof_name_check(p->name, -1, err, sizeof(err)) == 0,
				"profile %d: name: %s", i, err);
		FUZZ_CHECK(
				vs_prof_find(set, p->name, -1) == p, "%s: not found", p->name);
		for(j = 1; j < i; j++)
			FUZZ_CHECK(
					strcmp(set->p[j].name, p->name) != 0, "%s twice", p->name);
		FUZZ_CHECK(p->extends[0] == '\0' || strcmp(p->extends, "defaults") == 0
						   || vs_prof_find(set, p->extends, -1) != NULL,
				"%s extends unknown %s", p->name, p->extends);
		FUZZ_CHECK((bad = fuzz_values_bad(&p->v)) == NULL,
				"%s: %s out of range", p->name, bad);
		for(k = 0; k < VS_K_COUNT; k++)
			FUZZ_CHECK(
					p->src[k][0] != '\0'
							&& memchr(p->src[k], '\0', VS_PROF_SRCLEN) != NULL,
					"%s: src of %s", p->name, vs_key_name(k));
	}
}

/* written back, the set loads to the same names, parents and values */
static void round_trip(const vs_profset_t *set)
{
	char err[512];
	vs_profset_t *back;
	FILE *f = fopen(out_path, "w");
	int i;

	if(f == NULL)
		abort();
	FUZZ_CHECK(vs_prof_write_file(f, set, 0, -1, VS_PROF_WF_SRC) == 0,
			"cannot write the set");
	fclose(f);
	back = vs_prof_load(out_path, NULL, err, sizeof(err));
	FUZZ_CHECK(back != NULL, "written set does not load: %s", err);
	FUZZ_CHECK(back->n == set->n, "%d profiles back of %d", back->n, set->n);
	for(i = 0; i < set->n; i++) {
		FUZZ_CHECK(
				strcmp(back->p[i].name, set->p[i].name) == 0
						&& strcmp(back->p[i].extends, set->p[i].extends) == 0,
				"profile %d: %s extends %s back as %s extends %s", i,
				set->p[i].name, set->p[i].extends, back->p[i].name,
				back->p[i].extends);
		FUZZ_CHECK(fuzz_values_eq(&back->p[i].v, &set->p[i].v),
				"profile %s: other values back", set->p[i].name);
	}
	free(back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512];
	vs_profset_t *set;

	if(size > 65536)
		return 0;
	write_file(in_path, data, size);
	memset(err, 0, sizeof(err));
	set = vs_prof_load(in_path, NULL, err, sizeof(err));
	if(set == NULL) {
		FUZZ_CHECK_ERR(err, sizeof(err));
		return 0;
	}
	set_ok(set);
	round_trip(set);
	free(set);
	return 0;
}
