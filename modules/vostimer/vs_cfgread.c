/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vs_cfgread: reads a libconfig file for vs_prof.c (see vs_cfgread.h). The file and
 * its includes are read here first, regular files only, and scanned with libconfig
 * 1.5's own lexical rules (scanner.l) for two things libconfig must not meet:
 *  - an @include of anything but a regular file (libconfig would fopen() a FIFO and
 *    block until a writer closes it, or read /dev/zero for ever);
 *  - a string where the grammar takes none (libconfig 1.5's parser has no
 *    %destructor: the string that is the offending token of a syntax error is
 *    never freed, its buffer rounded up to 64 bytes).
 * libconfig then parses the very text that was checked, from memory. When the scan
 * finds a problem, libconfig parses only the text before it, so that an earlier
 * error is still reported first, in libconfig's words. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vs_cfgread.h"
#include "vs_sched.h"

/* Brackets open at once. libconfig's parser stack (10000 entries, 2 a level) ends
 * near 4996 levels with "memory exhausted"; a string shifted at that edge would be
 * lost too, so deeper text is refused here, with libconfig's words. No profile file
 * nests more than 3. */
#define NEST_MAX 4000
#define INCLUDE_NAME_MAX 4096
#define MSG_LEN 512

enum mode
{
	M_CODE = 0,
	M_COMMENT, /* inside slash-star ... star-slash */
	M_STRING,
	M_INCLUDE /* reading the name of @include "name" */
};

/* the tokens that decide whether a string may come next */
enum tok
{
	T_NONE = 0,
	T_EQUALS,	  /* = or : : a value follows */
	T_OPEN_SEQ,	  /* [ or ( : a value or nothing follows */
	T_OPEN_GROUP, /* { : settings follow */
	T_COMMA,
	T_STRING,
	T_OTHER /* names, numbers, booleans, closing brackets, ;, garbage */
};

/* one file's text while it is scanned */
typedef struct text
{
	/* as libconfig names it: the path, or the include's name */
	const char *file;
	const char *p;
	size_t n, i;
	int line;
	int bol; /* at the start of a line (flex's ^) */
	int top; /* the file given to vs_cfgread, not an included one */
} text_t;

typedef struct scan
{
	const char *dir; /* the include dir, NULL: none */
	size_t budget;	 /* bytes that may still be read */
	enum mode mode;
	enum tok prev;
	int depth; /* includes open */
	size_t str_at; /* where the current string starts, as an offset in the top file */
	size_t inc_at; /* where the current top-level @include line starts */
	size_t cut;	   /* a problem: libconfig reads the top file up to here */
	char msg[MSG_LEN];
	size_t name_len; /* > INCLUDE_NAME_MAX: too long */
	int name_nul;
	char name[INCLUDE_NAME_MAX + 1];
	int nest;
	char open[NEST_MAX]; /* the brackets open: [ ( { */
} scan_t;

static const char *file_kind(mode_t m)
{
	if(S_ISFIFO(m))
		return "not a regular file (a FIFO)";
	if(S_ISCHR(m))
		return "not a regular file (a character device)";
	if(S_ISBLK(m))
		return "not a regular file (a block device)";
	if(S_ISSOCK(m))
		return "not a regular file (a socket)";
	return "not a regular file";
}

/* The whole of a regular file, at most max bytes, into a malloc()ed buffer. Opened
 * without blocking: a FIFO is seen for what it is by fstat(), never read. -1 and why,
 * or -2 when the file holds more than max bytes. */
