/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vs_import: the VOS3000 parameter export reader - lines and rows as operators paste
 * them, the SS_* parameters that map onto profile keys, the reasons for those that do
 * not, and the warnings about the values that result (the checks are vs_warn's,
 * worded here with the VOS3000 parameter names). Pure C: no Kamailio header. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "vs_import.h"
#include "vs_policy.h"
#include "vs_warn.h"

#define QUOTE_MAX 40 /* a value is quoted in a message up to this many bytes */

enum kind
{
	K_SCHED,
	K_RETRY,
	K_SECONDS,
	K_RULE /* a gateway-switch rule: vs_rule_parse() */
};

/* The parameters that become profile keys. */
static const struct mapped
{
	const char *name;
	int key;
	enum kind kind;
} mapped[] = {
		{"SS_SIP_RESEND_INTERVAL", VS_K_RESEND, K_SCHED},
		{"SS_SIP_SEND_RETRY", VS_K_RETRY, K_RETRY},
		{"SS_SIP_TIMEOUT_INVITE", VS_K_T_INVITE, K_SECONDS},
		{"SS_SIP_TIMEOUT_TRYING", VS_K_T_TRYING, K_SECONDS},
		{"SS_SIP_TIMEOUT_SESSION_PROGRESS", VS_K_T_SP, K_SECONDS},
		{"SS_SIP_TIMEOUT_SESSION_PROGRESS_SDP", VS_K_T_SP_SDP, K_SECONDS},
		{"SS_SIP_TIMEOUT_RINGING", VS_K_T_RINGING, K_SECONDS},
		{"SS_GATEWAY_SWITCH_LIMIT", VS_K_SW_LIMIT, K_RULE},
		{"SS_GATEWAY_SWITCH_STOP_AFTER_USER_BUSY", VS_K_SW_BUSY, K_RULE},
		{"SS_GATEWAY_SWITCH_UNTIL_CONNECT", VS_K_SW_CONNECT, K_RULE},
		{"SS_SIP_STOP_SWITCH_AFTER_SDP", VS_K_SW_SDP, K_RULE},
};
#define N_MAPPED ((int)(sizeof(mapped) / sizeof(mapped[0])))

/* Why a parameter is not mapped: by exact name first, then by a piece of the name;
 * the last piece ("SS_") catches everything else. */
#define R_UAC "not mapped: outbound registration belongs to the uac module"
#define R_REG "not mapped: registration expiry is the registrar module's"
#define R_NAT "not mapped: NAT keep-alive is the nathelper/keepalive modules'"
#define R_SST \
	"not mapped: session timers belong to the dialog/session_timer modules"
#define R_ID "not mapped: caller identity headers are set in the routing script"
#define R_PRACK "not mapped: 100rel/PRACK passes end to end through the proxy"

typedef struct reason
{
	const char *match;
	const char *why;
} reason_t;

static const reason_t exact[] = {
		{"SS_SIP_USER_AGENT_STOP_SWITCH_AFTER_INVITE_TIMEOUT",
				"not mapped: failing over after an invite_timeout is the "
				"script's choice in failure_route ($vos(reason))"},
		{"SS_GATEWAY_SWITCH_STOP_AFTER_RTP_START",
				"not mapped: Kamailio does not see the media; "
				"stop_switch_after_sdp is the nearest rule"},
		{"SS_SIP_PUBLISH_EXPIRE",
				"not mapped: PUBLISH expiry belongs to the presence modules"},
};

static const reason_t piece[] = {
		{"USER_AGENT_EXPIRE", R_UAC},
		{"USER_AGENT_RETRY", R_UAC},
		{"REGISTER", R_REG},
		{"KEEP_ALIVE", R_NAT},
		{"KEEPALIVE", R_NAT},
		{"SESSION", R_SST},
		{"TIMER", R_SST},
		{"AUTH", "not mapped: authentication is the auth modules' job"},
		{"PRIVACY", R_ID},
		{"DISPLAY", R_ID},
		{"PRACK", R_PRACK},
		{"100REL", R_PRACK},
		{"CONTACT", "not mapped: Contact handling is the script's and "
					"nathelper's job"},
		{"SS_SIP_", "not mapped: not a call-setup timing parameter"},
		{"SS_GATEWAY_SWITCH_", "not mapped: a gateway-switch rule vostimer "
							   "does not implement"},
		{"SS_", "ignored: not a SIP timing or gateway-switch parameter"},
};

