/*
 * loopback-floor: what four request/answer round trips over TCP loopback cost on this machine
 * when neither side does any work: the floor under any ext_proc server's added time.
 *
 * The process forks an echo server (one thread, blocking on epoll) and drives it as
 * extproc-load drives the ExtProc: exchange i is due at begin + i / rate, sends a request of the
 * size of the i-th ext_proc message (request headers, 2 KiB body, response headers, 1 KiB body)
 * when the previous answer arrived, and is timed from its due time to its fourth answer.
 * Answers are about the ExtProc's sizes. No HTTP/2, no protobuf, no JSON, no allocation.
 *
 * Build: gcc -O2 -o target/loopback-floor src/main/c/loopback-floor.c   (Linux, glibc >= 2.35)
 * Run:   target/loopback-floor [rate=5000] [seconds=20] [warmup=5] [port=19999] [spin=0]
 *        spin 1: the client polls its socket instead of sleeping; 2: the echo server too. Polling
 *        takes the waking of a sleeping vCPU out of the round trips, and a CPU per polling side.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "latency.h"

enum { STEPS = 4, BUFFER = 1 << 22 };
/* the ext_proc exchange's frames on the wire, HTTP/2 and gRPC framing included */
static const int REQUEST_BYTES[STEPS] = {420, 2070, 131, 1046};
static const int ANSWER_BYTES[STEPS] = {70, 248, 20, 280};

/* every message starts with its length, the exchange and the step */
typedef struct {
    uint32_t len, exchange, step, unused;
} header;

static void fail(const char *what) {
    perror(what);
    exit(1);
}

static uint8_t filler[4096];

static int append(uint8_t *out, int at, int len, uint32_t exchange, uint32_t step) {
    header h = {(uint32_t)len, exchange, step, 0};
    memcpy(out + at, &h, sizeof h);
    memcpy(out + at + sizeof h, filler, (size_t)len - sizeof h);
    return at + len;
}

static void write_all(int fd, const uint8_t *bytes, int len) {
    for (int off = 0; off < len;) {
        ssize_t n = write(fd, bytes + off, (size_t)(len - off));
        if (n < 0) fail("write");
        off += (int)n;
    }
}

/*
 * Reads what arrived and calls on_message for each whole message; returns 0 at end of stream.
 * Keeps a partial message for the next call.
 */
static int read_messages(int fd, uint8_t *in, int *have, uint8_t *out, int *out_len,
                         void (*on_message)(const header *, uint8_t *, int *)) {
    ssize_t n = read(fd, in + *have, (size_t)(BUFFER - *have));
    if (n <= 0) return 0;
    *have += (int)n;
    int off = 0;
    while (*have - off >= (int)sizeof(header)) {
        header h;
        memcpy(&h, in + off, sizeof h);
        if (*have - off < (int)h.len) break;
        off += (int)h.len;
        on_message(&h, out, out_len);
    }
    memmove(in, in + off, (size_t)(*have - off));
    *have -= off;
    return 1;
}

static void answer(const header *h, uint8_t *out, int *out_len) {
    *out_len = append(out, *out_len, ANSWER_BYTES[h->step], h->exchange, h->step);
}

static void serve(int listener, int spin) {
    int fd = accept(listener, NULL, NULL), one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    int epoll = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};
    epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &ev);
    uint8_t *in = malloc(BUFFER), *out = malloc(BUFFER);
    int have = 0;
    for (;;) {
        struct epoll_event ready;
        if (epoll_wait(epoll, &ready, 1, spin ? 0 : -1) < 1) continue;
        int out_len = 0;
        if (!read_messages(fd, in, &have, out, &out_len, answer)) exit(0);
        write_all(fd, out, out_len);
    }
}

static uint64_t *due, *added;
static int finished;

static void next_step(const header *h, uint8_t *out, int *out_len) {
    uint32_t step = h->step + 1;
    if (step == STEPS) {
        added[h->exchange] = now_ns() - due[h->exchange];
        finished++;
    } else {
        *out_len = append(out, *out_len, REQUEST_BYTES[step], h->exchange, step);
    }
}

int main(int argc, char **argv) {
    int rate = argc > 1 ? atoi(argv[1]) : 5000, seconds = argc > 2 ? atoi(argv[2]) : 20;
    int warmup = argc > 3 ? atoi(argv[3]) : 5, port = argc > 4 ? atoi(argv[4]) : 19999;
    /* 1: the client polls instead of sleeping; 2: the echo server too */
    int spin = argc > 5 ? atoi(argv[5]) : 0;
    memset(filler, 'a', sizeof filler);
    int listener = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(listener, (struct sockaddr *)&a, sizeof a) || listen(listener, 1)) fail("bind");
    pid_t server = fork();
    if (server == 0) serve(listener, spin >= 2);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(fd, (struct sockaddr *)&a, sizeof a)) fail("connect");
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    prctl(PR_SET_TIMERSLACK, 1);
    int epoll = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};
    epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &ev);

    int total = rate * (warmup + seconds), measured_from = rate * warmup, started = 0, have = 0;
    due = calloc((size_t)total, sizeof *due);
    added = calloc((size_t)total, sizeof *added);
    uint8_t *in = malloc(BUFFER), *out = malloc(BUFFER);
    uint64_t period = 1000000000ull / (uint64_t)rate, begin = now_ns() + 1000000;
    struct rusage before;
    int measuring = 0;
    while (finished < total) {
        if (!measuring && started >= measured_from) {
            measuring = 1;
            getrusage(RUSAGE_SELF, &before);
        }
        int out_len = 0;
        for (uint64_t now = now_ns(); started < total && begin + started * period <= now; started++) {
            due[started] = begin + started * period;
            out_len = append(out, out_len, REQUEST_BYTES[0], (uint32_t)started, 0);
        }
        write_all(fd, out, out_len);
        struct epoll_event ready;
        int n;
        uint64_t next = begin + started * period, now = now_ns();
        if (spin) {
            n = epoll_wait(epoll, &ready, 1, 0);
        } else if (started < total && next > now) {
            struct timespec wait = {(time_t)((next - now) / 1000000000ull), (long)((next - now) % 1000000000ull)};
            n = epoll_pwait2(epoll, &ready, 1, &wait, NULL);
        } else {
            n = epoll_wait(epoll, &ready, 1, started < total ? 0 : 1000);
        }
        if (n > 0) {
            out_len = 0;
            if (!read_messages(fd, in, &have, out, &out_len, next_step)) fail("server closed");
            write_all(fd, out, out_len);
        }
    }
    struct rusage after;
    getrusage(RUSAGE_SELF, &after);
    kill(server, SIGKILL);
    waitpid(server, NULL, 0);
    int measured = total - measured_from;
    uint64_t *sorted = added + measured_from;
    sort_latencies(sorted, measured);
    double client_us = (double)((after.ru_utime.tv_sec + after.ru_stime.tv_sec - before.ru_utime.tv_sec - before.ru_stime.tv_sec) * 1000000L +
                                after.ru_utime.tv_usec + after.ru_stime.tv_usec - before.ru_utime.tv_usec - before.ru_stime.tv_usec);
    printf("loopback floor: rate %d/s, %d exchanges of 4 round trips after %d s of warm-up\n", rate, measured, warmup);
    printf("added p50 %.0f us, p99 %.0f us, p99.9 %.0f us, max %.0f us; client CPU %.0f us per exchange\n",
           percentile_us(sorted, measured, 0.5), percentile_us(sorted, measured, 0.99), percentile_us(sorted, measured, 0.999),
           sorted[measured - 1] / 1e3, client_us / measured);
    return 0;
}