static int read_regular(const char *path, size_t max, char **out, size_t *len,
		char *why, int whylen)
{
	struct stat st;
	size_t cap, n = 0;
	ssize_t r;
	char *buf, *more;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);

	if(fd < 0)
		return vs_err(why, whylen, "%s", strerror(errno));
	if(fstat(fd, &st) < 0) {
		vs_err(why, whylen, "%s", strerror(errno));
		close(fd);
		return -1;
	}
	if(!S_ISREG(st.st_mode)) {
		close(fd);
		if(S_ISDIR(st.st_mode))
			return vs_err(why, whylen, "%s", strerror(EISDIR));
		return vs_err(why, whylen, "%s", file_kind(st.st_mode));
	}
	if((unsigned long long)st.st_size > max) {
		close(fd);
		return -2;
	}
	cap = (size_t)st.st_size + 1;
	if((buf = malloc(cap)) == NULL) {
		close(fd);
		return vs_err(why, whylen, "out of memory");
	}
	for(;;) {
		if(n == cap) { /* the file grew while read */
			if(cap > max
					|| (more = realloc(buf, cap > max / 2 ? max + 1 : cap * 2))
							   == NULL) {
				free(buf);
				close(fd);
				return -2;
			}
			buf = more;
			cap = cap > max / 2 ? max + 1 : cap * 2;
		}
		r = read(fd, buf + n, cap - n);
		if(r < 0 && errno == EINTR)
			continue;
		if(r <= 0)
			break;
		n += (size_t)r;
	}
	if(r < 0) {
		vs_err(why, whylen, "%s", strerror(errno));
		free(buf);
		close(fd);
		return -1;
	}
	close(fd);
	if(n > max) {
		free(buf);
		return -2;
	}
	*out = buf;
	*len = n;
	return 0;
}

