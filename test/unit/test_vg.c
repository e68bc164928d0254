/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of vos2kam's pure gateway files (utils/vos2kam/vg_*.c but vg_db.c): the
 * JSON and mysqldump readers, the join, the field map and the profile names. */
#include <stdio.h>

#include "unit.h"
#include "vg.h"

static char err[VG_ERRLEN];

START_TEST(json_response_and_errors)
{
	const char *t =
			"{\"retCode\":0,\"infoGatewayRoutings\":[{\"name\":\"a\\u00e9\","
			"\"timeoutTrying\":3,\"switchAllowBusy\":false,\"x\":[1,{}]}]}";
	vg_recs_t rs = {0};

	ck_assert_int_eq(vg_json_read(t, strlen(t), "j", &rs, err, sizeof(err)), 0);
	ck_assert_int_eq(rs.n, 1);
	ck_assert_str_eq(vg_rec_get(&rs.r[0], "NAME")->val, "a\xc3\xa9");
	ck_assert_int_eq(vg_rec_get(&rs.r[0], "switchallowbusy")->kind, VG_BOOL);
	ck_assert_int_eq(vg_rec_get(&rs.r[0], "x")->kind, VG_NESTED);
	vg_recs_free(&rs);
	t = "[{\"name\": \"电\", \"t\": tru}]";
	ck_assert_int_eq(
			vg_json_read(t, strlen(t), "j", &rs, err, sizeof(err)), -1);
	ck_assert_has(err, "j:1:21: not a JSON value");
	vg_recs_free(&rs);
}
END_TEST

START_TEST(dump_join_map)
{
	const char *t =
			"-- MySQL dump\n/*!40101 SET NAMES utf8 */;\n"
			"CREATE TABLE `e_gatewayrouting` (`id` int, `name` varchar(9),"
			" `remoteip` varchar(9), `signalport` int, PRIMARY KEY (`id`));\n"
			"INSERT INTO `e_gatewayrouting` VALUES (1,'GW-X','10.0.0.1',5070),"
			"(2,'GW X','10.0.0.2',0);\n"
			"INSERT INTO e_gatewayroutingsetting (gatewayrouting_id, "
			"timeouttrying, stopswitchafteruserbusy, stopswitchsipcodes) "
			"VALUES "
			"(1,3,_binary '\\1','404'),(2,0,b'0',NULL);\n";
	vg_recs_t ro = {0}, se = {0}, all = {0};
	char how[160];
	vg_gws_t g;
	int n;
	FILE *f = fmemopen((void *)t, strlen(t), "r");

	ck_assert_int_eq(
			vg_dump_read(f, "d.sql", &ro, &se, &n, err, sizeof(err)), 0);
	fclose(f);
	ck_assert_int_eq(ro.n, 2);
	ck_assert_int_eq(se.n, 2);
	ck_assert_str_eq(vg_rec_get(&se.r[0], "stopswitchafteruserbusy")->val, "1");
	ck_assert_int_eq(
			vg_join(&ro, &se, &all, how, sizeof(how), err, sizeof(err)), 0);
	ck_assert_has(how, "= e_gatewayrouting.id");
	ck_assert_int_eq(vg_map(&all, &g, err, sizeof(err)), 0);
	ck_assert_str_eq(g.g[0].profile, "GW_X");
	ck_assert_str_eq(g.g[1].profile, "GW_X_2");
	ck_assert_str_eq(g.g[0].uri, "sip:10.0.0.1:5070");
	ck_assert_str_eq(g.g[1].uri, "sip:10.0.0.2");
	ck_assert_uint_eq(g.g[0].own, (1u << VS_K_T_TRYING) | (1u << VS_K_SW_BUSY)
										  | (1u << VS_K_SW_CODES));
	ck_assert_uint_eq(g.g[0].v.t_trying_ms, 3000);
	ck_assert_uint_eq(g.g[1].own, 0); /* 0, b'0' and NULL inherit */
	vg_gws_free(&g);
	vg_recs_free(&ro);
	vg_recs_free(&se);
	vg_recs_free(&all);
}
END_TEST

START_TEST(sanitize_and_detect)
{
	char o[64];

	vg_sanitize("GW-X 电信", 1, o, sizeof(o));
	ck_assert_str_eq(o, "GW_X");
	vg_sanitize("网关四", 4, o, sizeof(o));
	ck_assert_str_eq(o, "gw_4");
	vg_sanitize("a__b", 1, o, sizeof(o));
	ck_assert_str_eq(o, "a__b");
	ck_assert_int_eq(vg_detect(" [{}]", 5), VG_IN_JSON);
	ck_assert_int_eq(
			vg_detect("-- x\nINSERT INTO t VALUES (1);", 29), VG_IN_DUMP);
	ck_assert_int_eq(
			vg_detect("# c\nSS_SIP_TIMEOUT_INVITE=1", 26), VG_IN_EXPORT);
}
END_TEST

static Suite *vg_suite(void)
{
	Suite *s = suite_create("vg");
	TCase *tc = tcase_create("vg");

	tcase_add_test(tc, json_response_and_errors);
	tcase_add_test(tc, dump_join_map);
	tcase_add_test(tc, sanitize_and_detect);
	suite_add_tcase(s, tc);
	return s;
}

VS_UNIT_MAIN(vg_suite)
