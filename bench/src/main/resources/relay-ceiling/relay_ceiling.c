/*
 * The ceiling of a userspace UDP relay on this machine, for RelayCeilingSection: what the kernel's UDP path allows
 * one core to forward, with and without the system-call levers the Java relay does not have. Same shape as
 * RelayThroughputSection: 8 relays, a generator on core 1 floods 172-byte RTP into their A legs, the relay on
 * core 0 rewrites the payload type and sends each packet out of the B leg to a far end nobody reads.
 *
 *   relay_ceiling MODE SECONDS   ->   RESULT MODE forwarded relay_cpu_ns wall_ns
 *
 * MODE: plain     epoll, recvfrom + sendto on unconnected sockets (what the Java relay does per packet)
 *       connected the same, but the B leg is connect()ed to its far end and sends with send()
 *       batched   recvmmsg + sendmmsg, 32 datagrams a call, unconnected
 *       batched-connected  both
 * The generator sends with sendmmsg (32 a call) so that it outruns the relay and the relay stays backlogged;
 * the figure is forwarded packets per CPU second of the relay thread, measured after a 1.5 s warm-up.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define RELAYS 8
#define BATCH 32
#define PACKET 172
#define DRAIN_BUDGET 16

static int open_socket(struct sockaddr_in *bound) {
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    int size = 256 * 1024;
    setsockopt(s, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    setsockopt(s, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    if (s < 0 || bind(s, (struct sockaddr *) &a, sizeof a) || getsockname(s, (struct sockaddr *) bound, &len)) {
        perror("socket");
        exit(1);
    }
    return s;
}

static void pin(int core) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(core, &set);
    sched_setaffinity(0, sizeof set, &set); /* best effort: a one-core machine runs both unpinned */
}

static long long nanos(clockid_t clock) {
    struct timespec t;
    clock_gettime(clock, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void generate(int socks[], struct sockaddr_in to[]) {
    static char packet[PACKET] = {(char) 0x80, 0};
    struct iovec iov = {packet, PACKET};
    struct mmsghdr msgs[BATCH];
    memset(msgs, 0, sizeof msgs);
    for (int j = 0; j < BATCH; j++) {
        msgs[j].msg_hdr.msg_iov = &iov;
        msgs[j].msg_hdr.msg_iovlen = 1;
    }
    for (int i = 0; i < RELAYS; i++) {
        connect(socks[i], (struct sockaddr *) &to[i], sizeof to[i]);
    }
    for (;;) {
        for (int i = 0; i < RELAYS; i++) {
            sendmmsg(socks[i], msgs, BATCH, 0);
        }
    }
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: relay_ceiling plain|connected|batched|batched-connected SECONDS\n");
        return 2;
    }
    const char *mode = argv[1];
    int connected = strstr(mode, "connected") != NULL;
    int batched = strncmp(mode, "batched", 7) == 0;
    long long run = (long long) (atof(argv[2]) * 1e9), warmup = 1500000000LL;

    int legA[RELAYS], legB[RELAYS], generator[RELAYS], farEnd[RELAYS]; /* far ends stay open, unread */
    struct sockaddr_in legAAddr[RELAYS], unused, generatorAddr[RELAYS], farEndAddr[RELAYS];
    for (int i = 0; i < RELAYS; i++) {
        legA[i] = open_socket(&legAAddr[i]);
        legB[i] = open_socket(&unused);
        generator[i] = open_socket(&generatorAddr[i]);
        farEnd[i] = open_socket(&farEndAddr[i]);
    }
    (void) farEnd;
    pid_t child = fork();
    if (child == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL); /* never outlive the relay, however it ends */
        if (getppid() == 1) {
            _exit(0);
        }
        alarm((unsigned) (run / 1000000000LL) + 10);
        pin(1);
        generate(generator, legAAddr);
    }
    pin(0);
    for (int i = 0; i < RELAYS && connected; i++) {
        connect(legB[i], (struct sockaddr *) &farEndAddr[i], sizeof farEndAddr[i]);
    }
    int ep = epoll_create1(0);
    for (int i = 0; i < RELAYS; i++) {
        struct epoll_event e = {.events = EPOLLIN, .data.u32 = i};
        epoll_ctl(ep, EPOLL_CTL_ADD, legA[i], &e);
    }

    static char bufs[BATCH][2048];
    struct mmsghdr msgs[BATCH];
    struct iovec iov[BATCH];
    struct sockaddr_in from[BATCH];
    int backlogged[RELAYS] = {0};
    long long forwarded = 0, forwarded0 = 0, cpu0 = 0, wall0 = 0;
    long long start = nanos(CLOCK_MONOTONIC);
    int measuring = 0;
    struct epoll_event ready[64];
    for (;;) {
        long long now = nanos(CLOCK_MONOTONIC);
        if (!measuring && now - start > warmup) {
            measuring = 1;
            forwarded0 = forwarded;
            cpu0 = nanos(CLOCK_THREAD_CPUTIME_ID);
            wall0 = now;
        }
        if (now - start > run) {
            break;
        }
        int n = epoll_wait(ep, ready, 64, 100);
        for (int k = 0; k < n; k++) {
            int i = ready[k].data.u32;
            if (!batched) {
                /* the Java DatagramLoop's policy: one datagram while quiet, 16 while backlogged */
                int budget = backlogged[i] ? DRAIN_BUDGET : 1, got = 0;
                for (; got < budget; got++) {
                    socklen_t fl = sizeof from[0];
                    ssize_t len = recvfrom(legA[i], bufs[0], 2048, 0, (struct sockaddr *) &from[0], &fl);
                    if (len < 0) {
                        break;
                    }
                    bufs[0][1] = (char) ((bufs[0][1] & 0x80) | 0);
                    ssize_t sent = connected ? send(legB[i], bufs[0], len, 0)
                            : sendto(legB[i], bufs[0], len, 0, (struct sockaddr *) &farEndAddr[i], sizeof farEndAddr[i]);
                    forwarded += sent > 0;
                }
                backlogged[i] = got > 1;
                continue;
            }
            for (int j = 0; j < BATCH; j++) {
                iov[j].iov_base = bufs[j];
                iov[j].iov_len = 2048;
                memset(&msgs[j].msg_hdr, 0, sizeof msgs[j].msg_hdr);
                msgs[j].msg_hdr.msg_iov = &iov[j];
                msgs[j].msg_hdr.msg_iovlen = 1;
                msgs[j].msg_hdr.msg_name = &from[j];
                msgs[j].msg_hdr.msg_namelen = sizeof from[j];
            }
            int got = recvmmsg(legA[i], msgs, BATCH, MSG_DONTWAIT, NULL);
            if (got <= 0) {
                continue;
            }
            for (int j = 0; j < got; j++) {
                bufs[j][1] = (char) ((bufs[j][1] & 0x80) | 0);
                iov[j].iov_len = msgs[j].msg_len;
                msgs[j].msg_hdr.msg_name = connected ? NULL : &farEndAddr[i];
                msgs[j].msg_hdr.msg_namelen = connected ? 0 : sizeof farEndAddr[i];
            }
            int sent = sendmmsg(legB[i], msgs, got, 0);
            forwarded += sent > 0 ? sent : 0;
        }
    }
    long long cpu1 = nanos(CLOCK_THREAD_CPUTIME_ID), wall1 = nanos(CLOCK_MONOTONIC);
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
    printf("RESULT %s %lld %lld %lld\n", mode, forwarded - forwarded0, cpu1 - cpu0, wall1 - wall0);
    return 0;
}