/* A problem at this line of t; libconfig is to stop at cut (a top-file offset). */
static int problem(
		scan_t *sc, const text_t *t, size_t cut, const char *fmt, ...)
{
	va_list ap;
	int n;

	sc->cut = cut;
	n = snprintf(sc->msg, sizeof(sc->msg), "%s:%d: ", t->file, t->line);
	if(n < 0 || n >= (int)sizeof(sc->msg))
		return -1;
	va_start(ap, fmt);
	vsnprintf(sc->msg + n, sizeof(sc->msg) - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

/* offset i of t as a place in the top file: itself, or the include line that led here */
static size_t top_at(const scan_t *sc, const text_t *t, size_t i)
{
	return t->top ? i : sc->inc_at;
}

static void take(text_t *t, size_t k)
{
	for(; k > 0 && t->i < t->n; k--) {
		t->bol = t->p[t->i] == '\n';
		t->line += t->bol;
		t->i++;
	}
}

static int at(const text_t *t, size_t k, char c)
{
	return t->i + k < t->n && t->p[t->i + k] == c;
}

/* flex's include_open: ^[ \t]*@include[ \t]+\" ; its length, or 0 */
static size_t include_open(const text_t *t)
{
	size_t i = t->i;

	while(i < t->n && (t->p[i] == ' ' || t->p[i] == '\t'))
		i++;
	if(t->n - i < 9 || memcmp(t->p + i, "@include", 8) != 0
			|| (t->p[i + 8] != ' ' && t->p[i + 8] != '\t'))
		return 0;
	for(i += 8; i < t->n && (t->p[i] == ' ' || t->p[i] == '\t'); i++)
		;
	return (i < t->n && t->p[i] == '"') ? i + 1 - t->i : 0;
}

/* libconfig's grammar takes a string as a value (after = or :), as an element
 * (after [ or (, or after a comma inside them) and after a string (concatenation) */
static int string_fits(const scan_t *sc)
{
	char top = sc->nest > 0 ? sc->open[sc->nest - 1] : 0;

	switch(sc->prev) {
		case T_EQUALS:
		case T_OPEN_SEQ:
		case T_STRING:
			return 1;
		case T_COMMA:
			return top == '[' || top == '(';
		default:
			return 0;
	}
}

static int scan_text(scan_t *sc, text_t *t);

/* the closing quote of @include "name" */
static int include_file(scan_t *sc, text_t *t)
{
	char why[VS_ERRLEN], *path, *body;
	const char *name = sc->name;
	size_t len;
	text_t child;
	int r;

	sc->name[sc->name_len <= INCLUDE_NAME_MAX ? sc->name_len : 0] = '\0';
	if(sc->depth >= VS_CFGREAD_INCLUDE_DEPTH)
		return problem(sc, t, top_at(sc, t, sc->inc_at),
				"include file nesting too deep");
	if(sc->name_len > INCLUDE_NAME_MAX || sc->name_nul)
		return problem(sc, t, top_at(sc, t, sc->inc_at),
				"cannot open include file: %s",
				sc->name_nul ? "a NUL byte in its name" : "name too long");
	if(sc->dir == NULL)
		path = strdup(name);
	else if((path = malloc(strlen(sc->dir) + strlen(name) + 2)) != NULL)
		sprintf(path, "%s/%s", sc->dir, name); /* as libconfig joins them */
	if(path == NULL)
		return problem(sc, t, top_at(sc, t, sc->inc_at), "out of memory");
	r = read_regular(path, sc->budget, &body, &len, why, sizeof(why));
	free(path);
	if(r == -2)
		return problem(sc, t, top_at(sc, t, sc->inc_at),
				"include file \"%.200s\": more than %u MiB of text in all",
				name, VS_CFGREAD_MAX >> 20);
	if(r < 0)
		return problem(sc, t, top_at(sc, t, sc->inc_at),
				"cannot open include file \"%.200s\": %s", name, why);
	sc->budget -= len;
	child = (text_t){.file = name, .p = body, .n = len, .line = 1, .bol = 1};
	/* the child names itself by its include name: keep a copy, sc->name is reused */
	if((child.file = strdup(name)) == NULL) {
		free(body);
		return problem(sc, t, top_at(sc, t, sc->inc_at), "out of memory");
	}
	sc->depth++;
	sc->mode = M_CODE;
	r = scan_text(sc, &child);
	sc->depth--;
	free((char *)child.file);
	free(body);
	return r;
}

static int in_include(scan_t *sc, text_t *t)
{
	char c = t->p[t->i];

	if(c == '"') {
		take(t, 1);
		sc->mode = M_CODE;
		return include_file(sc, t);
	}
	if(c == '\\') {
		/* \\ and \" are escapes; any other backslash is dropped (flex's ECHO) */
		take(t, 1);
		if(!at(t, 0, '\\') && !at(t, 0, '"'))
			return 0;
		c = t->p[t->i];
	}
	if(c == '\0')
		sc->name_nul = 1;
	if(sc->name_len < INCLUDE_NAME_MAX)
		sc->name[sc->name_len] = c;
	if(sc->name_len <= INCLUDE_NAME_MAX)
		sc->name_len++;
	take(t, 1);
	return 0;
}

static int in_string(scan_t *sc, text_t *t)
{
	if(at(t, 0, '\\')) {
		take(t, 2);
		return 0;
	}
	if(!at(t, 0, '"')) {
		take(t, 1);
		return 0;
	}
	if(!string_fits(sc))
		return problem(sc, t, sc->str_at, "syntax error");
	take(t, 1);
	sc->mode = M_CODE;
	sc->prev = T_STRING;
	return 0;
}

static int in_comment(scan_t *sc, text_t *t)
{
	if(at(t, 0, '*') && at(t, 1, '/')) {
		take(t, 2);
		sc->mode = M_CODE;
	} else
		take(t, 1);
	return 0;
}

static int in_code(scan_t *sc, text_t *t)
{
	char c = t->p[t->i];
	size_t k;

	if(t->bol && (k = include_open(t)) > 0) {
		if(t->top)
			sc->inc_at = t->i;
		take(t, k);
		sc->mode = M_INCLUDE;
		sc->name_len = 0;
		sc->name_nul = 0;
		return 0;
	}
	switch(c) {
		case '"':
			sc->str_at = top_at(sc, t, t->i);
			sc->mode = M_STRING;
			take(t, 1);
			return 0;
		case '/':
			if(at(t, 1, '*')) {
				take(t, 2);
				sc->mode = M_COMMENT;
				return 0;
			}
			if(!at(t, 1, '/'))
				break;
			/* fall through: // comment */
		case '#':
			while(t->i < t->n && t->p[t->i] != '\n')
				take(t, 1);
			return 0;
		case ' ':
		case '\t':
		case '\r':
		case '\f':
		case '\n':
			take(t, 1);
			return 0;
		case '=':
		case ':':
			sc->prev = T_EQUALS;
			take(t, 1);
			return 0;
		case ',':
			sc->prev = T_COMMA;
			take(t, 1);
			return 0;
		case '[':
		case '(':
		case '{':
			if(sc->nest == NEST_MAX)
				return problem(sc, t, top_at(sc, t, t->i), "memory exhausted");
			sc->open[sc->nest++] = c;
			sc->prev = c == '{' ? T_OPEN_GROUP : T_OPEN_SEQ;
			take(t, 1);
			return 0;
		case ']':
		case ')':
		case '}':
			if(sc->nest > 0)
				sc->nest--;
			break;
	}
	sc->prev = T_OTHER;
	take(t, 1);
	return 0;
}

/* flex's buffers: the mode carries on from an included file into the includer */
static int scan_text(scan_t *sc, text_t *t)
{
	int r;

	while(t->i < t->n) {
		switch(sc->mode) {
			case M_COMMENT:
				r = in_comment(sc, t);
				break;
			case M_STRING:
				r = in_string(sc, t);
				break;
			case M_INCLUDE:
				r = in_include(sc, t);
				break;
			default:
				r = in_code(sc, t);
		}
		if(r < 0)
			return -1;
	}
	return 0;
}

/* libconfig on text[0..n); 0, or -1 and libconfig's "file:line: reason" */
static int parse(config_t *cf, const char *path, const char *text, size_t n,
		char *err, int errlen)
{
	FILE *f;
	int ok;

	if(n == 0)
		ok = config_read_string(cf, "");
	else if((f = fmemopen((void *)text, n, "r")) == NULL)
		return vs_err(
				err, errlen, "%s: cannot read: %s", path, strerror(errno));
	else {
		ok = config_read(cf, f);
		fclose(f);
	}
	if(ok)
		return 0;
	return vs_err(err, errlen, "%s:%d: %s",
			config_error_file(cf) != NULL ? config_error_file(cf) : path,
			config_error_line(cf), config_error_text(cf));
}

static int lines_before(const char *text, size_t n)
{
	int line = 1;

	while(n-- > 0)
		line += *text++ == '\n';
	return line;
}

/* The scan found a problem. libconfig reads the text before it: an error there (other
 * than running into the cut) is the file's first error; else the problem is. */
static int refuse(config_t *cf, const scan_t *sc, const char *path,
		const char *text, char *err, int errlen)
{
	if(sc->cut > 0 && parse(cf, path, text, sc->cut, err, errlen) < 0
			&& (config_error_file(cf) != NULL
					|| config_error_line(cf) < lines_before(text, sc->cut)
					|| strcmp(config_error_text(cf), "syntax error") != 0))
		return -1;
	return vs_err(err, errlen, "%s", sc->msg);
}

int vs_cfgread(config_t *cf, const char *path, char *err, int errlen)
{
	const char *slash = strrchr(path, '/');
	char why[VS_ERRLEN], *text = NULL, *dir = NULL;
	size_t len;
	scan_t *sc;
	text_t top;
	int r;

	r = read_regular(path, VS_CFGREAD_MAX, &text, &len, why, sizeof(why));
	if(r == -2)
		return vs_err(err, errlen, "%s: larger than %u MiB", path,
				VS_CFGREAD_MAX >> 20);
	if(r < 0)
		return vs_err(err, errlen, "%s: cannot read: %s", path, why);
	/* @include "x" is looked up next to the file */
	if(slash != NULL
			&& (dir = strndup(path, (size_t)(slash - path) + 1)) != NULL)
		config_set_include_dir(cf, dir);
	sc = calloc(1, sizeof(*sc));
	if(sc == NULL) {
		free(dir);
		free(text);
		return vs_err(err, errlen, "%s: out of memory", path);
	}
	sc->dir = config_get_include_dir(cf);
	sc->budget = VS_CFGREAD_MAX - len;
	top = (text_t){
			.file = path, .p = text, .n = len, .line = 1, .bol = 1, .top = 1};
	if(scan_text(sc, &top) < 0)
		r = refuse(cf, sc, path, text, err, errlen);
	else
		r = parse(cf, path, text, len, err, errlen);
	free(sc);
	free(dir);
	free(text);
	return r;
}
