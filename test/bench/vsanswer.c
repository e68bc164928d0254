/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vsanswer: the benchmark's answering gateway. Binds UDP 127.0.0.1:<port> and answers
 * at once, statelessly:
 *   INVITE            200 OK with a To tag (derived from the Call-ID, so a
 *                     retransmitted INVITE gets the same one) and a Contact
 *   ACK               nothing (counted)
 *   any other request 200 OK (BYE; CANCEL would get one too)
 *   a response        nothing (counted)
 * Replies copy every Via and Record-Route header, From, To, Call-ID and CSeq, and go
 * back to the datagram's source address. Datagrams are taken with
 * recvmmsg(MSG_WAITFORONE) and the replies of one batch leave with one sendmmsg().
 * On SIGTERM/SIGINT it writes one JSON line of counters to <out> and exits.
 * Prints "ready <port>" once bound.
 *
 *   vsanswer <port> <out>
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "vsudp.h"

#define VLEN 64
#define BUFSZ 4096
#define OUTSZ 4096


static struct
{
	unsigned long long datagrams, invites, acks, byes, other_requests, responses,
			replies, send_errors, malformed;
} cnt;

typedef struct out
{
	char *p;
	size_t n, cap;
	int overflow;
} out_t;

static void put(out_t *o, const char *s, size_t n)
{
	if(o->n + n > o->cap) {
		o->overflow = 1;
		return;
	}
	memcpy(o->p + o->n, s, n);
	o->n += n;
}

static void puts_(out_t *o, const char *s)
{
	put(o, s, strlen(s));
}

