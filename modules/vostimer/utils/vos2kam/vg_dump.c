/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vg_dump: the rows of VOS3000's e_gatewayrouting and e_gatewayroutingsetting in a
 * mysqldump (or any SQL text of CREATE TABLE and INSERT statements), read one
 * statement at a time so that a whole-database dump with its CDR tables streams
 * through. Other tables are skipped. Pure: libc only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "vg.h"
#include "vs_sched.h"

#define NCOLS_MAX 512

static const char *const tables[2] = {
		"e_gatewayrouting", "e_gatewayroutingsetting"};

typedef struct dump
{
	FILE *f;
	const char *origin;
	int line; /* the line the reader is on */
	char *st; /* the statement being read */
	size_t len, cap;
	int st_line;			  /* the line it starts on */
	char *cols[2][NCOLS_MAX]; /* each table's columns, from its CREATE TABLE */
	int ncols[2];
	int rows[2];
	int seen[2];
	char *err;
	int errlen;
} dump_t;

static int put(dump_t *d, int c)
{
	char *nb;

	if(d->len + 2 > d->cap) {
		nb = realloc(d->st, d->cap ? d->cap * 2 : 65536);
		if(nb == NULL)
			return -1;
		d->st = nb;
		d->cap = d->cap ? d->cap * 2 : 65536;
	}
	d->st[d->len++] = (char)c;
	d->st[d->len] = '\0';
	return 0;
}

static int get(dump_t *d)
{
	int c = getc(d->f);

	if(c == '\n')
		d->line++;
	return c;
}

/* a quoted run ('...', "..." or `...`) copied whole, escapes included */
static int quoted(dump_t *d, int q)
{
	int c, start = d->line;

	while((c = get(d)) != EOF) {
		if(put(d, c) < 0)
			return -1;
		if(c == '\\' && q != '`') {
			if((c = get(d)) == EOF)
				break;
			if(put(d, c) < 0)
				return -1;
			continue;
		}
		if(c == q)
			return 0;
	}
	return vs_err(d->err, d->errlen, "%s:%d: unterminated %c quote", d->origin,
			start, q);
}

/* The next statement into d->st, comments dropped. 0: one read; 1: end of file. */
static int statement(dump_t *d)
{
	int c, n;

	d->len = 0;
	if(put(d, ' ') < 0)
		goto oom;
	d->len = 0;
	d->st_line = 0;
	while((c = get(d)) != EOF) {
		if(d->st_line == 0
				&& !(c == ' ' || c == '\t' || c == '\r' || c == '\n'))
			d->st_line = d->line;
		if(c == '-' || c == '#' || c == '/') {
			n = getc(d->f);
			if((c == '-' && n == '-') || c == '#') {
				if(c == '#')
					ungetc(n, d->f);
				while((c = get(d)) != EOF && c != '\n')
					;
				if(d->len == 0)
					d->st_line = 0;
				continue;
			}
			if(c == '/' && n == '*') {
				int prev = 0;
				while((c = get(d)) != EOF && !(prev == '*' && c == '/'))
					prev = c;
				/* a conditional comment (mysqldump's SET ... lines) ends in its own ';' */
				if(d->len == 0)
					d->st_line = 0;
				continue;
			}
			ungetc(n, d->f);
		}
		if(c == ';')
			return 0;
		if(put(d, c) < 0)
			goto oom;
		if((c == '\'' || c == '"' || c == '`') && quoted(d, c) < 0)
			return -1;
	}
	return d->len == 0 ? 1 : 0;
oom:
	return vs_err(
			d->err, d->errlen, "%s:%d: out of memory", d->origin, d->line);
}

/* ---- tokens inside a statement ---- */

typedef struct tok
{
	const char *p; /* position in the statement */
} tok_t;

static void sp(const char **p)
{
	while(**p == ' ' || **p == '\t' || **p == '\r' || **p == '\n')
		(*p)++;
}

static int kw(const char **p, const char *w)
{
	size_t n = strlen(w);

	sp(p);
	if(strncasecmp(*p, w, n) != 0)
		return 0;
	if(((*p)[n] >= 'A' && (*p)[n] <= 'Z') || ((*p)[n] >= 'a' && (*p)[n] <= 'z')
			|| (*p)[n] == '_')
		return 0;
	*p += n;
	return 1;
}

/* an identifier, `quoted` or bare, into out; the part after a '.' wins
 * (`vos3000`.`e_gatewayrouting`) */
static int ident(const char **p, char *out, int outlen)
{
	const char *b;
	int n;

	for(;;) {
		sp(p);
		if(**p == '`') {
			b = ++(*p);
			while(**p && **p != '`')
				(*p)++;
			n = (int)(*p - b);
			if(**p)
				(*p)++;
		} else {
			b = *p;
			while((**p >= 'A' && **p <= 'Z') || (**p >= 'a' && **p <= 'z')
					|| (**p >= '0' && **p <= '9') || **p == '_' || **p == '$')
				(*p)++;
			n = (int)(*p - b);
		}
		if(n == 0 || n >= outlen)
			return -1;
		memcpy(out, b, (size_t)n);
		out[n] = '\0';
		if(**p != '.')
			return 0;
		(*p)++;
	}
}

