/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vos2kam: turns a VOS3000 SIP parameter export into a vostimer profile file and
 * explains every value on stderr (doc/vos2kam.1.md). Reading and checking are
 * vs_import's; writing and validating the file are vs_prof's and libconfig's. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libconfig.h>

#include "vs_import.h"
#include "vs_prof.h"
#include "vs_sched.h"

#ifndef VOSTIMER_VERSION
#define VOSTIMER_VERSION "0.1.0"
#endif

#define EXIT_WARN 1
#define EXIT_BAD 2

typedef struct opts
{
	const char *in;	   /* export path, "-" = stdin */
	const char *out;   /* NULL: stdout (or the merge file) */
	const char *name;  /* profile name */
	const char *merge; /* existing profile file, or NULL */
	int strict;
} opts_t;

static const char usage_text[] =
		"usage: vos2kam [-o OUT] [-n NAME] [--merge FILE] [--strict] "
		"[EXPORT|-]\n"
		"\n"
		"Read a VOS3000 SIP parameter export (SS_SIP_* as NAME=VALUE lines or "
		"as\n"
		"table rows copied from the VOS3000 client; '-' or nothing reads "
		"stdin),\n"
		"write a vostimer profile file (libconfig) holding it as profile NAME, "
		"and\n"
		"explain on stderr what each parameter became and what looks wrong.\n"
		"\n"
		"  -o, --output OUT    write the profile file to OUT (default: "
		"stdout;\n"
		"                      with --merge: the merged file itself)\n"
		"  -n, --name NAME     profile name (default: vos3000)\n"
		"  -m, --merge FILE    add or replace profile NAME in the existing "
		"profile\n"
		"                      FILE, keeping its other profiles and defaults\n"
		"  -s, --strict        treat warnings as errors: write nothing, exit "
		"1\n"
		"  -h, --help          this text\n"
		"  -V, --version       the version\n"
		"\n"
		"Exit status: 0 done; 1 warnings with --strict; 2 unreadable or "
		"invalid\n"
		"input, bad usage, or the output could not be written.\n";

