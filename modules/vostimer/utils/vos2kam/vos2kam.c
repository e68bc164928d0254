/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vos2kam: turns a VOS3000's settings - a SIP parameter export or softswitch.conf,
 * and its routing gateways from GetGatewayRouting JSON, a mysqldump or the live
 * database - into a vostimer profile file (and a dispatcher list), and explains every
 * value on stderr (doc/vos2kam.1.md). Reading and checking are vs_import's and vg_*'s;
 * writing and validating the file are vs_prof's and libconfig's. */
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

#include "vg.h"
#include "vs_import.h"
#include "vs_prof.h"
#include "vs_sched.h"

#ifndef VOSTIMER_VERSION
#define VOSTIMER_VERSION "0.1.0"
#endif

#define EXIT_WARN 1
#define EXIT_BAD 2

#define JSON_MAX \
	(64u << 20) /* a GetGatewayRouting response above this is refused */
#define STDIN_MAX (256u << 20)

typedef struct opts
{
	const char *in; /* the system parameters' path, "-" = stdin, NULL = none */
	const char *gw_in;	/* the gateways' path (JSON or dump), NULL = none */
	int gw_kind;		/* its enum vg_input */
	const char *out;	/* NULL: stdout (or the merge file) */
	const char *name;	/* profile name */
	const char *merge;	/* existing profile file, or NULL */
	const char *db;		/* --db URL */
	const char *db_opt; /* --db-option-file */
	const char *ds;		/* --dispatcher FILE */
	int ds_set;
	int strict;
	int name_given;
	char *in_buf; /* stdin's text, when an input is "-" */
	size_t in_len;
} opts_t;

static const char usage_text[] =
		"usage: vos2kam [-o OUT] [-n NAME] [--merge FILE] [--strict] "
		"[EXPORT|-]\n"
		"       vos2kam [-o OUT] [--dispatcher DS] [--strict] [SYSTEM] "
		"{GATEWAYS | --db URL}\n"
		"\n"
		"Read VOS3000's settings and write a vostimer profile file "
		"(libconfig), "
		"explaining\n"
		"on stderr what each value became and what looks wrong. Each file's "
		"kind "
		"is told\n"
		"from its content:\n"
		"  EXPORT, SYSTEM  SS_* parameters: softswitch.conf (KEY=\"value\"), "
		"rows "
		"copied\n"
		"                  from the client (tabs, spaces, CSV); '-' reads "
		"stdin\n"
		"  GATEWAYS        routing gateways: GetGatewayRouting's JSON "
		"response, or "
		"a\n"
		"                  mysqldump of e_gatewayrouting + "
		"e_gatewayroutingsetting\n"
		"With an export alone the profile file holds it as profile NAME. With "
		"gateways\n"
		"it holds the system values as `defaults` and one profile per gateway "
		"with\n"
		"only the values the gateway sets itself.\n"
		"\n"
		"  -o, --output OUT    write the profile file to OUT (default: "
		"stdout;\n"
		"                      with --merge: the merged file itself)\n"
		"  -n, --name NAME     profile name for an export (default: vos3000)\n"
		"  -m, --merge FILE    add or replace profile NAME in the existing "
		"profile\n"
		"                      FILE, keeping its other profiles and defaults\n"
		"  -d, --db URL        read the gateways from VOS3000's database, "
		"read-only:\n"
		"                      mysql://[user@]host[:port][/database][?socket="
		"PATH]\n"
		"                      (password: --db-option-file or MYSQL_PWD, never "
		"the URL)\n"
		"      --db-option-file FILE  a MariaDB option file ([client] or "
		"[vos2kam] group)\n"
		"  -D, --dispatcher DS also write a dispatcher list of the gateways to "
		"DS\n"
		"      --set N         the dispatcher set id of those lines (default "
		"1)\n"
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

/* ---- inputs: each file's kind from its content ---- */