static int table_index(const char *name)
{
	return strcasecmp(name, tables[0]) == 0	  ? 0
		   : strcasecmp(name, tables[1]) == 0 ? 1
											  : -1;
}

static int line_at(const dump_t *d, const char *p)
{
	const char *q;
	int line = d->st_line;

	for(q = d->st; q < p; q++)
		line += *q == '\n';
	return line;
}

static int fail_at(dump_t *d, const char *p, const char *why)
{
	return vs_err(
			d->err, d->errlen, "%s:%d: %s", d->origin, line_at(d, p), why);
}

static void cols_free(dump_t *d, int t)
{
	int i;

	for(i = 0; i < d->ncols[t]; i++)
		free(d->cols[t][i]);
	d->ncols[t] = 0;
}

static int is_constraint(const char *p)
{
	static const char *const w[] = {"PRIMARY", "KEY", "UNIQUE", "INDEX",
			"CONSTRAINT", "FOREIGN", "FULLTEXT", "SPATIAL", "CHECK", "PERIOD"};
	size_t i;

	for(i = 0; i < sizeof(w) / sizeof(w[0]); i++)
		if(kw(&p, w[i]))
			return 1;
	return 0;
}

/* skip to the ',' or ')' that ends a column definition, at depth 0 */
static const char *def_end(const char *p)
{
	int depth = 0;
	char q;

	for(; *p; p++) {
		if(*p == '\'' || *p == '"' || *p == '`') {
			for(q = *p++; *p && *p != q; p++)
				if(*p == '\\' && q != '`' && p[1])
					p++;
			if(!*p)
				break;
			continue;
		}
		if(*p == '(')
			depth++;
		else if(*p == ')' && depth-- == 0)
			return p;
		else if(*p == ',' && depth == 0)
			return p;
	}
	return p;
}

static int create_table(dump_t *d, const char *p, int t)
{
	char name[128];

	cols_free(d, t);
	sp(&p);
	if(*p++ != '(')
		return fail_at(d, p, "CREATE TABLE: expected '('");
	for(;;) {
		sp(&p);
		if(*p == ')' || *p == '\0')
			return 0;
		if(!is_constraint(p)) {
			if(ident(&p, name, sizeof(name)) < 0)
				return fail_at(d, p, "CREATE TABLE: expected a column name");
			if(d->ncols[t] >= NCOLS_MAX)
				return fail_at(d, p, "CREATE TABLE: too many columns");
			if((d->cols[t][d->ncols[t]] = strdup(name)) == NULL)
				return vs_err(d->err, d->errlen, "out of memory");
			d->ncols[t]++;
		}
		p = def_end(p);
		if(*p == ',')
			p++;
	}
}

/* One SQL literal at *p into out (unescaped), its kind in *kind. */
static int literal(
		dump_t *d, const char **p, char **out, size_t *olen, int *kind)
{
	const char *s = *p;
	size_t n = 0;
	char q, c;

	sp(&s);
	if(strncasecmp(s, "_binary", 7) == 0) {
		s += 7;
		sp(&s);
	}
	if(*s == '\'' || *s == '"') {
		for(q = *s++; *s; s++) {
			c = *s;
			if(c == '\\' && s[1]) {
				s++;
				switch(*s) {
					case '0':
						c = '\0';
						break;
					case 'n':
						c = '\n';
						break;
					case 'r':
						c = '\r';
						break;
					case 't':
						c = '\t';
						break;
					case 'b':
						c = '\b';
						break;
					case 'Z':
						c = '\032';
						break;
					default:
						c = *s;
				}
			} else if(c == q && s[1] == q) {
				s++;
			} else if(c == q) {
				break;
			}
			(*out)[n++] = c;
		}
		if(*s != q)
			return fail_at(d, *p, "unterminated string in VALUES");
		s++;
		/* a one-byte binary value (a BIT(1) column dumped raw) is its number */
		if(n == 1 && (unsigned char)(*out)[0] < 2) {
			(*out)[0] = (char)('0' + (*out)[0]);
			*kind = VG_NUM;
		} else {
			*kind = VG_STR;
		}
	} else if((s[0] == 'b' || s[0] == 'B') && s[1] == '\'') {
		unsigned long v = 0;
		for(s += 2; *s == '0' || *s == '1'; s++)
			v = v * 2 + (unsigned long)(*s - '0');
		if(*s++ != '\'')
			return fail_at(d, *p, "malformed b'...' bit value");
		n = (size_t)sprintf(*out, "%lu", v);
		*kind = VG_NUM;
	} else if(kw(&s, "NULL")) {
		*kind = VG_NULL;
	} else {
		while(*s && *s != ',' && *s != ')' && *s != ' ' && *s != '\n')
			(*out)[n++] = *s++;
		if(n == 0)
			return fail_at(d, *p, "expected a value in VALUES");
		*kind = VG_NUM;
	}
	(*out)[n] = '\0';
	*olen = n;
	*p = s;
	return 0;
}