/* One parameter row as split from a line. */
typedef struct row
{
	const char *name;
	int nlen;
	const char *val; /* NULL: no value at all */
	int vlen;
	const char *bad; /* the value is malformed: why (unterminated quote, ...) */
} row_t;

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static int is_name_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
		   || (c >= '0' && c <= '9') || c == '_';
}

/* Copy p[0..n) into out (size outlen), cut with "..." on a UTF-8 boundary, tabs as
 * spaces and quotes as '\'' so the copy can sit inside "..." in a message. */
static const char *excerpt(const char *p, int n, char *out, int outlen)
{
	int i, m = n, cut = 0;

	if(m > outlen - 1) {
		m = outlen - 4;
		while(m > 0 && ((unsigned char)p[m] & 0xC0) == 0x80)
			m--;
		cut = 1;
	}
	for(i = 0; i < m; i++)
		out[i] = p[i] == '\t' ? ' ' : (p[i] == '"' ? '\'' : p[i]);
	if(cut) {
		memcpy(out + m, "...", 3);
		m += 3;
	}
	out[m] = '\0';
	return out;
}

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 when invalid. */
static int utf8_seq(const unsigned char *s, size_t n)
{
	unsigned cp, min, c = s[0];
	size_t need, i;

	if(c >= 0xC2 && c <= 0xDF) {
		need = 1, cp = c & 0x1F, min = 0x80;
	} else if((c & 0xF0) == 0xE0) {
		need = 2, cp = c & 0x0F, min = 0x800;
	} else if(c >= 0xF0 && c <= 0xF4) {
		need = 3, cp = c & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if(n < need + 1)
		return 0;
	for(i = 1; i <= need; i++) {
		if((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if(cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return (int)need + 1;
}

/* The 1-based column, in characters, of byte i of the line that starts at pos. */
static size_t char_col(const unsigned char *s, size_t pos, size_t i)
{
	size_t col = 1;

	for(; pos < i; pos++)
		col += (s[pos] & 0xC0) != 0x80;
	return col;
}

/* Find the end of the line starting at buf[pos], checking it is text on the way:
 * no NUL or control byte, valid UTF-8, at most VS_IMP_LINE_MAX bytes. */
static int scan_line(const char *buf, size_t len, size_t pos, size_t *end,
		const char *origin, int line, char *err, int errlen)
{
	const unsigned char *s = (const unsigned char *)buf;
	size_t i = pos;
	int k;

	while(i < len && s[i] != '\n' && s[i] != '\r') {
		if(i - pos >= VS_IMP_LINE_MAX)
			return vs_err(err, errlen,
					"%s:%d: line longer than %d bytes: not a VOS3000 "
					"parameter export",
					origin, line, VS_IMP_LINE_MAX);
		if(s[i] == 0)
			return vs_err(err, errlen,
					"%s:%d: NUL byte at column %zu: binary data, not a text "
					"export",
					origin, line, char_col(s, pos, i));
		if((s[i] < 0x20 && s[i] != '\t') || s[i] == 0x7f)
			return vs_err(err, errlen,
					"%s:%d: control byte 0x%02x at column %zu: binary data, "
					"not a text export",
					origin, line, s[i], char_col(s, pos, i));
		if(s[i] < 0x80) {
			i++;
			continue;
		}
		if((k = utf8_seq(s + i, len - i)) == 0)
			return vs_err(err, errlen,
					"%s:%d: byte 0x%02x at column %zu is not UTF-8: save the "
					"export as UTF-8 text (e.g. iconv -f GBK -t UTF-8)",
					origin, line, s[i], char_col(s, pos, i));
		i += (size_t)k;
	}
	*end = i;
	return 0;
}

/* A value that starts with a quote: up to the matching quote. */
static int quoted_value(const char *s, int n, int k, row_t *r)
{
	const char *q = memchr(s + k + 1, s[k], (size_t)(n - k - 1));

	r->val = s + k + 1;
	if(q == NULL) {
		r->vlen = n - k - 1;
		r->bad = "unterminated quote";
		return n;
	}
	r->vlen = (int)(q - r->val);
	return (int)(q - s) + 1;
}

static int is_comment_at(const char *s, int n, int i)
{
	return s[i] == '#' || s[i] == ';'
		   || (s[i] == '/' && i + 1 < n && s[i + 1] == '/');
}

/* Where a trailing comment starts in s[k..n): a '#', ';' or "//" at k or after a
 * blank ("a#b" stays a value). n when there is none. */
static int comment_start(const char *s, int n, int k)
{
	int e;

	for(e = k; e < n; e++)
		if(is_comment_at(s, n, e) && (e == k || is_blank(s[e - 1])))
			break;
	return e;
}

/* NAME = VALUE [# comment]: the value is the rest of the line, trimmed. */
static void eq_value(const char *s, int n, int k, row_t *r)
{
	int e;

	while(k < n && is_blank(s[k]))
		k++;
	if(k < n && (s[k] == '"' || s[k] == '\'')) {
		k = quoted_value(s, n, k, r);
		while(k < n && is_blank(s[k]))
			k++;
		if(k < n && !is_comment_at(s, n, k) && r->bad == NULL)
			r->bad = "text after the quoted value";
		return;
	}
	e = comment_start(s, n, k);
	while(e > k && is_blank(s[e - 1]))
		e--;
	r->val = s + k;
	r->vlen = e - k;
}

/* Whether the blank at s[e] sits next to a comma ("0.5, 1" or "0.5 ,1"). */
static int comma_joins(const char *s, int n, int e)
{
	int b = e, f = e;

	while(b > 0 && is_blank(s[b - 1]))
		b--;
	while(f < n && is_blank(s[f]))
		f++;
	return (b > 0 && s[b - 1] == ',') || (f < n && s[f] == ',');
}

/* NAME<tab>VALUE<tab>default<tab>description, or the same with spaces: the value is
 * the next column. With spaces, "0.5, 1, 2" stays one value (commas join). */
static void col_value(const char *s, int n, int k, int tabbed, row_t *r)
{
	int e;

	if(k < n && (s[k] == '"' || s[k] == '\'')) {
		quoted_value(s, n, k, r);
		return;
	}
	for(e = k; e < n; e++) {
		if(tabbed ? s[e] == '\t' : is_blank(s[e]) && !comma_joins(s, n, e))
			break;
	}
	while(e > k && is_blank(s[e - 1]))
		e--;
	r->val = s + k;
	r->vlen = e - k;
}

static int all_digits(const char *p, int n)
{
	while(n > 0 && *p >= '0' && *p <= '9')
		p++, n--;
	return n == 0;
}

static void add_warn(vs_import_report_t *rep, const char *fmt, ...);

/* One CSV field at s[*k]: quoted (a doubled quote inside is one quote) or up to the
 * separator, blanks around it dropped. A quoted field is unescaped in place. *k ends
 * past the separator. Returns 0, or -1 for an unterminated quote. */
static int csv_field(char *s, int n, int *k, char sep, char **f, int *flen)
{
	int i = *k, o;

	while(i < n && is_blank(s[i]))
		i++;
	if(i < n && s[i] == '"') {
		*f = s + i + 1;
		for(i++, o = i; i < n; i++) {
			if(s[i] == '"' && i + 1 < n && s[i + 1] == '"')
				s[o++] = s[i++];
			else if(s[i] == '"')
				break;
			else
				s[o++] = s[i];
		}
		if(i == n)
			return -1;
		*flen = (int)(s + o - *f);
		for(i++; i < n && s[i] != sep; i++)
			;
	} else {
		*f = s + i;
		for(; i < n && s[i] != sep; i++)
			;
		*flen = (int)(s + i - *f);
		while(*flen > 0 && is_blank((*f)[*flen - 1]))
			(*flen)--;
	}
	*k = i < n ? i + 1 : n;
	return 0;
}

/* A CSV row, as a spreadsheet saves the pasted table: [row number,] name, value,
 * default, description. 1 when it is one (r filled), 2 when not a parameter. */
static int split_csv(char *s, int n, int i, char sep, row_t *r)
{
	char *f;
	int len, j;

	if(csv_field(s, n, &i, sep, &f, &len) < 0)
		return 2;
	if(len > 0 && all_digits(f, len) && csv_field(s, n, &i, sep, &f, &len) < 0)
		return 2;
	for(j = 0; j < len && is_name_char(f[j]); j++)
		;
	if(len < 4 || j < len || strncasecmp(f, "SS_", 3) != 0)
		return 2;
	r->name = f;
	r->nlen = len;
	if(i >= n)
		return 1; /* no value column, or an empty one at the end */
	if(csv_field(s, n, &i, sep, &f, &len) < 0) {
		r->val = f;
		r->vlen = (int)(s + n - f);
		r->bad = "unterminated quote";
		return 1;
	}
	r->val = len > 0 ? f : NULL;
	r->vlen = len;
	return 1;
}

/* The separator when s[i..n) starts as a CSV row ("SS_X,8,...", "1,SS_X,...",
 * "\"SS_X\",\"8\""), else 0. */
static char csv_sep(const char *s, int n, int i)
{
	int j;

	if(i < n && s[i] == '"')
		return memchr(s + i, ';', (size_t)(n - i)) != NULL
							   && memchr(s + i, ',', (size_t)(n - i)) == NULL
					   ? ';'
					   : ',';
	for(j = i; j < n && is_name_char(s[j]); j++)
		;
	return (j > i && j < n && (s[j] == ',' || s[j] == ';')) ? s[j] : 0;
}

/* Split one line. 1: a parameter row in r; 0: blank or comment; 2: other text. */
static int split_row(char *s, int n, row_t *r)
{
	int i = 0, j, k, tabs = 0;
	char sep;

	memset(r, 0, sizeof(*r));
	while(i < n && is_blank(s[i]))
		i++;
	if(i == n || is_comment_at(s, n, i)
			|| (s[i] == '-' && i + 1 < n && s[i + 1] == '-'))
		return 0;
	/* softswitch.conf is a shell file: "export SS_X=..." is the same line */
	if(n - i > 7 && strncmp(s + i, "export", 6) == 0 && is_blank(s[i + 6]))
		for(i += 7; i < n && is_blank(s[i]); i++)
			;
	if((sep = csv_sep(s, n, i)) != 0)
		return split_csv(s, n, i, sep, r);
	for(j = i; j < n && is_name_char(s[j]); j++)
		;
	/* a leading row number column, as some table copies have */
	if(j > i && j < n && is_blank(s[j]) && all_digits(s + i, j - i)) {
		for(k = j; k < n && is_blank(s[k]); k++)
			;
		for(i = k, j = k; j < n && is_name_char(s[j]); j++)
			;
	}
	if(j - i < 4 || strncasecmp(s + i, "SS_", 3) != 0)
		return 2;
	if(j < n && !is_blank(s[j]) && s[j] != '=' && s[j] != ':')
		return 2;
	r->name = s + i;
	r->nlen = j - i;
	for(k = j; k < n && is_blank(s[k]); k++)
		tabs += s[k] == '\t';
	if(k < n && (s[k] == '=' || s[k] == ':'))
		eq_value(s, n, k + 1, r);
	else if(tabs >= 2)
		r->val = NULL; /* an empty value column */
	else if(k < n)
		col_value(s, n, k, tabs > 0, r);
	if(r->val != NULL && r->vlen == 0 && r->bad == NULL)
		r->val = NULL;
	return 1;
}

/* ---- full-width forms, as a Chinese input method types them ---- */

/* A character normalized to ASCII: where it now is, where it was, what it was. */
typedef struct fw
{
	int at;		 /* byte offset in the normalized line */
	int col;	 /* 1-based column, in characters, in the line as written */
	unsigned cp; /* the code point as written */
} fw_t;

#define FW_MAX 8 /* recorded per line; the rest counted */

typedef struct norm
{
	int n; /* normalized characters on the line */
	fw_t fw[FW_MAX];
} norm_t;

/* Copy line in[0..n) to out, the full-width forms U+FF01..U+FF5E as their ASCII
 * twins ('，' -> ',', '８' -> '8') and the ideographic space U+3000 as a space.
 * The line is valid UTF-8 (scan_line). Returns the length of out (<= n). */
static int normalize(const char *in, int n, char *out, norm_t *nm)
{
	const unsigned char *s = (const unsigned char *)in;
	int i = 0, o = 0, col = 1;
	unsigned cp;

	nm->n = 0;
	while(i < n) {
		if(s[i] == 0xE3 || s[i] == 0xEF) {
			cp = ((s[i] & 0x0Fu) << 12) | ((s[i + 1] & 0x3Fu) << 6)
				 | (s[i + 2] & 0x3Fu);
			if((cp >= 0xFF01 && cp <= 0xFF5E) || cp == 0x3000) {
				if(nm->n < FW_MAX)
					nm->fw[nm->n] = (fw_t){o, col, cp};
				nm->n++;
				out[o++] = cp == 0x3000 ? ' ' : (char)(cp - 0xFEE0);
				i += 3, col++;
				continue;
			}
		}
		do
			out[o++] = in[i++];
		while(i < n && (s[i] & 0xC0) == 0x80);
		col++;
	}
	return o;
}

/* The full-width characters that fell in the name or the value of row r: one
 * warning for the line, naming the first. */
static void fw_warn(vs_import_report_t *rep, const char *lb, const row_t *r,
		const norm_t *nm, int line)
{
	const fw_t *first = NULL;
	char ch[4], more[48];
	int i, hit = 0, at;

	for(i = 0; i < nm->n && i < FW_MAX; i++) {
		at = nm->fw[i].at;
		if((at >= r->name - lb && at < r->name - lb + r->nlen)
				|| (r->val != NULL && at >= r->val - lb
						&& at < r->val - lb + r->vlen)) {
			first = first ? first : &nm->fw[i];
			hit++;
		}
	}
	if(first == NULL)
		return;
	ch[0] = (char)(0xE0 | (first->cp >> 12));
	ch[1] = (char)(0x80 | ((first->cp >> 6) & 0x3F));
	ch[2] = (char)(0x80 | (first->cp & 0x3F));
	ch[3] = '\0';
	more[0] = '\0';
	if(hit > 1)
		snprintf(more, sizeof(more), ", and %d more on the line", hit - 1);
	add_warn(rep,
			"line %d: full-width '%s' (U+%04X) at column %d read as '%c'%s",
			line, ch, first->cp, first->col, lb[first->at], more);
}

static int find_mapped(const char *name)
{
	int i;

	for(i = 0; i < N_MAPPED; i++)
		if(strcmp(mapped[i].name, name) == 0)
			return i;
	return -1;
}

static const char *unmapped_reason(const char *name)
{
	size_t i;

	for(i = 0; i < sizeof(exact) / sizeof(exact[0]); i++)
		if(strcmp(exact[i].match, name) == 0)
			return exact[i].why;
	for(i = 0; i < sizeof(piece) / sizeof(piece[0]); i++)
		if(strstr(name, piece[i].match) != NULL)
			return piece[i].why;
	return piece[sizeof(piece) / sizeof(piece[0]) - 1].why;
}

static void add_warn(vs_import_report_t *rep, const char *fmt, ...)
{
	va_list ap;

	if(rep == NULL)
		return;
	if(rep->n_warn >= VS_IMP_MAX_WARN) {
		rep->n_warn_more++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(rep->warn[rep->n_warn++], VS_IMP_WARNLEN, fmt, ap);
	va_end(ap);
}

static int parse_int(
		const char *p, int n, int max, int *out, char *why, int whylen)
{
	long x = 0;
	int i;

	for(i = 0; i < n; i++) {
		if(p[i] < '0' || p[i] > '9')
			return vs_err(why, whylen, "not a whole number");
		if((x = x * 10 + (p[i] - '0')) > max)
			return vs_err(why, whylen, "above %d", max);
	}
	*out = (int)x;
	return 0;
}

/* Store a mapped value into v. On error, why says what is wrong with it. */
static int set_value(const struct mapped *m, const char *p, int n,
		vs_values_t *v, char *why, int whylen)
{
	switch(m->kind) {
		case K_SCHED:
			return vs_sched_parse(p, n, &v->sched, why, whylen);
		case K_RETRY:
			return parse_int(p, n, VS_RETRY_MAX, &v->send_retry, why, whylen);
		case K_SECONDS:
			return vs_seconds_parse(p, n, VS_SECONDS_MAX_MS,
					vs_value_ptr(v, m->key), why, whylen);
		case K_RULE:
			return vs_rule_parse(
					m->key, p, n, vs_value_ptr(v, m->key), why, whylen);
	}
	return vs_err(why, whylen, "unknown kind");
}

/* the reason a stage timeout gives when it fires */
static const char *stage_reason(int key)
{
	switch(key) {
		case VS_K_T_INVITE:
			return "invite_timeout";
		case VS_K_T_TRYING:
			return "trying_timeout";
		case VS_K_T_SP:
			return "session_progress_timeout";
		case VS_K_T_SP_SDP:
			return "session_progress_sdp_timeout";
	}
	return "ringing_timeout";
}

/* What a key's value means, in a few words, for the report. */
static void explain(const vs_values_t *v, int key, char *buf, int len)
{
	char t[16], list[128];
	unsigned int ms;
	int k, o = 0;

	switch(key) {
		case VS_K_RESEND:
			for(k = 0; k < v->sched.n && o < (int)sizeof(list) - 12; k++) {
				vs_seconds_format(vs_sched_at(&v->sched, k), t, sizeof(t));
				o += snprintf(list + o, sizeof(list) - (size_t)o, "%s%s",
						k ? ", " : "", t);
			}
			vs_seconds_format(vs_sched_giveup(&v->sched), t, sizeof(t));
			snprintf(buf, (size_t)len, "sends at %s s; gives up at %s s", list,
					t);
			return;
		case VS_K_RETRY:
			snprintf(buf, (size_t)len,
					"at most %d retransmission%s after the "
					"first send",
					v->send_retry, v->send_retry == 1 ? "" : "s");
			return;
		case VS_K_T_INVITE:
		case VS_K_T_TRYING:
		case VS_K_T_SP:
		case VS_K_T_SP_SDP:
		case VS_K_T_RINGING:
			ms = *(const unsigned int *)vs_value_cptr(v, key);
			vs_seconds_format(ms, t, sizeof(t));
			if(ms == 0)
				snprintf(buf, (size_t)len,
						"0: not limited by vostimer, tm's own timers apply");
			else
				snprintf(buf, (size_t)len, "%s after %s s", stage_reason(key),
						t);
			return;
		case VS_K_SW_LIMIT:
			if(v->sw_limit == 0)
				snprintf(buf, (size_t)len, "no cap on gateways per call");
			else
				snprintf(buf, (size_t)len, "at most %d gateway%s per call",
						v->sw_limit, v->sw_limit == 1 ? "" : "s");
			return;
		case VS_K_SW_BUSY:
			snprintf(buf, (size_t)len, "%s",
					v->sw_stop_busy ? "a busy reply ends the call"
									: "a busy reply may fail over");
			return;
		case VS_K_SW_CONNECT:
			snprintf(buf, (size_t)len, "%s",
					v->sw_until_connect
							? "may switch gateway after ringing, until answer"
							: "no switch once ringing was reached");
			return;
		default:
			snprintf(buf, (size_t)len, "%s",
					v->sw_stop_sdp
							? "no switch once early media reached the caller"
							: "may switch after early media");
	}
}

static vs_import_item_t *add_item(
		vs_import_report_t *rep, const row_t *r, const char *name, int line)
{
	vs_import_item_t *it;

	if(rep == NULL)
		return NULL;
	if(rep->n_items >= VS_IMP_MAX_ITEMS) {
		rep->n_more++;
		return NULL;
	}
	it = &rep->item[rep->n_items++];
	memset(it, 0, sizeof(*it));
	snprintf(it->name, sizeof(it->name), "%s", name);
	excerpt(r->val ? r->val : "", r->val ? r->vlen : 0, it->raw,
			sizeof(it->raw));
	it->line = line;
	it->key = -1;
	return it;
}

/* Value words a Chinese VOS3000 client shows, with the one meaning each clearly has
 * for a gateway-switch rule. Anything else is refused by the rule's own parser. */
static const struct zh
{
	const char *word, *as;
} zh_words[] = {
		{"无限制", "None"}, /* unlimited */
		{"不限制", "None"}, /* not limited */
		{"无", "None"},		/* none */
		{"开", "On"},
		{"开启", "On"},
		{"打开", "On"},
		{"启用", "On"}, /* enabled */
		{"关", "Off"},
		{"关闭", "Off"},
		{"禁用", "Off"}, /* disabled */
		{"是", "yes"},
		{"否", "no"},
};

static const char *zh_word(const char *p, int n)
{
	size_t i;

	for(i = 0; i < sizeof(zh_words) / sizeof(zh_words[0]); i++)
		if(strlen(zh_words[i].word) == (size_t)n
				&& memcmp(zh_words[i].word, p, (size_t)n) == 0)
			return zh_words[i].as;
	return NULL;
}

/* Handle one parameter row: apply a mapped one to v, explain the others. */
static int take_row(const row_t *r, const char *origin, int line,
		vs_values_t *v, vs_import_report_t *rep, int *key_line, char *err,
		int errlen)
{
	char name[VS_IMP_NAMELEN], why[VS_ERRLEN], q[QUOTE_MAX + 4];
	char val[VS_SCHED_STRLEN + 4], what[176], how[QUOTE_MAX + 24];
	const struct mapped *m;
	vs_import_item_t *it;
	const char *word, *vp = r->val;
	int i, mi, vn = r->vlen;

	if(r->nlen >= (int)sizeof(name))
		return vs_err(err, errlen, "%s:%d: parameter name \"%s\" is too long",
				origin, line, excerpt(r->name, r->nlen, q, sizeof(q)));
	for(i = 0; i < r->nlen; i++)
		name[i] = (r->name[i] >= 'a' && r->name[i] <= 'z') ? r->name[i] - 32
														   : r->name[i];
	name[i] = '\0';
	it = add_item(rep, r, name, line);
	if((mi = find_mapped(name)) < 0) {
		if(it)
			snprintf(it->note, sizeof(it->note), "%s", unmapped_reason(name));
		return 0;
	}
	m = &mapped[mi];
	if(r->val == NULL) {
		if(it)
			snprintf(it->note, sizeof(it->note),
					"not set: the value is empty (%s keeps its base value)",
					vs_key_name(m->key));
		return 0;
	}
	excerpt(r->val, r->vlen, q, sizeof(q));
	if(r->bad != NULL)
		return vs_err(err, errlen, "%s:%d: %s \"%s\": %s", origin, line, name,
				q, r->bad);
	word = m->kind == K_RULE ? zh_word(r->val, r->vlen) : NULL;
	if(word != NULL)
		vp = word, vn = (int)strlen(word);
	if(set_value(m, vp, vn, v, why, sizeof(why)) < 0)
		return vs_err(err, errlen, "%s:%d: %s \"%s\": %s", origin, line, name,
				q, why);
	if(key_line[m->key] != 0)
		add_warn(rep, "%s is set on line %d and again on line %d: line %d wins",
				name, key_line[m->key], line, line);
	key_line[m->key] = line;
	if(it) {
		it->key = m->key;
		if(vs_prof_write_value(v, m->key, val, sizeof(val)) < 0)
			snprintf(val, sizeof(val), "?");
		explain(v, m->key, what, sizeof(what));
		how[0] = '\0';
		if(word != NULL)
			snprintf(how, sizeof(how), "%s read as %s: ", q, word);
		snprintf(it->note, sizeof(it->note), "%s %s (%s%s)",
				vs_key_name(m->key), val, how, what);
	}
	return 0;
}

/* The lines of buf[0..len), each checked, its full-width forms normalized into lb
 * and split; the parameter rows applied to out. */
static int import_lines(const char *buf, size_t len, const char *origin,
		vs_values_t *out, vs_import_report_t *rep, char *lb, int *key_line,
		int *line, int *seen, char *err, int errlen)
{
	size_t pos = 0, end = 0;
	norm_t nm;
	row_t r;
	int rc, n;

	if(len >= 2
			&& ((buf[0] == '\xff' && buf[1] == '\xfe')
					|| (buf[0] == '\xfe' && buf[1] == '\xff')))
		return vs_err(err, errlen,
				"%s:1: UTF-16 text: save the export as UTF-8 (e.g. iconv -f "
				"UTF-16 -t UTF-8)",
				origin);
	if(len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		pos = 3;
	while(pos < len) {
		(*line)++;
		if(scan_line(buf, len, pos, &end, origin, *line, err, errlen) < 0)
			return -1;
		n = normalize(buf + pos, (int)(end - pos), lb, &nm);
		rc = split_row(lb, n, &r);
		if(rc == 1) {
			(*seen)++;
			if(nm.n > 0)
				fw_warn(rep, lb, &r, &nm, *line);
			if(take_row(&r, origin, *line, out, rep, key_line, err, errlen) < 0)
				return -1;
		} else if(rc == 2 && rep && rep->n_skipped++ == 0) {
			rep->first_skipped = *line;
		}
		pos = end + (end < len); /* past the \n, \r or \r\n */
		if(end < len && buf[end] == '\r' && pos < len && buf[pos] == '\n')
			pos++;
	}
	return 0;
}

int vs_import_text(const char *buf, size_t len, const char *origin,
		vs_values_t *v, vs_import_report_t *rep, char *err, int errlen)
{
	vs_values_t out = *v;
	int key_line[VS_K_COUNT] = {0};
	int line = 0, seen = 0, rc, k, mapped_n = 0;
	char *lb = malloc(VS_IMP_LINE_MAX + 1);

	if(rep)
		memset(rep, 0, sizeof(*rep));
	if(lb == NULL)
		return vs_err(err, errlen, "out of memory");
	rc = import_lines(buf, len, origin ? origin : "(text)", &out, rep, lb,
			key_line, &line, &seen, err, errlen);
	free(lb);
	if(rc < 0)
		return -1;
	if(origin == NULL)
		origin = "(text)";
	if(line == 0)
		return vs_err(err, errlen, "%s: empty: not a VOS3000 parameter export",
				origin);
	if(seen == 0)
		return vs_err(err, errlen,
				"%s:%d: no VOS3000 parameter (SS_...) found in %d line%s: not "
				"a "
				"VOS3000 parameter export",
				origin, line, line, line == 1 ? "" : "s");
	*v = out;
	if(rep == NULL)
		return 0;
	rep->n_lines = line;
	for(k = 0; k < VS_K_COUNT; k++) {
		rep->key_line[k] = key_line[k];
		mapped_n += key_line[k] != 0;
	}
	if(mapped_n == 0)
		add_warn(rep,
				"none of the parameters vostimer maps (SS_SIP_RESEND_INTERVAL, "
				"SS_SIP_SEND_RETRY, SS_SIP_TIMEOUT_*, SS_GATEWAY_SWITCH_*) is "
				"in the export: the profile keeps its base values");
	return 0;
}

/* Read all of f into a malloc()ed buffer, refusing more than VS_IMP_FILE_MAX. */
static char *slurp(
		FILE *f, const char *path, size_t *len, char *err, int errlen)
{
	size_t cap = 65536, n = 0, got;
	char *buf = malloc(cap), *nb;

	while(buf != NULL) {
		if(n > VS_IMP_FILE_MAX) {
			free(buf);
			vs_err(err, errlen,
					"%s: larger than %u MiB: not a VOS3000 parameter "
					"export",
					path, VS_IMP_FILE_MAX >> 20);
			return NULL;
		}
		if(n == cap) {
			if((nb = realloc(buf, cap * 2)) == NULL)
				break;
			buf = nb, cap *= 2;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if(got == 0 && ferror(f)) {
			free(buf);
			vs_err(err, errlen, "%s: read error: %s", path, strerror(errno));
			return NULL;
		}
		if(got == 0) {
			*len = n;
			return buf;
		}
	}
	free(buf);
	vs_err(err, errlen, "%s: out of memory", path);
	return NULL;
}

int vs_import_file(const char *path, vs_values_t *v, vs_import_report_t *rep,
		char *err, int errlen)
{
	int is_stdin = strcmp(path, "-") == 0, rc;
	const char *origin = is_stdin ? "(stdin)" : path;
	FILE *f = is_stdin ? stdin : fopen(path, "rb");
	size_t len = 0;
	char *buf;

	if(rep)
		memset(rep, 0, sizeof(*rep));
	if(f == NULL)
		return vs_err(
				err, errlen, "%s: cannot open: %s", path, strerror(errno));
	buf = slurp(f, origin, &len, err, errlen);
	if(!is_stdin)
		fclose(f);
	if(buf == NULL)
		return -1;
	rc = vs_import_text(buf, len, origin, v, rep, err, errlen);
	free(buf);
	return rc;
}

const char *vs_import_param_name(int key)
{
	int i;

	for(i = 0; i < N_MAPPED; i++)
		if(mapped[i].key == key)
			return mapped[i].name;
	return NULL;
}

/* ---- warnings: what the values will do that an operator may not expect ---- */

static void report_warn(void *rep, int level, const char *text)
{
	(void)level; /* an import report lists notes and warnings alike */
	add_warn(rep, "%s", text);
}

int vs_import_warnings(const vs_values_t *v, vs_import_report_t *rep)
{
	vs_warn_opts_t o = {
			.name = vs_import_param_name, .prefix = NULL, .life_ms = 0};
	int before;

	if(rep == NULL || v == NULL || v->sched.n < 1)
		return 0;
	before = rep->n_warn + rep->n_warn_more;
	vs_warn_values(v, &o, report_warn, rep);
	return rep->n_warn + rep->n_warn_more - before;
}