static int die(const char *fmt, ...)
{
	va_list ap;

	fputs("vos2kam: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_BAD;
}

/* 0 to go on, else the exit status (-1 for a clean exit 0 after --help). */
static int parse_args(int argc, char **argv, opts_t *o)
{
	static const struct option lo[] = {{"output", required_argument, NULL, 'o'},
			{"name", required_argument, NULL, 'n'},
			{"merge", required_argument, NULL, 'm'},
			{"strict", no_argument, NULL, 's'},
			{"help", no_argument, NULL, 'h'},
			{"version", no_argument, NULL, 'V'}, {NULL, 0, NULL, 0}};
	char why[VS_ERRLEN];
	int c;

	memset(o, 0, sizeof(*o));
	o->name = "vos3000";
	while((c = getopt_long(argc, argv, "o:n:m:shV", lo, NULL)) != -1) {
		switch(c) {
			case 'o':
				o->out = optarg;
				break;
			case 'n':
				o->name = optarg;
				break;
			case 'm':
				o->merge = optarg;
				break;
			case 's':
				o->strict = 1;
				break;
			case 'h':
				fputs(usage_text, stdout);
				return -1;
			case 'V':
				printf("vos2kam (vostimer) %s\n", VOSTIMER_VERSION);
				return -1;
			default:
				fputs(usage_text, stderr);
				return EXIT_BAD;
		}
	}
	if(argc - optind > 1)
		return die("one export at a time (got %d); see --help", argc - optind);
	o->in = optind < argc ? argv[optind] : "-";
	if(vs_prof_name_check(o->name, -1, why, sizeof(why)) < 0)
		return die("--name: %s", why);
	if(strcmp(o->name, "defaults") == 0)
		return die("--name: \"defaults\" is the defaults group, not a profile "
				   "name");
	return 0;
}

/* ---- the report on stderr ---- */

static void print_report(const vs_import_report_t *rep, const vs_values_t *v)
{
	char val[VS_SCHED_STRLEN + 4];
	const vs_import_item_t *it;
	int i, k;

	for(i = 0; i < rep->n_items; i++) {
		it = &rep->item[i];
		fprintf(stderr, "%s = %s (line %d) -> %s\n", it->name,
				it->raw[0] ? it->raw : "(no value)", it->line, it->note);
	}
	if(rep->n_more > 0)
		fprintf(stderr, "... and %d more parameters, not listed\n",
				rep->n_more);
	for(k = 0; k < VS_K_COUNT; k++) {
		if(rep->key_line[k] != 0 || vs_import_param_name(k) == NULL)
			continue;
		vs_prof_write_value(v, k, val, sizeof(val));
		fprintf(stderr, "%s not in the export -> %s %s (VOS3000 default)\n",
				vs_import_param_name(k), vs_key_name(k), val);
	}
	if(rep->n_skipped > 0)
		fprintf(stderr,
				"note: %d line%s without an SS_ parameter skipped (first: line "
				"%d)\n",
				rep->n_skipped, rep->n_skipped == 1 ? "" : "s",
				rep->first_skipped);
	for(i = 0; i < rep->n_warn; i++)
		fprintf(stderr, "warning: %s\n", rep->warn[i]);
	if(rep->n_warn_more > 0)
		fprintf(stderr, "warning: ... and %d more\n", rep->n_warn_more);
}

/* ---- the profile as libconfig text ---- */

/* A set of two: the VOS3000 defaults and the imported profile, with a comment
 * source for every key. Caller frees. */
static vs_profset_t *make_set(
		const opts_t *o, const vs_values_t *v, const vs_import_report_t *rep)
{
	size_t size = sizeof(vs_profset_t) + 2 * sizeof(vs_profile_t);
	vs_profset_t *set = calloc(1, size);
	vs_profile_t *p;
	int k;

	if(set == NULL)
		return NULL;
	set->size = size;
	set->n = 2;
	snprintf(set->p[0].name, VS_PROF_NAMELEN, "defaults");
	vs_values_vos_defaults(&set->p[0].v);
	p = &set->p[1];
	snprintf(p->name, VS_PROF_NAMELEN, "%s", o->name);
	p->v = *v;
	for(k = 0; k < VS_K_COUNT; k++) {
		if(rep->key_line[k] != 0)
			snprintf(p->src[k], VS_PROF_SRCLEN, "%s, export line %d",
					vs_import_param_name(k), rep->key_line[k]);
		else if(vs_import_param_name(k) != NULL)
			snprintf(p->src[k], VS_PROF_SRCLEN,
					"VOS3000 default (%s not in "
					"the export)",
					vs_import_param_name(k));
		else
			snprintf(p->src[k], VS_PROF_SRCLEN,
					"vostimer default (VOS3000 has "
					"no such setting)");
	}
	return set;
}

/* The profile file text for the imported profile alone. Caller frees. */
static char *profile_text(const opts_t *o, const vs_profset_t *set, size_t *len)
{
	char *text = NULL;
	FILE *f = open_memstream(&text, len);

	if(f == NULL)
		return NULL;
	fprintf(f,
			"# vostimer profiles, written by vos2kam %s from %s.\n"
			"# Load with modparam(\"vostimer\", \"profiles_file\", \"...\") "
			"and\n"
			"# select with vos_profile(\"%s\") before t_relay().\n",
			VOSTIMER_VERSION, strcmp(o->in, "-") == 0 ? "stdin" : o->in,
			o->name);
	if(vs_prof_write_file(f, set, 1, 1, VS_PROF_WF_SRC) < 0) {
		fclose(f);
		free(text);
		return NULL;
	}
	if(fclose(f) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

/* ---- merging with libconfig: other profiles and defaults stay as they are ---- */

static int copy_setting(
		config_setting_t *dst_parent, const config_setting_t *src)
{
	int type = config_setting_type(src), i;
	config_setting_t *d =
			config_setting_add(dst_parent, config_setting_name(src), type);

	if(d == NULL)
		return -1;
	switch(type) {
		case CONFIG_TYPE_INT:
			return config_setting_set_int(d, config_setting_get_int(src)) ? 0
																		  : -1;
		case CONFIG_TYPE_INT64:
			return config_setting_set_int64(d, config_setting_get_int64(src))
						   ? 0
						   : -1;
		case CONFIG_TYPE_FLOAT:
			return config_setting_set_float(d, config_setting_get_float(src))
						   ? 0
						   : -1;
		case CONFIG_TYPE_BOOL:
			return config_setting_set_bool(d, config_setting_get_bool(src))
						   ? 0
						   : -1;
		case CONFIG_TYPE_STRING:
			return config_setting_set_string(d, config_setting_get_string(src))
						   ? 0
						   : -1;
	}
	for(i = 0; i < config_setting_length(src); i++)
		if(copy_setting(d, config_setting_get_elem(src, (unsigned)i)) < 0)
			return -1;
	return 0;
}

/* The group of profile `name` in list `profs`, emptied; a new one when absent. */
static config_setting_t *profile_slot(config_setting_t *profs, const char *name)
{
	config_setting_t *g, *n;
	int i;

	for(i = 0; i < config_setting_length(profs); i++) {
		g = config_setting_get_elem(profs, (unsigned)i);
		n = config_setting_get_member(g, "name");
		if(n == NULL || config_setting_type(n) != CONFIG_TYPE_STRING
				|| strcmp(config_setting_get_string(n), name) != 0)
			continue;
		while(config_setting_length(g) > 0)
			config_setting_remove_elem(g, 0);
		return g;
	}
	return config_setting_add(profs, NULL, CONFIG_TYPE_GROUP);
}

/* The root's `profiles` list, created (or turned from an empty array) as needed. */
static config_setting_t *profiles_list(config_setting_t *root)
{
	config_setting_t *p = config_setting_get_member(root, "profiles");

	if(p != NULL && config_setting_is_list(p))
		return p;
	if(p != NULL)
		config_setting_remove(root, "profiles"); /* an empty [] */
	return config_setting_add(root, "profiles", CONFIG_TYPE_LIST);
}

/* Put the one profile of `text` into the file `base` read by libconfig and write
 * the result to tmp. */
static int merge_into(
		const char *base, const char *text, const char *name, const char *tmp)
{
	config_setting_t *src, *dst;
	config_t cin, cout;
	int i, rc = -1;

	config_init(&cin);
	config_init(&cout);
	if(!config_read_string(&cin, text)) {
		die("internal: generated profile does not parse: line %d: %s",
				config_error_line(&cin), config_error_text(&cin));
		goto out;
	}
	if(!config_read_file(&cout, base)) {
		die("%s:%d: %s", base, config_error_line(&cout),
				config_error_text(&cout));
		goto out;
	}
	src = config_setting_get_elem(config_lookup(&cin, "profiles"), 0);
	dst = profile_slot(profiles_list(config_root_setting(&cout)), name);
	for(i = 0; src != NULL && dst != NULL && i < config_setting_length(src);
			i++)
		if(copy_setting(dst, config_setting_get_elem(src, (unsigned)i)) < 0)
			break;
	if(src == NULL || dst == NULL || i < config_setting_length(src)) {
		die("internal: could not build profile \"%s\" in %s", name, base);
		goto out;
	}
	if(!config_write_file(&cout, tmp)) {
		die("%s: cannot write: %s", tmp, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	config_destroy(&cin);
	config_destroy(&cout);
	return rc;
}

/* ---- output: every file is written to a temporary, loaded back, then moved ---- */

/* Every key, as the file writes it: a key added to the table is compared too. */
static int same_values(const vs_values_t *a, const vs_values_t *b)
{
	char va[VS_SCHED_STRLEN + 4], vb[VS_SCHED_STRLEN + 4];
	int k;

	for(k = 0; k < VS_K_COUNT; k++) {
		if(vs_prof_write_value(a, k, va, sizeof(va)) < 0
				|| vs_prof_write_value(b, k, vb, sizeof(vb)) < 0
				|| strcmp(va, vb) != 0)
			return 0;
	}
	return 1;
}

/* The module's own loader must accept tmp and give back the imported values. */
static int validate(const char *tmp, const char *name, const vs_values_t *v)
{
	char err[512];
	vs_profset_t *set = vs_prof_load(tmp, NULL, err, sizeof(err));
	const vs_profile_t *p;
	int ok;

	if(set == NULL)
		return die("internal: the written profile file does not load: %s", err);
	p = vs_prof_find(set, name, -1);
	ok = p != NULL && same_values(&p->v, v);
	free(set);
	return ok ? 0
			  : die("internal: profile \"%s\" does not load back as written",
					  name);
}

/* The mode a new file gets: the target's own when it exists, else 0666 less umask
 * (mkstemp's 0600 would hide the profiles from a kamailio running as its own user). */
static mode_t file_mode(const char *target)
{
	struct stat st;
	mode_t um;

	if(target != NULL && stat(target, &st) == 0)
		return st.st_mode & 07777;
	um = umask(0);
	umask(um);
	return 0666 & ~um;
}

/* A temporary next to `target` (or in TMPDIR for stdout). Caller frees. */
static char *temp_path(const char *target)
{
	const char *dir = getenv("TMPDIR");
	char *path = NULL;
	int fd;

	if(target != NULL) {
		if(asprintf(&path, "%s.XXXXXX", target) < 0)
			return NULL;
	} else if(asprintf(&path, "%s/vos2kam.XXXXXX", dir && *dir ? dir : "/tmp")
			  < 0) {
		return NULL;
	}
	if((fd = mkstemp(path)) < 0) {
		die("%s: cannot create: %s", path, strerror(errno));
		free(path);
		return NULL;
	}
	if(fchmod(fd, file_mode(target)) != 0)
		die("%s: cannot set the mode: %s", path, strerror(errno));
	close(fd);
	return path;
}

static int write_text(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "w");

	if(f == NULL)
		return die("%s: cannot write: %s", path, strerror(errno));
	if(fwrite(text, 1, len, f) != len || fclose(f) != 0)
		return die("%s: cannot write: %s", path, strerror(errno));
	return 0;
}

static int copy_to_stdout(const char *path)
{
	char buf[8192];
	FILE *f = fopen(path, "r");
	size_t n;

	if(f == NULL)
		return die("%s: cannot read back: %s", path, strerror(errno));
	while((n = fread(buf, 1, sizeof(buf), f)) > 0)
		if(fwrite(buf, 1, n, stdout) != n)
			break;
	fclose(f);
	if(fflush(stdout) != 0 || ferror(stdout))
		return die("stdout: cannot write: %s", strerror(errno));
	return 0;
}

static int emit(
		const opts_t *o, const char *text, size_t len, const vs_values_t *v)
{
	const char *target = o->out ? o->out : o->merge;
	char *real = target ? realpath(target, NULL) : NULL; /* through a symlink */
	char *tmp;

	if(real != NULL)
		target = real;
	tmp = temp_path(target);
	char err[512];
	vs_profset_t *old;
	int rc;

	if(tmp == NULL) {
		free(real);
		return EXIT_BAD;
	}
	if(o->merge != NULL) {
		old = vs_prof_load(o->merge, NULL, err, sizeof(err));
		rc = old == NULL
					 ? die("refusing to merge into an invalid profile file: "
						   "%s",
							 err)
					 : merge_into(o->merge, text, o->name, tmp) < 0;
		free(old);
	} else {
		rc = write_text(tmp, text, len);
	}
	if(rc == 0)
		rc = validate(tmp, o->name, v);
	if(rc == 0 && target != NULL && rename(tmp, target) != 0)
		rc = die("%s: cannot write: %s", target, strerror(errno));
	if(rc == 0 && target == NULL)
		rc = copy_to_stdout(tmp);
	if(rc != 0 || target == NULL)
		unlink(tmp);
	free(tmp);
	free(real);
	return rc ? EXIT_BAD : 0;
}

int main(int argc, char **argv)
{
	vs_import_report_t *rep = calloc(1, sizeof(*rep));
	vs_profset_t *set = NULL;
	char err[512], *text = NULL;
	vs_values_t v;
	size_t len = 0;
	opts_t o;
	int rc;

	if(rep == NULL)
		return die("out of memory");
	if((rc = parse_args(argc, argv, &o)) != 0) {
		free(rep);
		return rc < 0 ? 0 : rc;
	}
	vs_values_vos_defaults(&v);
	if(vs_import_file(o.in, &v, rep, err, sizeof(err)) < 0) {
		free(rep);
		return die("%s", err);
	}
	vs_import_warnings(&v, rep);
	print_report(rep, &v);
	if(o.strict && rep->n_warn > 0) {
		fprintf(stderr, "vos2kam: %d warning%s and --strict: nothing written\n",
				rep->n_warn + rep->n_warn_more, rep->n_warn == 1 ? "" : "s");
		free(rep);
		return EXIT_WARN;
	}
	if((set = make_set(&o, &v, rep)) == NULL
			|| (text = profile_text(&o, set, &len)) == NULL)
		rc = die("out of memory");
	else
		rc = emit(&o, text, len, &v);
	if(rc == 0)
		fprintf(stderr, "vos2kam: profile \"%s\" written to %s\n", o.name,
				o.out	  ? o.out
				: o.merge ? o.merge
						  : "stdout");
	free(text);
	free(set);
	free(rep);
	return rc;
}