static int insert(dump_t *d, const char *p, int t, vg_recs_t *out)
{
	char *names[NCOLS_MAX], name[128], *val = NULL;
	int nn = 0, i, kind = VG_NULL, rc = -1;
	size_t vlen = 0;
	vg_rec_t *r;

	sp(&p);
	if(*p == '(') { /* INSERT INTO t (`a`, `b`) VALUES */
		for(p++;;) {
			if(ident(&p, name, sizeof(name)) < 0 || nn >= NCOLS_MAX)
				return fail_at(d, p, "INSERT: expected a column name");
			if((names[nn++] = strdup(name)) == NULL)
				goto out;
			sp(&p);
			if(*p == ',') {
				p++;
				continue;
			}
			if(*p++ == ')')
				break;
			rc = fail_at(
					d, p, "INSERT: expected ',' or ')' in the column list");
			goto out;
		}
	} else if(d->ncols[t] == 0) {
		return fail_at(d, p,
				"INSERT without column names before any CREATE TABLE of the "
				"table: dump it with its CREATE TABLE, or with "
				"mysqldump --complete-insert");
	}
	if(!kw(&p, "VALUES") && !kw(&p, "VALUE")) {
		rc = fail_at(d, p, "INSERT: expected VALUES");
		goto out;
	}
	if((val = malloc(d->len + 32)) == NULL)
		goto out;
	for(;;) {
		sp(&p);
		if(*p != '(') {
			rc = fail_at(d, p, "INSERT: expected '(' starting a row");
			goto out;
		}
		d->rows[t]++;
		r = vg_recs_new(out, "%s:%d, %s row %d", d->origin, line_at(d, p),
				tables[t], d->rows[t]);
		if(r == NULL)
			goto out;
		for(p++, i = 0;; i++) {
			if(literal(d, &p, &val, &vlen, &kind) < 0)
				goto out;
			if(i >= (nn ? nn : d->ncols[t])) {
				rc = fail_at(d, p, "INSERT: more values than columns");
				goto out;
			}
			if(vg_rec_add(r, nn ? names[i] : d->cols[t][i], -1, val, (int)vlen,
					   kind)
					< 0)
				goto out;
			sp(&p);
			if(*p == ',') {
				p++;
				continue;
			}
			if(*p++ == ')')
				break;
			rc = fail_at(d, p, "INSERT: expected ',' or ')' in a row");
			goto out;
		}
		if(i + 1 != (nn ? nn : d->ncols[t])) {
			rc = fail_at(d, p, "INSERT: fewer values than columns");
			goto out;
		}
		sp(&p);
		if(*p == ',') {
			p++;
			continue;
		}
		break;
	}
	rc = 0;
out:
	if(rc < 0 && d->err[0] == '\0')
		vs_err(d->err, d->errlen, "out of memory");
	for(i = 0; i < nn; i++)
		free(names[i]);
	free(val);
	return rc;
}

static int one(dump_t *d, vg_recs_t *routing, vg_recs_t *setting)
{
	const char *p = d->st;
	char name[128];
	int t;

	if(kw(&p, "CREATE")) {
		if(!kw(&p, "TABLE"))
			return 0;
		if(kw(&p, "IF") && !(kw(&p, "NOT") && kw(&p, "EXISTS")))
			return 0;
		if(ident(&p, name, sizeof(name)) < 0 || (t = table_index(name)) < 0)
			return 0;
		d->seen[t] = 1;
		return create_table(d, p, t);
	}
	if(!kw(&p, "INSERT") && !kw(&p, "REPLACE"))
		return 0;
	kw(&p, "IGNORE");
	kw(&p, "INTO");
	if(ident(&p, name, sizeof(name)) < 0 || (t = table_index(name)) < 0)
		return 0;
	d->seen[t] = 1;
	return insert(d, p, t, t == 0 ? routing : setting);
}

int vg_dump_read(FILE *f, const char *origin, vg_recs_t *routing,
		vg_recs_t *setting, int *n_tables, char *err, int errlen)
{
	dump_t d = {
			.f = f, .origin = origin, .line = 1, .err = err, .errlen = errlen};
	int rc;

	err[0] = '\0';
	while((rc = statement(&d)) == 0)
		if(one(&d, routing, setting) < 0) {
			rc = -1;
			break;
		}
	cols_free(&d, 0);
	cols_free(&d, 1);
	free(d.st);
	if(rc < 0)
		return -1;
	if(ferror(f))
		return vs_err(err, errlen, "%s: read error", origin);
	*n_tables = d.seen[0] + d.seen[1];
	if(!d.seen[0])
		return vs_err(err, errlen,
				"%s: no table e_gatewayrouting in the dump (dump it with "
				"mysqldump vos3000 e_gatewayrouting e_gatewayroutingsetting)",
				origin);
	return 0;
}
