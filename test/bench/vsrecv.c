/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vsrecv: the benchmark's silent gateway. Binds UDP 127.0.0.1:<port>, never answers,
 * and for every datagram records one line
 *     <mono_ns> <kts_ns> <method> <call-id>
 * mono_ns: CLOCK_MONOTONIC read right after recvmmsg() returned the batch;
 * kts_ns:  the kernel's receive stamp (SO_TIMESTAMPNS, CLOCK_REALTIME), 0 if absent.
 * Lines are kept in memory and written to <out> on SIGTERM/SIGINT (no I/O on the
 * receive path). Prints "ready <port>" once bound.
 *
 *   vsrecv <port> <out>
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "vsudp.h"

#define VLEN 64
#define BUFSZ 4096
#define CIDLEN 96

typedef struct rec {
	uint64_t mono, kts;
	char method[12];
	char cid[CIDLEN];
} rec_t;


static uint64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Call-ID (or compact i:) header value of a SIP message */
static void call_id(const char *m, size_t n, char *out)
{
	const char *p = m, *end = m + n, *v = NULL;
	out[0] = '\0';
	while(p < end) {
		const char *nl = memchr(p, '\n', end - p);
		const char *ls = nl ? nl + 1 : end;
		if(ls >= end)
			break;
		if((end - ls > 8 && strncasecmp(ls, "call-id:", 8) == 0))
			v = ls + 8;
		else if(end - ls > 2 && (ls[0] == 'i' || ls[0] == 'I') && ls[1] == ':')
			v = ls + 2;
		else if(ls[0] == '\r' || ls[0] == '\n')
			break; /* end of headers */
		if(v) {
			size_t k = 0;
			while(v < end && (*v == ' ' || *v == '\t'))
				v++;
			while(v < end && *v != '\r' && *v != '\n' && k < CIDLEN - 1)
				out[k++] = *v++;
			out[k] = '\0';
			return;
		}
		p = ls;
	}
}

int main(int argc, char **argv)
{
	struct mmsghdr msgs[VLEN];
	struct iovec iov[VLEN];
	static char bufs[VLEN][BUFSZ];
	static char ctl[VLEN][CMSG_SPACE(sizeof(struct timespec)) + 64];
	size_t cap = 1 << 18, n = 0, i;
	rec_t *recs;
	int fd, one = 1, rcvbuf = 8 << 20, port;
	FILE *f;

	if(argc != 3) {
		fprintf(stderr, "usage: vsrecv <port> <out>\n");
		return 2;
	}
	port = atoi(argv[1]);
	recs = malloc(cap * sizeof(rec_t));
	if(recs == NULL) {
		perror("vsrecv");
		return 1;
	}
	if((fd = vsudp_open(port, rcvbuf, "vsrecv")) < 0)
		return 1;
	setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one));
	printf("ready %d\n", port);
	fflush(stdout);

	while(!stop) {
		int got;
		uint64_t now;
		memset(msgs, 0, sizeof(msgs));
		for(i = 0; i < VLEN; i++) {
			iov[i].iov_base = bufs[i];
			iov[i].iov_len = BUFSZ - 1;
			msgs[i].msg_hdr.msg_iov = &iov[i];
			msgs[i].msg_hdr.msg_iovlen = 1;
			msgs[i].msg_hdr.msg_control = ctl[i];
			msgs[i].msg_hdr.msg_controllen = sizeof(ctl[i]);
		}
		/* block for the first datagram, then take whatever else is queued */
		got = recvmmsg(fd, msgs, VLEN, MSG_WAITFORONE, NULL);
		now = mono_ns();
		if(got < 0) {
			if(errno == EINTR)
				continue;
			perror("vsrecv: recvmmsg");
			break;
		}
		for(i = 0; i < (size_t)got; i++) {
			struct cmsghdr *c;
			rec_t *r;
			size_t len = msgs[i].msg_len, k;
			if(n == cap) {
				cap *= 2;
				recs = realloc(recs, cap * sizeof(rec_t));
				if(recs == NULL) {
					perror("vsrecv: realloc");
					return 1;
				}
			}
			r = &recs[n++];
			r->mono = now;
			r->kts = 0;
			for(c = CMSG_FIRSTHDR(&msgs[i].msg_hdr); c;
					c = CMSG_NXTHDR(&msgs[i].msg_hdr, c))
				if(c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
					struct timespec ts;
					memcpy(&ts, CMSG_DATA(c), sizeof(ts));
					r->kts = (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
				}
			bufs[i][len] = '\0';
			for(k = 0; k < sizeof(r->method) - 1 && k < len && bufs[i][k] != ' '
					   && bufs[i][k] != '\r';
					k++)
				r->method[k] = bufs[i][k];
			r->method[k] = '\0';
			if(k == 0)
				strcpy(r->method, "-");
			call_id(bufs[i], len, r->cid);
			if(r->cid[0] == '\0')
				strcpy(r->cid, "-");
		}
	}
	f = fopen(argv[2], "w");
	if(f == NULL) {
		perror("vsrecv: output");
		return 1;
	}
	for(i = 0; i < n; i++)
		fprintf(f, "%llu %llu %s %s\n", (unsigned long long)recs[i].mono,
				(unsigned long long)recs[i].kts, recs[i].method, recs[i].cid);
	fclose(f);
	fprintf(stderr, "vsrecv: %zu datagrams written to %s\n", n, argv[2]);
	return 0;
}
