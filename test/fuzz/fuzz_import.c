/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz_import: the VOS3000 export reader (vs_import.h: vs_import_text, then
 * vs_import_warnings). Refused text leaves the values untouched and says why, after
 * the origin; accepted text gives values the profile loader accepts, each writable
 * as a profile value; the report stays within its bounds, its strings terminated. */
#include "fuzz.h"
#include "vs_import.h"

static vs_import_report_t rep; /* ~120 KB: not on the stack */

static int terminated(const char *s, size_t size)
{
	return memchr(s, '\0', size) != NULL;
}

/* the report of an accepted text (done) or of a refused one, where n_lines and
 * key_line[] stay 0 */
static void report_ok(const vs_import_report_t *r, int done)
{
	int i, k;

	FUZZ_CHECK(
			r->n_items >= 0 && r->n_items <= VS_IMP_MAX_ITEMS && r->n_more >= 0,
			"%d items, %d more", r->n_items, r->n_more);
	FUZZ_CHECK(r->n_warn >= 0 && r->n_warn <= VS_IMP_MAX_WARN
					   && r->n_warn_more >= 0,
			"%d warnings, %d more", r->n_warn, r->n_warn_more);
	FUZZ_CHECK(r->n_skipped >= 0 && (!done || r->n_skipped <= r->n_lines),
			"%d skipped of %d", r->n_skipped, r->n_lines);
	for(i = 0; i < r->n_items; i++) {
		const vs_import_item_t *it = &r->item[i];

		FUZZ_CHECK(terminated(it->name, sizeof(it->name))
						   && terminated(it->raw, sizeof(it->raw))
						   && terminated(it->note, sizeof(it->note)),
				"item %d not terminated", i);
		FUZZ_CHECK(it->line >= 1 && (!done || it->line <= r->n_lines),
				"item %d at line %d of %d", i, it->line, r->n_lines);
		FUZZ_CHECK(it->key >= -1 && it->key < VS_K_COUNT, "item %d key %d", i,
				it->key);
	}
	for(i = 0; i < r->n_warn; i++)
		FUZZ_CHECK(terminated(r->warn[i], sizeof(r->warn[i])), "warning %d", i);
	for(k = 0; k < VS_K_COUNT; k++)
		FUZZ_CHECK(r->key_line[k] >= 0 && r->key_line[k] <= r->n_lines,
				"key %d at line %d", k, r->key_line[k]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[VS_ERRLEN * 2], val[VS_SCHED_STRLEN + 8];
	vs_values_t v, before;
	const char *bad;
	int k, r;

	if(size > 65536)
		return 0;
	vs_values_vos_defaults(&v);
	before = v;
	memset(err, 0, sizeof(err));
	memset(&rep, 0, sizeof(rep));
	r = vs_import_text(
			(const char *)data, size, "fuzz", &v, &rep, err, sizeof(err));
	report_ok(&rep, r == 0);
	if(r < 0) {
		FUZZ_CHECK_ERR(err, sizeof(err));
		FUZZ_CHECK(strncmp(err, "fuzz", 4) == 0,
				"\"%s\" does not name the origin", err);
		FUZZ_CHECK(fuzz_values_eq(&v, &before), "refused, but values changed");
		return 0;
	}
	FUZZ_CHECK((bad = fuzz_values_bad(&v)) == NULL, "imported %s out of range",
			bad);
	vs_import_warnings(&v, &rep);
	report_ok(&rep, 1);
	for(k = 0; k < VS_K_COUNT; k++)
		FUZZ_CHECK(vs_prof_write_value(&v, k, val, sizeof(val)) > 0,
				"%s not writable", vs_key_name(k));
	/* without a report too */
	vs_values_vos_defaults(&before);
	FUZZ_CHECK(vs_import_text((const char *)data, size, "fuzz", &before, NULL,
					   err, sizeof(err))
							   == 0
					   && fuzz_values_eq(&before, &v),
			"without a report: another answer");
	return 0;
}