/* All of stdin, once (both inputs cannot be "-"). */
static int read_stdin(opts_t *o)
{
	size_t cap = 65536, got;
	char *nb;

	o->in_buf = malloc(cap);
	while(o->in_buf != NULL) {
		if(o->in_len == cap) {
			if(cap >= STDIN_MAX)
				return die("stdin: larger than %u MiB", STDIN_MAX >> 20);
			if((nb = realloc(o->in_buf, cap * 2)) == NULL)
				break;
			o->in_buf = nb, cap *= 2;
		}
		got = fread(o->in_buf + o->in_len, 1, cap - o->in_len, stdin);
		o->in_len += got;
		if(got == 0)
			return ferror(stdin) ? die("stdin: read error: %s", strerror(errno))
								 : 0;
	}
	return die("stdin: out of memory");
}

static int kind_of(opts_t *o, const char *path, int *kind)
{
	char head[65536];
	size_t n;
	FILE *f;

	if(strcmp(path, "-") == 0) {
		if(o->in_buf == NULL && read_stdin(o) != 0)
			return EXIT_BAD;
		*kind = vg_detect(o->in_buf, o->in_len);
		return 0;
	}
	if((f = fopen(path, "rb")) == NULL)
		return die("%s: cannot open: %s", path, strerror(errno));
	n = fread(head, 1, sizeof(head), f);
	fclose(f);
	*kind = vg_detect(head, n);
	return 0;
}

/* Sort the inputs: at most one export and one source of gateways. */
static int sort_inputs(opts_t *o, int n, char **paths)
{
	int i, kind, rc;

	for(i = 0; i < n; i++) {
		if(strcmp(paths[i], "-") == 0 && o->in_buf != NULL)
			return die("stdin given twice");
		if((rc = kind_of(o, paths[i], &kind)) != 0)
			return rc;
		if(kind == VG_IN_EXPORT && o->in != NULL)
			return die("%s and %s are both parameter exports: one export at a "
					   "time",
					o->in, paths[i]);
		if(kind != VG_IN_EXPORT && (o->gw_in != NULL || o->db != NULL))
			return die("%s: a second source of gateways (%s); give one",
					paths[i], o->db ? "--db" : o->gw_in);
		if(kind == VG_IN_EXPORT)
			o->in = paths[i];
		else
			o->gw_in = paths[i], o->gw_kind = kind;
	}
	if(o->in == NULL && o->gw_in == NULL && o->db == NULL)
		o->in = "-";
	if(o->in != NULL && strcmp(o->in, "-") == 0 && o->in_buf == NULL
			&& (rc = read_stdin(o)) != 0)
		return rc;
	return 0;
}