/* header name of line ls..le (without the colon), 0 if not a header line */
static size_t hname(const char *ls, const char *le, const char **val)
{
	const char *c = memchr(ls, ':', le - ls);
	const char *e;
	if(c == NULL || c == ls)
		return 0;
	e = c;
	while(e > ls && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	*val = c + 1;
	while(*val < le && (**val == ' ' || **val == '\t'))
		(*val)++;
	return e - ls;
}

static int is_hdr(const char *ls, size_t n, const char *full, char compact)
{
	size_t fl = strlen(full);
	if(n == fl && strncasecmp(ls, full, fl) == 0)
		return 1;
	return compact && n == 1 && (ls[0] == compact || ls[0] == (compact - 32));
}

static uint32_t fnv1a(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	while(n--) {
		h ^= (unsigned char)*s++;
		h *= 16777619u;
	}
	return h;
}

/* build the 200 OK for request m (n bytes) into o; returns 0 when not to answer */
static int answer(const char *m, size_t n, out_t *o, int port)
{
	const char *p = m, *end = m + n, *sp, *ls, *le, *val, *cid = NULL, *to = NULL;
	size_t cidn = 0, ton = 0, mlen;
	int invite, first = 1;
	char tmp[160];

	sp = memchr(m, ' ', n);
	if(sp == NULL || sp == m) {
		cnt.malformed++;
		return 0;
	}
	mlen = sp - m;
	if(mlen == 7 && strncmp(m, "SIP/2.0", 7) == 0) {
		cnt.responses++;
		return 0;
	}
	if(mlen == 3 && strncmp(m, "ACK", 3) == 0) {
		cnt.acks++;
		return 0;
	}
	invite = (mlen == 6 && strncmp(m, "INVITE", 6) == 0);
	if(invite)
		cnt.invites++;
	else if(mlen == 3 && strncmp(m, "BYE", 3) == 0)
		cnt.byes++;
	else
		cnt.other_requests++;

	puts_(o, "SIP/2.0 200 OK\r\n");
	for(; p < end; p = le + 1) {
		size_t hn;
		le = memchr(p, '\n', end - p);
		if(le == NULL)
			le = end;
		ls = p;
		if(first) { /* the request line */
			first = 0;
			continue;
		}
		{
			const char *e = le;
			if(e > ls && e[-1] == '\r')
				e--;
			if(e == ls)
				break; /* end of headers */
			hn = hname(ls, e, &val);
			if(hn == 0)
				continue;
			if(is_hdr(ls, hn, "via", 'v') || is_hdr(ls, hn, "record-route", 0)
					|| is_hdr(ls, hn, "from", 'f')
					|| is_hdr(ls, hn, "cseq", 0)) {
				put(o, ls, e - ls);
				puts_(o, "\r\n");
			} else if(is_hdr(ls, hn, "call-id", 'i')) {
				cid = val;
				cidn = e - val;
				put(o, ls, e - ls);
				puts_(o, "\r\n");
			} else if(is_hdr(ls, hn, "to", 't')) {
				to = ls;
				ton = e - ls;
			}
		}
		if(le == end)
			break;
	}
	if(to == NULL || cid == NULL) {
		cnt.malformed++;
		return 0;
	}
	put(o, to, ton);
	if(invite && memmem(to, ton, ";tag=", 5) == NULL) {
		snprintf(tmp, sizeof(tmp), ";tag=vsa%08x", fnv1a(cid, cidn));
		puts_(o, tmp);
	}
	puts_(o, "\r\n");
	if(invite) {
		snprintf(tmp, sizeof(tmp), "Contact: <sip:gw@127.0.0.1:%d>\r\n", port);
		puts_(o, tmp);
	}
	puts_(o, "Content-Length: 0\r\n\r\n");
	if(o->overflow) {
		cnt.malformed++;
		return 0;
	}
	return 1;
}

int main(int argc, char **argv)
{
	static struct mmsghdr msgs[VLEN], outs[VLEN];
	static struct iovec iov[VLEN], oiov[VLEN];
	static struct sockaddr_in from[VLEN];
	static char bufs[VLEN][BUFSZ], obufs[VLEN][OUTSZ];
	int fd, rcvbuf = 8 << 20, port, i;
	FILE *f;

	if(argc != 3) {
		fprintf(stderr, "usage: vsanswer <port> <out>\n");
		return 2;
	}
	port = atoi(argv[1]);
	if((fd = vsudp_open(port, rcvbuf, "vsanswer")) < 0)
		return 1;
	printf("ready %d\n", port);
	fflush(stdout);

	while(!stop) {
		int got, nout = 0, sent = 0;
		memset(msgs, 0, sizeof(msgs));
		for(i = 0; i < VLEN; i++) {
			iov[i].iov_base = bufs[i];
			iov[i].iov_len = BUFSZ - 1;
			msgs[i].msg_hdr.msg_iov = &iov[i];
			msgs[i].msg_hdr.msg_iovlen = 1;
			msgs[i].msg_hdr.msg_name = &from[i];
			msgs[i].msg_hdr.msg_namelen = sizeof(from[i]);
		}
		got = recvmmsg(fd, msgs, VLEN, MSG_WAITFORONE, NULL);
		if(got < 0) {
			if(errno == EINTR)
				continue;
			perror("vsanswer: recvmmsg");
			break;
		}
		for(i = 0; i < got; i++) {
			out_t o = {obufs[nout], 0, OUTSZ, 0};
			cnt.datagrams++;
			if(!answer(bufs[i], msgs[i].msg_len, &o, port))
				continue;
			memset(&outs[nout], 0, sizeof(outs[nout]));
			oiov[nout].iov_base = obufs[nout];
			oiov[nout].iov_len = o.n;
			outs[nout].msg_hdr.msg_iov = &oiov[nout];
			outs[nout].msg_hdr.msg_iovlen = 1;
			outs[nout].msg_hdr.msg_name = &from[i];
			outs[nout].msg_hdr.msg_namelen = msgs[i].msg_hdr.msg_namelen;
			nout++;
		}
		while(sent < nout) {
			int r = sendmmsg(fd, outs + sent, nout - sent, 0);
			if(r < 0) {
				if(errno == EINTR)
					continue;
				cnt.send_errors += nout - sent;
				break;
			}
			sent += r;
		}
		cnt.replies += sent;
	}
	f = fopen(argv[2], "w");
	if(f == NULL) {
		perror("vsanswer: output");
		return 1;
	}
	fprintf(f,
			"{\"datagrams\": %llu, \"invites\": %llu, \"acks\": %llu, \"byes\": %llu, "
			"\"other_requests\": %llu, \"responses\": %llu, \"replies\": %llu, "
			"\"send_errors\": %llu, \"malformed\": %llu}\n",
			cnt.datagrams, cnt.invites, cnt.acks, cnt.byes, cnt.other_requests,
			cnt.responses, cnt.replies, cnt.send_errors, cnt.malformed);
	fclose(f);
	fprintf(stderr, "vsanswer: %llu datagrams, %llu replies\n", cnt.datagrams,
			cnt.replies);
	return 0;
}
