/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vs_gwfig: one gateway's figures as pure data and maths - counters of how its
 * branches ended, ASR, and the distributions of post-dial delay and time to answer
 * over a recent window (p50, p95, max). No Kamailio header and no lock: the glue
 * (vs_gw.c) keeps one vs_gwfig_t per gateway in shm under that entry's lock and
 * calls these functions with it held (or on a private copy). */
#ifndef VS_GWFIG_H
#define VS_GWFIG_H

#include <stdint.h>
#include "vs_stage.h"

/* A window keeps the last VS_WIN_N samples, each with the second it was taken;
 * a summary counts only those no older than the window's age (seconds). */
#define VS_WIN_N 128

typedef struct vs_win
{
	uint32_t v[VS_WIN_N];  /* sample values (ms, or 0/1) */
	uint32_t at[VS_WIN_N]; /* when each was taken (s, CLOCK_MONOTONIC) */
	uint32_t next;		   /* slot the next sample overwrites */
	uint32_t n;			   /* samples held, up to VS_WIN_N */
} vs_win_t;

typedef struct vs_win_sum
{
	int n;					/* samples in the window */
	uint32_t sum;			/* their sum */
	uint32_t p50, p95, max; /* nearest-rank percentiles; 0 when n == 0 */
} vs_win_sum_t;

void vs_win_add(vs_win_t *w, uint32_t value, uint32_t now_s);

/* the samples taken at most age_s seconds before now_s (age_s 0: all held) */
void vs_win_summary(
		const vs_win_t *w, uint32_t now_s, uint32_t age_s, vs_win_sum_t *out);

/* nearest rank: the 1-based rank of the pct-th percentile of n sorted samples,
 * ceil(pct * n / 100), at least 1 (0 when n == 0) */
int vs_win_rank(int n, int pct);

/* how a branch ended, for the counters: the gateway's final code decides first
 * (2xx answered, 486/600 busy, any other >= 300 rejected), then a vostimer reason
 * (its timers), else canceled (no final reply and no reason of ours: the caller's
 * CANCEL, another branch answered, tm's own timer) */
enum vs_gw_outcome
{
	VS_GWO_ANSWERED = 0,
	VS_GWO_BUSY,
	VS_GWO_REJECTED,
	VS_GWO_CANCELED,
	VS_GWO_REASON /* a vostimer reason other than reply */
};

int vs_gwfig_outcome(int reason, int code);

/* "answered", "busy", "rejected", "canceled", or the reason's name */
const char *vs_gwfig_outcome_name(int reason, int code);

typedef struct vs_gwfig
{
	uint32_t tried;	 /* branches started */
	uint32_t active; /* started and not ended */
	uint32_t answered, busy, rejected, canceled;
	uint32_t reason
			[VS_R_COUNT]; /* per vostimer reason (reply: busy + rejected) */
	vs_win_t pdd;		  /* first send -> first 18x, ms */
	vs_win_t answer;	  /* first send -> 2xx, ms */
	vs_win_t ends;		  /* 1 per ended branch answered, 0 otherwise */
} vs_gwfig_t;

void vs_gwfig_start(vs_gwfig_t *f);

/* a branch ended: reason (VS_R_*), the gateway's final code (0: none), its PDD
 * and time to answer in ms (< 0: none) */
void vs_gwfig_end(vs_gwfig_t *f, int reason, int code, long pdd_ms,
		long answer_ms, uint32_t now_s);

/* everything but the counters of ended branches back to zero; `active` is kept
 * (the branches still running end later) */
void vs_gwfig_reset(vs_gwfig_t *f);

/* ASR in basis points (answered * 10000 / tried, rounded down); -1 when tried is 0 */
int vs_gwfig_asr_bp(uint32_t answered, uint32_t tried);

typedef struct vs_gwfig_sum
{
	int asr_bp;		   /* since start or reset, -1: nothing tried */
	int asr_recent_bp; /* over the branches ended in the window, -1: none */
	vs_win_sum_t pdd, answer, ends;
} vs_gwfig_sum_t;

void vs_gwfig_summary(const vs_gwfig_t *f, uint32_t now_s, uint32_t age_s,
		vs_gwfig_sum_t *out);

#endif