/* 0 to go on, else the exit status (-1 for a clean exit 0 after --help). */
static int parse_args(int argc, char **argv, opts_t *o)
{
	static const struct option lo[] = {{"output", required_argument, NULL, 'o'},
			{"name", required_argument, NULL, 'n'},
			{"merge", required_argument, NULL, 'm'},
			{"db", required_argument, NULL, 'd'},
			{"db-option-file", required_argument, NULL, 'F'},
			{"dispatcher", required_argument, NULL, 'D'},
			{"set", required_argument, NULL, 'S'},
			{"strict", no_argument, NULL, 's'},
			{"help", no_argument, NULL, 'h'},
			{"version", no_argument, NULL, 'V'}, {NULL, 0, NULL, 0}};
	char why[VS_ERRLEN], *end;
	int c;

	memset(o, 0, sizeof(*o));
	o->name = "vos3000";
	o->ds_set = 1;
	while((c = getopt_long(argc, argv, "o:n:m:d:D:shV", lo, NULL)) != -1) {
		switch(c) {
			case 'o':
				o->out = optarg;
				break;
			case 'n':
				o->name = optarg;
				o->name_given = 1;
				break;
			case 'm':
				o->merge = optarg;
				break;
			case 'd':
				o->db = optarg;
				break;
			case 'F':
				o->db_opt = optarg;
				break;
			case 'D':
				o->ds = optarg;
				break;
			case 'S':
				o->ds_set = (int)strtol(optarg, &end, 10);
				if(*end != '\0' || o->ds_set < 0 || end == optarg)
					return die("--set \"%s\": not a set id (a whole number)",
							optarg);
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
	if(argc - optind > 2)
		return die("at most two inputs, an export and the gateways (got %d); "
				   "see --help",
				argc - optind);
	if(vs_prof_name_check(o->name, -1, why, sizeof(why)) < 0)
		return die("--name: %s", why);
	if(strcmp(o->name, "defaults") == 0)
		return die("--name: \"defaults\" is the defaults group, not a profile "
				   "name");
	if(o->db_opt != NULL && o->db == NULL)
		return die("--db-option-file without --db");
	if((c = sort_inputs(o, argc - optind, argv + optind)) != 0)
		return c;
	if(o->gw_in == NULL && o->db == NULL) {
		if(o->ds != NULL)
			return die("--dispatcher needs gateways: a GetGatewayRouting JSON "
					   "file, a mysqldump or --db");
		return 0;
	}
	if(o->merge != NULL)
		return die("--merge adds one profile; gateways make a whole file: "
				   "write it with -o and compare");
	if(o->name_given)
		return die("--name names an export's profile; with gateways the "
				   "system values are the defaults group");
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

/* the end of a text written into a memory stream (open_memstream(text, ...)): the
 * text, or NULL (freed) when writing it failed (rc < 0) or the stream could not be
 * closed. *text is read after fclose(), which is when the stream sets it. */
static char *text_end(FILE *f, char **text, int rc)
{
	int closed = fclose(f);

	if(closed != 0 || rc < 0) {
		free(*text);
		return NULL;
	}
	return *text;
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
	return text_end(f, &text, vs_prof_write_file(f, set, 1, 1, VS_PROF_WF_SRC));
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

/* the written temporary file tmp (rc 0: written and valid) moved to target, or
 * copied to stdout when there is none; removed otherwise. Frees tmp and real;
 * returns the exit status. */
static int put_in_place(int rc, char *tmp, const char *target, char *real)
{
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
	return put_in_place(rc, tmp, target, real);
}

/* ---- gateways: the whole file, defaults and one profile per gateway ---- */

typedef struct gwrun
{
	vg_recs_t recs;
	vg_gws_t gws;
	char from[600]; /* what was read, for the file's header and the report */
	char join[160];
} gwrun_t;

static int slurp_path(
		const opts_t *o, const char *path, size_t max, char **buf, size_t *len)
{
	FILE *f;
	size_t cap = 65536, got;
	char *nb;

	if(strcmp(path, "-") == 0) {
		*buf = o->in_buf, *len = o->in_len;
		return 0;
	}
	if((f = fopen(path, "rb")) == NULL)
		return die("%s: cannot open: %s", path, strerror(errno));
	*len = 0;
	*buf = malloc(cap);
	while(*buf != NULL) {
		if(*len == cap) {
			if(cap >= max) {
				fclose(f);
				return die("%s: larger than %zu MiB", path, max >> 20);
			}
			if((nb = realloc(*buf, cap * 2)) == NULL)
				break;
			*buf = nb, cap *= 2;
		}
		got = fread(*buf + *len, 1, cap - *len, f);
		*len += got;
		if(got == 0) {
			fclose(f);
			return 0;
		}
	}
	fclose(f);
	return die("%s: out of memory", path);
}

/* the routing and setting tables, from a dump or the database, joined */
static int read_tables(const opts_t *o, gwrun_t *g, char *err, int errlen)
{
	vg_recs_t routing = {0}, setting = {0};
	char desc[300];
	int rc, ntab;
	FILE *f;

	if(o->db != NULL) {
		rc = vg_db_read(o->db, o->db_opt, &routing, &setting, desc,
				sizeof(desc), err, errlen);
		snprintf(g->from, sizeof(g->from), "%s", desc);
	} else {
		f = strcmp(o->gw_in, "-") == 0 ? fmemopen(o->in_buf, o->in_len, "rb")
									   : fopen(o->gw_in, "rb");
		if(f == NULL)
			return vs_err(err, errlen, "%s: cannot open: %s", o->gw_in,
					strerror(errno));
		rc = vg_dump_read(f, strcmp(o->gw_in, "-") ? o->gw_in : "(stdin)",
				&routing, &setting, &ntab, err, errlen);
		fclose(f);
		snprintf(g->from, sizeof(g->from), "mysqldump %s", o->gw_in);
	}
	if(rc == 0)
		rc = vg_join(&routing, &setting, &g->recs, g->join, sizeof(g->join),
				err, errlen);
	vg_recs_free(&routing);
	vg_recs_free(&setting);
	return rc;
}

static int read_gateways(const opts_t *o, gwrun_t *g, char *err, int errlen)
{
	char *buf = NULL;
	size_t len = 0;
	int rc;

	if(o->db != NULL || o->gw_kind == VG_IN_DUMP) {
		if(read_tables(o, g, err, errlen) < 0)
			return -1;
	} else {
		if(slurp_path(o, o->gw_in, JSON_MAX, &buf, &len) != 0)
			return vs_err(err, errlen, "%s: not read", o->gw_in);
		rc = vg_json_read(buf, len,
				strcmp(o->gw_in, "-") ? o->gw_in : "(stdin)", &g->recs, err,
				errlen);
		if(buf != o->in_buf)
			free(buf);
		if(rc < 0)
			return -1;
		snprintf(g->from, sizeof(g->from), "GetGatewayRouting response %s",
				o->gw_in);
	}
	if(vg_map(&g->recs, &g->gws, err, errlen) < 0)
		return -1;
	if(g->gws.n > VS_PROF_MAX - 1)
		return vs_err(err, errlen,
				"%d gateways: a profile file holds at most %d profiles",
				g->gws.n, VS_PROF_MAX - 1);
	return 0;
}

/* defaults (the system values) and one profile per gateway. Caller frees. */
static vs_profset_t *gateway_set(const opts_t *o, const vs_values_t *sys,
		const vs_import_report_t *rep, const vg_gws_t *gws)
{
	size_t size =
			sizeof(vs_profset_t) + (size_t)(gws->n + 1) * sizeof(vs_profile_t);
	vs_profset_t *set = calloc(1, size);
	vs_profile_t *p;
	int i, k;

	if(set == NULL)
		return NULL;
	set->size = size;
	set->n = gws->n + 1;
	p = &set->p[0];
	snprintf(p->name, VS_PROF_NAMELEN, "defaults");
	p->v = *sys;
	for(k = 0; k < VS_K_COUNT; k++) {
		if(o->in != NULL && rep->key_line[k] != 0)
			snprintf(p->src[k], VS_PROF_SRCLEN, "%s, %s line %d",
					vs_import_param_name(k), o->in, rep->key_line[k]);
		else if(vs_import_param_name(k) != NULL)
			snprintf(p->src[k], VS_PROF_SRCLEN,
					"VOS3000 default (%s not given)", vs_import_param_name(k));
		else
			snprintf(p->src[k], VS_PROF_SRCLEN,
					"vostimer default (VOS3000 has no system setting)");
	}
	for(i = 0; i < gws->n; i++) {
		p = &set->p[i + 1];
		snprintf(p->name, VS_PROF_NAMELEN, "%s", gws->g[i].profile);
		p->v = *sys;
		vs_values_overlay(&p->v, &gws->g[i].v, gws->g[i].own);
		p->own = gws->g[i].own;
		for(k = 0; k < VS_K_COUNT; k++)
			snprintf(p->src[k], VS_PROF_SRCLEN, "%s", gws->g[i].src[k]);
	}
	return set;
}

static char *gateway_text(
		const opts_t *o, const gwrun_t *g, const vs_profset_t *set, size_t *len)
{
	char *text = NULL;
	FILE *f = open_memstream(&text, len);

	if(f == NULL)
		return NULL;
	fprintf(f,
			"# vostimer profiles, written by vos2kam %s.\n"
			"# defaults: VOS3000's system values, from %s.\n"
			"# One profile per routing gateway, from %s: only the values the "
			"gateway\n"
			"# sets itself (its 0s use the system value); the rest is "
			"inherited.\n"
			"# Load with modparam(\"vostimer\", \"profiles_file\", \"...\") "
			"and "
			"select each\n"
			"# gateway's profile with modparam(\"vostimer\", "
			"\"gateway_profile\", "
			"...).\n",
			VOSTIMER_VERSION,
			o->in == NULL ? "VOS3000's factory values (no export given)"
			: strcmp(o->in, "-") == 0 ? "stdin"
									  : o->in,
			g->from);
	return text_end(f, &text,
			vs_prof_write_file(f, set, 0, -1, VS_PROF_WF_SRC | VS_PROF_WF_OWN));
}

/* the module's loader must give back every profile as built: values and own keys */
static int validate_set(const char *tmp, const vs_profset_t *want)
{
	char err[512];
	vs_profset_t *set = vs_prof_load(tmp, NULL, err, sizeof(err));
	const vs_profile_t *p;
	int i, bad = -1;

	if(set == NULL)
		return die("internal: the written profile file does not load: %s", err);
	for(i = 0; i < want->n && bad < 0; i++) {
		p = vs_prof_find(set, want->p[i].name, -1);
		if(p == NULL || !same_values(&p->v, &want->p[i].v)
				|| (i > 0 && p->own != want->p[i].own))
			bad = i;
	}
	free(set);
	return bad < 0 ? 0
				   : die("internal: profile \"%s\" does not load back as "
						 "written",
						   want->p[bad].name);
}

/* text to target (NULL: stdout) through a temporary, checked by check() first */
static int emit_file(const char *target, const char *text, size_t len,
		const vs_profset_t *want)
{
	char *real = target ? realpath(target, NULL) : NULL;
	char *tmp;
	int rc;

	if(real != NULL)
		target = real;
	if((tmp = temp_path(target)) == NULL) {
		free(real);
		return EXIT_BAD;
	}
	rc = write_text(tmp, text, len);
	if(rc == 0 && want != NULL)
		rc = validate_set(tmp, want);
	return put_in_place(rc, tmp, target, real);
}

static int gateway_warnings(const gwrun_t *g)
{
	int i, n = 0;

	if(g->gws.n_unknown > 0) {
		fprintf(stderr,
				"warning: field%s not among the published VOS3000 fields, not "
				"understood and ignored:",
				g->gws.n_unknown == 1 ? "" : "s");
		for(i = 0; i < g->gws.n_unknown; i++)
			fprintf(stderr, "%s %s", i ? "," : "", g->gws.unknown[i]);
		if(g->gws.n_unknown_more)
			fprintf(stderr, " and %d more", g->gws.n_unknown_more);
		fputc('\n', stderr);
		n++;
	}
	for(i = 0; i < g->gws.n; i++)
		if(g->gws.g[i].name_note[0]
				&& strncmp(g->gws.g[i].name_note, "no name", 7) == 0) {
			fprintf(stderr,
					"warning: gateway at %s has no name: profile \"%s\"\n",
					g->gws.g[i].where, g->gws.g[i].profile);
			n++;
		}
	return n;
}

static int run_gateways(const opts_t *o, const vs_values_t *sys,
		const vs_import_report_t *rep, int warnings)
{
	char err[VG_ERRLEN], *text = NULL, *ds = NULL;
	size_t len = 0, dslen = 0;
	vs_profset_t *set = NULL;
	gwrun_t g;
	FILE *f;
	int rc = EXIT_BAD;

	memset(&g, 0, sizeof(g));
	if(read_gateways(o, &g, err, sizeof(err)) < 0) {
		die("%s", err);
		goto out;
	}
	if(o->in == NULL)
		fprintf(stderr, "note: no system parameters given (softswitch.conf or "
						"an export): defaults are VOS3000's factory values\n");
	fprintf(stderr, "gateways: %d from %s%s%s\n", g.gws.n, g.from,
			g.join[0] ? ", joined on " : "", g.join);
	vg_report(stderr, &g.gws, sys);
	warnings += gateway_warnings(&g);
	fprintf(stderr, "gateways: %d profile%s, %d dispatcher line%s%s\n",
			g.gws.n_profiles, g.gws.n_profiles == 1 ? "" : "s", g.gws.n_uris,
			g.gws.n_uris == 1 ? "" : "s", o->ds ? "" : " (no --dispatcher)");
	if(o->strict && warnings > 0) {
		fprintf(stderr, "vos2kam: %d warning%s and --strict: nothing written\n",
				warnings, warnings == 1 ? "" : "s");
		rc = EXIT_WARN;
		goto out;
	}
	if((set = gateway_set(o, sys, rep, &g.gws)) == NULL
			|| (text = gateway_text(o, &g, set, &len)) == NULL) {
		die("out of memory");
		goto out;
	}
	if(o->ds != NULL) {
		if((f = open_memstream(&ds, &dslen)) == NULL
				|| vg_write_dispatcher(f, &g.gws, o->ds_set, g.from) < 0
				|| fclose(f) != 0) {
			die("out of memory");
			goto out;
		}
		if((rc = emit_file(o->ds, ds, dslen, NULL)) != 0)
			goto out;
	}
	if((rc = emit_file(o->out, text, len, set)) == 0) {
		fprintf(stderr,
				"vos2kam: defaults and %d gateway profile%s written to %s\n",
				g.gws.n, g.gws.n == 1 ? "" : "s", o->out ? o->out : "stdout");
		if(o->ds)
			fprintf(stderr,
					"vos2kam: dispatcher list (%d gateway%s, set %d) "
					"written to %s\n",
					g.gws.n_uris, g.gws.n_uris == 1 ? "" : "s", o->ds_set,
					o->ds);
	}
out:
	free(ds);
	free(text);
	free(set);
	vg_gws_free(&g.gws);
	vg_recs_free(&g.recs);
	return rc;
}

/* ---- main ---- */

static int import_system(
		const opts_t *o, vs_values_t *v, vs_import_report_t *rep)
{
	char err[512];
	int rc;

	vs_values_vos_defaults(v);
	if(o->in == NULL)
		return 0;
	if(strcmp(o->in, "-") == 0)
		rc = vs_import_text(
				o->in_buf, o->in_len, "(stdin)", v, rep, err, sizeof(err));
	else
		rc = vs_import_file(o->in, v, rep, err, sizeof(err));
	if(rc < 0)
		return die("%s", err);
	vs_import_warnings(v, rep);
	print_report(rep, v);
	return 0;
}

int main(int argc, char **argv)
{
	vs_import_report_t *rep = calloc(1, sizeof(*rep));
	vs_profset_t *set = NULL;
	char *text = NULL;
	vs_values_t v;
	size_t len = 0;
	opts_t o;
	int rc;

	if(rep == NULL)
		return die("out of memory");
	if((rc = parse_args(argc, argv, &o)) != 0) {
		free(o.in_buf);
		free(rep);
		return rc < 0 ? 0 : rc;
	}
	if((rc = import_system(&o, &v, rep)) != 0)
		goto out;
	if(o.gw_in != NULL || o.db != NULL) {
		rc = run_gateways(&o, &v, rep, rep->n_warn + rep->n_warn_more);
		goto out;
	}
	if(o.strict && rep->n_warn > 0) {
		fprintf(stderr, "vos2kam: %d warning%s and --strict: nothing written\n",
				rep->n_warn + rep->n_warn_more, rep->n_warn == 1 ? "" : "s");
		rc = EXIT_WARN;
		goto out;
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
out:
	free(text);
	free(set);
	free(rep);
	free(o.in_buf);
	return rc;
}
