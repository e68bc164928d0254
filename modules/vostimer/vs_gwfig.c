/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vs_gwfig: a gateway's counters, ASR and the recent-window distributions (p50,
 * p95, max by nearest rank). Pure: no Kamailio header, no lock, no allocation - a
 * summary sorts at most VS_WIN_N samples on the stack. */
#include <string.h>

#include "vs_gwfig.h"

void vs_win_add(vs_win_t *w, uint32_t value, uint32_t now_s)
{
	w->v[w->next] = value;
	w->at[w->next] = now_s;
	w->next = (w->next + 1) % VS_WIN_N;
	if(w->n < VS_WIN_N)
		w->n++;
}

int vs_win_rank(int n, int pct)
{
	int r;

	if(n <= 0)
		return 0;
	r = (pct * n + 99) / 100;
	return r < 1 ? 1 : (r > n ? n : r);
}

/* insertion sort: at most VS_WIN_N values */
static void sort_u32(uint32_t *a, int n)
{
	int i, j;
	uint32_t x;

	for(i = 1; i < n; i++) {
		x = a[i];
		for(j = i; j > 0 && a[j - 1] > x; j--)
			a[j] = a[j - 1];
		a[j] = x;
	}
}

void vs_win_summary(
		const vs_win_t *w, uint32_t now_s, uint32_t age_s, vs_win_sum_t *out)
{
	uint32_t s[VS_WIN_N];
	uint32_t i;
	int n = 0;

	memset(out, 0, sizeof(*out));
	for(i = 0; i < w->n && i < VS_WIN_N; i++) {
		/* a sample stamped after now_s (taken by another process meanwhile)
		 * is as young as can be */
		if(age_s && now_s > w->at[i] && now_s - w->at[i] > age_s)
			continue;
		s[n++] = w->v[i];
		out->sum += w->v[i];
	}
	out->n = n;
	if(n == 0)
		return;
	sort_u32(s, n);
	out->p50 = s[vs_win_rank(n, 50) - 1];
	out->p95 = s[vs_win_rank(n, 95) - 1];
	out->max = s[n - 1];
}

int vs_gwfig_outcome(int reason, int code)
{
	if(code >= 200 && code < 300)
		return VS_GWO_ANSWERED;
	if(code == 486 || code == 600)
		return VS_GWO_BUSY;
	if(code >= 300)
		return VS_GWO_REJECTED;
	if(reason > VS_R_NONE && reason < VS_R_COUNT && reason != VS_R_REPLY)
		return VS_GWO_REASON;
	return VS_GWO_CANCELED;
}

const char *vs_gwfig_outcome_name(int reason, int code)
{
	static const char *names[] = {"answered", "busy", "rejected", "canceled"};
	int o = vs_gwfig_outcome(reason, code);

	return o == VS_GWO_REASON ? vs_reason_name(reason) : names[o];
}

void vs_gwfig_start(vs_gwfig_t *f)
{
	f->tried++;
	f->active++;
}

void vs_gwfig_end(vs_gwfig_t *f, int reason, int code, long pdd_ms,
		long answer_ms, uint32_t now_s)
{
	int o = vs_gwfig_outcome(reason, code);

	if(f->active > 0)
		f->active--;
	switch(o) {
		case VS_GWO_ANSWERED:
			f->answered++;
			break;
		case VS_GWO_BUSY:
			f->busy++;
			break;
		case VS_GWO_REJECTED:
			f->rejected++;
			break;
		case VS_GWO_CANCELED:
			f->canceled++;
			break;
	}
	if(reason > VS_R_NONE && reason < VS_R_COUNT)
		f->reason[reason]++;
	if(pdd_ms >= 0)
		vs_win_add(&f->pdd, (uint32_t)pdd_ms, now_s);
	if(o == VS_GWO_ANSWERED && answer_ms >= 0)
		vs_win_add(&f->answer, (uint32_t)answer_ms, now_s);
	vs_win_add(&f->ends, o == VS_GWO_ANSWERED, now_s);
}

void vs_gwfig_reset(vs_gwfig_t *f)
{
	uint32_t active = f->active;

	memset(f, 0, sizeof(*f));
	f->active = active;
}

int vs_gwfig_asr_bp(uint32_t answered, uint32_t tried)
{
	if(tried == 0)
		return -1;
	if(answered > tried) /* cannot happen; never above 100 % */
		answered = tried;
	return (int)((uint64_t)answered * 10000u / tried);
}

void vs_gwfig_summary(const vs_gwfig_t *f, uint32_t now_s, uint32_t age_s,
		vs_gwfig_sum_t *out)
{
	vs_win_summary(&f->pdd, now_s, age_s, &out->pdd);
	vs_win_summary(&f->answer, now_s, age_s, &out->answer);
	vs_win_summary(&f->ends, now_s, age_s, &out->ends);
	out->asr_bp = vs_gwfig_asr_bp(f->answered, f->tried);
	out->asr_recent_bp =
			out->ends.n ? vs_gwfig_asr_bp(out->ends.sum, out->ends.n) : -1;
}
