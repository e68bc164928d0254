/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vg_db: VOS3000's routing gateways from its live MySQL/MariaDB database, through
 * Debian's MariaDB client library. Read-only: one READ ONLY transaction of SELECTs,
 * never a write. The password never comes from the command line: an option file
 * (MariaDB's [client] / [vos2kam] groups) or MYSQL_PWD. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <mysql.h>

#include "vg.h"
#include "vs_sched.h"

typedef struct url
{
	char user[128], host[256], db[128], socket[512];
	unsigned port;
} url_t;

/* %XX in a URL part */
static int unescape(const char *s, size_t n, char *out, size_t outlen)
{
	size_t i, o = 0;
	unsigned x;

	for(i = 0; i < n; i++) {
		if(o + 1 >= outlen)
			return -1;
		if(s[i] == '%' && i + 2 < n && sscanf(s + i + 1, "%2x", &x) == 1) {
			out[o++] = (char)x;
			i += 2;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	return 0;
}

static int parse_url(const char *url, url_t *u, char *err, int errlen)
{
	const char *p = url, *at, *slash, *q, *colon, *end;
	char port[16];

	memset(u, 0, sizeof(*u));
	if(strncasecmp(p, "mysql://", 8) == 0)
		p += 8;
	else if(strncasecmp(p, "mariadb://", 10) == 0)
		p += 10;
	else
		return vs_err(err, errlen,
				"--db \"%s\": expected mysql://[user@]host[:port][/database]"
				"[?socket=PATH]",
				url);
	end = p + strcspn(p, "/?");
	at = memchr(p, '@', (size_t)(end - p));
	if(at != NULL) {
		if(memchr(p, ':', (size_t)(at - p)) != NULL)
			return vs_err(err, errlen,
					"--db: a password in the URL is refused (it would show in "
					"the process list and the shell history): put it in an "
					"option file (--db-option-file) or MYSQL_PWD");
		if(unescape(p, (size_t)(at - p), u->user, sizeof(u->user)) < 0)
			return vs_err(err, errlen, "--db: user name too long");
		p = at + 1;
	}
	colon = memchr(p, ':', (size_t)(end - p));
	if(unescape(
			   p, (size_t)((colon ? colon : end) - p), u->host, sizeof(u->host))
			< 0)
		return vs_err(err, errlen, "--db: host name too long");
	if(colon != NULL) {
		snprintf(port, sizeof(port), "%.*s", (int)(end - colon - 1), colon + 1);
		u->port = (unsigned)strtoul(port, NULL, 10);
		if(u->port == 0 || u->port > 65535
				|| strspn(port, "0123456789") != strlen(port))
			return vs_err(
					err, errlen, "--db: port \"%s\" is not 1..65535", port);
	}
	p = end;
	if(*p == '/') {
		slash = p + 1;
		q = slash + strcspn(slash, "?");
		if(unescape(slash, (size_t)(q - slash), u->db, sizeof(u->db)) < 0)
			return vs_err(err, errlen, "--db: database name too long");
		p = q;
	}
	if(*p == '?') {
		if(strncmp(p + 1, "socket=", 7) != 0)
			return vs_err(err, errlen,
					"--db: unknown URL option \"%s\" (only ?socket=PATH)",
					p + 1);
		if(unescape(p + 8, strlen(p + 8), u->socket, sizeof(u->socket)) < 0)
			return vs_err(err, errlen, "--db: socket path too long");
	}
	return 0;
}

static int db_fail(MYSQL *m, const char *what, char *err, int errlen)
{
	return vs_err(err, errlen, "database: %s: %s", what, mysql_error(m));
}

static int query(MYSQL *m, const char *sql, char *err, int errlen)
{
	if(mysql_query(m, sql) != 0)
		return db_fail(m, sql, err, errlen);
	return 0;
}

/* the name a server gives a table or database, matched case-insensitively */
static int find_name(MYSQL *m, const char *sql, const char *want, char *out,
		int outlen, char *err, int errlen)
{
	MYSQL_RES *res;
	MYSQL_ROW row;
	int found = 0;

	if(query(m, sql, err, errlen) < 0 || (res = mysql_store_result(m)) == NULL)
		return err[0] ? -1 : db_fail(m, sql, err, errlen);
	while((row = mysql_fetch_row(res)) != NULL)
		if(row[0] != NULL && strcasecmp(row[0], want) == 0 && !found) {
			snprintf(out, (size_t)outlen, "%s", row[0]);
			found = 1;
		}
	mysql_free_result(res);
	return found;
}

static int is_number(enum enum_field_types t)
{
	switch(t) {
		case MYSQL_TYPE_TINY:
		case MYSQL_TYPE_SHORT:
		case MYSQL_TYPE_LONG:
		case MYSQL_TYPE_LONGLONG:
		case MYSQL_TYPE_INT24:
		case MYSQL_TYPE_DECIMAL:
		case MYSQL_TYPE_NEWDECIMAL:
		case MYSQL_TYPE_FLOAT:
		case MYSQL_TYPE_DOUBLE:
		case MYSQL_TYPE_YEAR:
			return 1;
		default:
			return 0;
	}
}

/* SELECT * FROM table: one record per row */
static int read_table(
		MYSQL *m, const char *table, vg_recs_t *out, char *err, int errlen)
{
	char sql[300], num[24];
	MYSQL_FIELD *fl;
	MYSQL_RES *res;
	MYSQL_ROW row;
	unsigned long *len, v;
	unsigned i, nf;
	int n = 0, kind, rc = 0;
	vg_rec_t *r;

	snprintf(sql, sizeof(sql), "SELECT * FROM `%s`", table);
	if(query(m, sql, err, errlen) < 0)
		return -1;
	if((res = mysql_store_result(m)) == NULL)
		return db_fail(m, sql, err, errlen);
	nf = mysql_num_fields(res);
	fl = mysql_fetch_fields(res);
	while(rc == 0 && (row = mysql_fetch_row(res)) != NULL) {
		len = mysql_fetch_lengths(res);
		if((r = vg_recs_new(out, "%s row %d", table, ++n)) == NULL) {
			rc = vs_err(err, errlen, "out of memory");
			break;
		}
		for(i = 0; i < nf && rc == 0; i++) {
			if(row[i] == NULL) {
				rc = vg_rec_add(r, fl[i].name, -1, "", 0, VG_NULL);
				continue;
			}
			if(fl[i].type == MYSQL_TYPE_BIT) { /* raw bytes: their number */
				for(v = 0, kind = 0; kind < (int)len[i]; kind++)
					v = (v << 8) | (unsigned char)row[i][kind];
				snprintf(num, sizeof(num), "%lu", v);
				rc = vg_rec_add(r, fl[i].name, -1, num, -1, VG_NUM);
				continue;
			}
			kind = is_number(fl[i].type) ? VG_NUM : VG_STR;
			rc = vg_rec_add(r, fl[i].name, -1, row[i], (int)len[i], kind);
		}
		if(rc < 0 && err[0] == '\0')
			vs_err(err, errlen, "out of memory");
	}
	mysql_free_result(res);
	return rc;
}

static int read_all(MYSQL *m, const url_t *u, vg_recs_t *routing,
		vg_recs_t *setting, char *desc, int desclen, char *err, int errlen)
{
	static const char *const dbs[] = {"vos3000", "vos3000db"};
	char db[128], t[2][128], sql[200];
	int i, found;

	snprintf(db, sizeof(db), "%s", u->db);
	for(i = 0; db[0] == '\0' && i < 2; i++)
		if((found = find_name(
					m, "SHOW DATABASES", dbs[i], db, sizeof(db), err, errlen))
				< 0)
			return -1;
	if(db[0] == '\0')
		return vs_err(err, errlen,
				"database: neither vos3000 nor vos3000db on the server: name "
				"the database in the URL (mysql://user@host/NAME)");
	if(mysql_select_db(m, db) != 0)
		return db_fail(m, db, err, errlen);
	/* read-only, and one consistent view of both tables */
	if(query(m, "SET SESSION TRANSACTION READ ONLY", err, errlen) < 0
			|| query(m, "START TRANSACTION READ ONLY", err, errlen) < 0)
		return -1;
	for(i = 0; i < 2; i++) {
		found = find_name(m, "SHOW TABLES",
				i ? "e_gatewayroutingsetting" : "e_gatewayrouting", t[i],
				sizeof(t[i]), err, errlen);
		if(found < 0)
			return -1;
		if(!found && i == 0)
			return vs_err(err, errlen,
					"database %s: no table e_gatewayrouting: not a VOS3000 "
					"database",
					db);
		if(found && read_table(m, t[i], i ? setting : routing, err, errlen) < 0)
			return -1;
		if(!found)
			t[i][0] = '\0';
	}
	snprintf(sql, sizeof(sql), "%s", "COMMIT");
	if(query(m, sql, err, errlen) < 0)
		return -1;
	snprintf(desc, (size_t)desclen, "database %s on %s (%s%s%s)", db,
			mysql_get_host_info(m), t[0], t[1][0] ? " + " : "", t[1]);
	return 0;
}

int vg_db_read(const char *url, const char *option_file, vg_recs_t *routing,
		vg_recs_t *setting, char *desc, int desclen, char *err, int errlen)
{
	const char *pw = getenv("MYSQL_PWD");
	unsigned int timeout = 10;
	MYSQL *m;
	url_t u;
	int rc;

	err[0] = '\0';
	if(parse_url(url, &u, err, errlen) < 0)
		return -1;
	if((m = mysql_init(NULL)) == NULL)
		return vs_err(err, errlen, "database: out of memory");
	if(option_file != NULL)
		mysql_optionsv(m, MYSQL_READ_DEFAULT_FILE, option_file);
	mysql_optionsv(m, MYSQL_READ_DEFAULT_GROUP, "vos2kam");
	mysql_optionsv(m, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	mysql_optionsv(m, MYSQL_OPT_READ_TIMEOUT, &timeout);
	mysql_optionsv(m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	if(mysql_real_connect(m, u.host[0] ? u.host : NULL,
			   u.user[0] ? u.user : NULL, pw && *pw ? pw : NULL, NULL, u.port,
			   u.socket[0] ? u.socket : NULL, 0)
			== NULL) {
		rc = vs_err(err, errlen, "database: cannot connect to %s: %s", url,
				mysql_error(m));
		mysql_close(m);
		return rc;
	}
	rc = read_all(m, &u, routing, setting, desc, desclen, err, errlen);
	mysql_close(m);
	return rc;
}
