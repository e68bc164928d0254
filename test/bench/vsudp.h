/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vsudp.h: what the bench's two UDP gateways (vsrecv.c, vsanswer.c) share - a socket
 * bound on 127.0.0.1 with big buffers, and SIGTERM/SIGINT that stop the loop. */
#ifndef VSUDP_H
#define VSUDP_H

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

static volatile sig_atomic_t stop = 0;

static void on_sig(int s)
{
	(void)s;
	stop = 1;
}

/* a UDP socket bound to 127.0.0.1:port with buf bytes of receive (and send) buffer -
 * past net.core.rmem_max/wmem_max when root, the plain option otherwise - and the
 * stop signals installed without SA_RESTART (recvmmsg returns EINTR); -1 on error */
static int vsudp_open(int port, int buf, const char *who)
{
	struct sockaddr_in sa;
	struct sigaction sact;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if(fd < 0) {
		perror(who);
		return -1;
	}
	if(setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof(buf)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
	if(setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &buf, sizeof(buf)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buf, sizeof(buf));
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if(bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror(who);
		return -1;
	}
	memset(&sact, 0, sizeof(sact));
	sact.sa_handler = on_sig;
	sigaction(SIGTERM, &sact, NULL);
	sigaction(SIGINT, &sact, NULL);
	return fd;
}

#endif
