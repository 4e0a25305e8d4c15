/*
 * extproc-load: open-loop ext_proc exchanges against an ExtProc server, from a client that costs
 * what Envoy's C++ side costs rather than what a JVM costs (no GC pauses, no JIT, no allocation).
 *
 * Each exchange is one ExternalProcessor/Process stream on a persistent HTTP/2 cleartext
 * connection: the four ProcessingRequest messages of io.aigw.bench.ExtProcWorkload (written to
 * m0.bin..m3.bin by io.aigw.bench.ExtProcMessageFiles), each sent when the previous answer
 * arrived, then an empty DATA frame ending the client's side. Exchange i is due at
 * begin + i / rate on connection i % connections; "added" is the time from the due time to the
 * fourth answer, so a late client or a queueing server counts (no coordinated omission).
 *
 * An exchange counts as failed when its stream ends or is reset before the fourth answer. It
 * counts as "routed" when the answer to the request body carries the x-ai-eg-selected-backend
 * header mutation and the last answer carries io.envoy.ai_gateway dynamic metadata, as the real
 * ExtProc's do and a fixed-answer floor server's do not.
 *
 * One thread, epoll, everything one loop pass writes to a connection in one write(2). The HTTP/2
 * it speaks is what this exchange needs: the preface, SETTINGS (answered), PING (answered),
 * connection WINDOW_UPDATE both ways, the server's stream limit, request headers in HPACK as
 * Envoy's nghttp2 sends them (the first request on a connection indexes them in the server's
 * dynamic table, later ones are six indexed bytes). The server's header blocks are not decoded:
 * the client needs only the DATA frames and the END_STREAM flag.
 *
 * --spin makes the loop poll its sockets instead of sleeping between starts and answers: it takes
 * the waking of the client's own vCPU out of what is measured (and holds that vCPU). --dump FILE
 * writes each measured exchange's due time (CLOCK_MONOTONIC seconds, as perf -k CLOCK_MONOTONIC
 * stamps its events) and added time (us), to line slow exchanges up with what else ran.
 *
 * Build: gcc -O2 -o target/extproc-load src/main/c/extproc-load.c   (Linux, glibc >= 2.35)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "latency.h"

enum { DATA = 0, HEADERS = 1, RST_STREAM = 3, SETTINGS = 4, PING = 6, GOAWAY = 7, WINDOW_UPDATE = 8 };
enum { END_STREAM = 0x1, ACK = 0x1, END_HEADERS = 0x4, PADDED = 0x8 };
enum { MESSAGES = 4, MAX_CONNECTIONS = 16, IN_BYTES = 1 << 22, OUT_BYTES = 1 << 24 };
/* the receive window this client grants, per stream and for the connection */
static const uint32_t RECEIVE_WINDOW = 1u << 24;
/* more exchanges than this in flight means the server fell behind: the run stops as saturated */
static const int SATURATED = 2000;

typedef struct {
    int fd;
    uint8_t *in;
    int in_len;
    uint8_t *out;
    int out_len;
    int64_t send_window;
    int64_t unacknowledged;
    int open_streams;
    int max_streams;
    int headers_indexed; /* the first request's headers are in the server's dynamic table */
} connection;

typedef struct {
    uint8_t prefix[5];
    int prefix_len;
    uint32_t body_left;
    int answers;
    int open;
    int routed;
} exchange;

static uint8_t *message[MESSAGES];
static int message_len[MESSAGES];
/* the first request on a connection adds its headers to the HPACK dynamic table, the later ones
 * name them by index, as Envoy's nghttp2 does */
static uint8_t first_block[256], indexed_block[16];
static int first_block_len, indexed_block_len;

static connection conns[MAX_CONNECTIONS];
static int connection_count = 1;
static exchange *exchanges;
static uint64_t *due, *added;
static int total, started, finished, failed;

static void fail(const char *what) {
    perror(what);
    exit(1);
}

static uint8_t *read_file(const char *path, int *len) {
    FILE *f = fopen(path, "rb");
    if (!f) fail(path);
    fseek(f, 0, SEEK_END);
    *len = (int)ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *bytes = malloc((size_t)*len);
    if (fread(bytes, 1, (size_t)*len, f) != (size_t)*len) fail(path);
    fclose(f);
    return bytes;
}

static void put(connection *c, const void *bytes, int len) {
    memcpy(c->out + c->out_len, bytes, (size_t)len);
    c->out_len += len;
}

static void put_u32(connection *c, uint32_t v) {
    uint8_t b[4] = {v >> 24, v >> 16, v >> 8, v};
    put(c, b, 4);
}

static void setting(connection *c, int id, uint32_t value) {
    uint8_t b[2] = {id >> 8, id};
    put(c, b, 2);
    put_u32(c, value);
}

static void frame(connection *c, int len, int type, int flags, uint32_t stream) {
    uint8_t h[9] = {len >> 16, len >> 8, len, type, flags, stream >> 24, stream >> 16, stream >> 8, stream};
    put(c, h, 9);
}

static void flush(connection *c) {
    for (int off = 0; off < c->out_len;) {
        ssize_t n = write(c->fd, c->out + off, (size_t)(c->out_len - off));
        if (n < 0 && errno != EAGAIN) fail("write");
        if (n > 0) off += (int)n;
    }
    c->out_len = 0;
}

/* Streams are numbered per connection: exchange i is stream 1 + 2 * (i / connections). */
static uint32_t stream_of(int i) { return 1 + 2 * (uint32_t)(i / connection_count); }

static int exchange_of(int conn, uint32_t stream) {
    if (stream == 0) return -1;
    long i = (long)((stream - 1) / 2) * connection_count + conn;
    return i < total ? (int)i : -1;
}

static void send_message(connection *c, int i, int k) {
    int len = message_len[k] + 5;
    if (c->send_window < len) {
        fprintf(stderr, "the server's connection window is exhausted\n");
        exit(2);
    }
    c->send_window -= len;
    frame(c, len, DATA, 0, stream_of(i));
    uint8_t prefix[5] = {0, message_len[k] >> 24, message_len[k] >> 16, message_len[k] >> 8, message_len[k]};
    put(c, prefix, 5);
    put(c, message[k], message_len[k]);
}

static void start(int i) {
    connection *c = &conns[i % connection_count];
    exchanges[i].open = 1;
    c->open_streams++;
    if (c->headers_indexed) {
        frame(c, indexed_block_len, HEADERS, END_HEADERS, stream_of(i));
        put(c, indexed_block, indexed_block_len);
    } else {
        frame(c, first_block_len, HEADERS, END_HEADERS, stream_of(i));
        put(c, first_block, first_block_len);
        c->headers_indexed = 1;
    }
    send_message(c, i, 0);
}

static void close_exchange(connection *c, int i, int ok) {
    exchanges[i].open = 0;
    c->open_streams--;
    finished++;
    if (!ok) failed++;
}

static void answered(connection *c, int i, const uint8_t *body, uint32_t len) {
    exchange *e = &exchanges[i];
    e->answers++;
    if (e->answers == 2 && memmem(body, len, "x-ai-eg-selected-backend", 24)) e->routed = 1;
    if (e->answers == MESSAGES && !memmem(body, len, "io.envoy.ai_gateway", 19)) e->routed = 0;
    if (e->answers < MESSAGES) {
        send_message(c, i, e->answers);
        return;
    }
    added[i] = now_ns() - due[i];
    frame(c, 0, DATA, END_STREAM, stream_of(i));
    close_exchange(c, i, 1);
}

/*
 * The answer being read, for the routed check. The server's answers here are a few hundred bytes
 * and each comes in one DATA frame, so one buffer serves all streams; were an answer split across
 * frames interleaved with another stream's, only the routed count could be wrong, never the
 * exchange or its timing.
 */
static uint8_t answer_body[1 << 20];
static uint32_t answer_len;

static void on_data(connection *c, int i, const uint8_t *p, int n) {
    exchange *e = &exchanges[i];
    while (n > 0 && e->open) {
        if (e->prefix_len < 5) {
            int k = 5 - e->prefix_len < n ? 5 - e->prefix_len : n;
            memcpy(e->prefix + e->prefix_len, p, (size_t)k);
            e->prefix_len += k, p += k, n -= k;
            if (e->prefix_len < 5) return;
            e->body_left = (uint32_t)e->prefix[1] << 24 | e->prefix[2] << 16 | e->prefix[3] << 8 | e->prefix[4];
            answer_len = 0;
        }
        uint32_t k = e->body_left < (uint32_t)n ? e->body_left : (uint32_t)n;
        if (answer_len + k <= sizeof answer_body) memcpy(answer_body + answer_len, p, k);
        answer_len += k, e->body_left -= k, p += k, n -= (int)k;
        if (e->body_left == 0) {
            e->prefix_len = 0;
            answered(c, i, answer_body, answer_len < sizeof answer_body ? answer_len : 0);
        }
    }
}

static void on_settings(connection *c, const uint8_t *p, int len) {
    for (int off = 0; off + 6 <= len; off += 6) {
        int id = p[off] << 8 | p[off + 1];
        uint32_t v = (uint32_t)p[off + 2] << 24 | p[off + 3] << 16 | p[off + 4] << 8 | p[off + 5];
        if (id == 3) c->max_streams = v > 100000 ? 100000 : (int)v;
    }
    frame(c, 0, SETTINGS, ACK, 0);
}

static void on_readable(int ci) {
    connection *c = &conns[ci];
    ssize_t n = read(c->fd, c->in + c->in_len, (size_t)(IN_BYTES - c->in_len));
    if (n == 0) {
        fprintf(stderr, "the server closed the connection\n");
        exit(3);
    }
    if (n < 0) {
        if (errno == EAGAIN) return;
        fail("read");
    }
    c->in_len += (int)n;
    int off = 0;
    while (c->in_len - off >= 9) {
        const uint8_t *h = c->in + off;
        int len = h[0] << 16 | h[1] << 8 | h[2], type = h[3], flags = h[4];
        uint32_t stream = (uint32_t)(h[5] & 0x7f) << 24 | h[6] << 16 | h[7] << 8 | h[8];
        if (c->in_len - off < 9 + len) break;
        const uint8_t *p = h + 9;
        off += 9 + len;
        int i = exchange_of(ci, stream);
        int ends = (flags & END_STREAM) && (type == DATA || type == HEADERS);
        switch (type) {
        case DATA: {
            int skip = flags & PADDED ? 1 + p[0] : 0, pad_len = flags & PADDED ? 1 : 0;
            c->unacknowledged += len;
            if (i >= 0) on_data(c, i, p + pad_len, len - skip);
            break;
        }
        case SETTINGS:
            if (!(flags & ACK)) on_settings(c, p, len);
            break;
        case PING:
            if (!(flags & ACK)) frame(c, 8, PING, ACK, 0), put(c, p, 8);
            break;
        case WINDOW_UPDATE:
            if (stream == 0) c->send_window += (uint32_t)(p[0] & 0x7f) << 24 | p[1] << 16 | p[2] << 8 | p[3];
            break;
        case GOAWAY:
            fprintf(stderr, "the server sent GOAWAY\n");
            exit(4);
        }
        if (i >= 0 && exchanges[i].open && (ends || type == RST_STREAM)) close_exchange(c, i, 0);
    }
    memmove(c->in, c->in + off, (size_t)(c->in_len - off));
    c->in_len -= off;
    if (c->unacknowledged > RECEIVE_WINDOW / 4) {
        frame(c, 4, WINDOW_UPDATE, 0, 0);
        put_u32(c, (uint32_t)c->unacknowledged);
        c->unacknowledged = 0;
    }
}

static void literal(const char *s) {
    int n = (int)strlen(s);
    first_block[first_block_len++] = (uint8_t)n;
    memcpy(first_block + first_block_len, s, (size_t)n);
    first_block_len += n;
}

/* HPACK: indexed :method POST and :scheme http; the first request's other four headers are
 * literals with incremental indexing, so they enter the dynamic table newest first (te at 62,
 * content-type 63, :authority 64, :path 65) and every later request is six indexed bytes. */
static void build_header_blocks(void) {
    first_block[first_block_len++] = 0x83;
    first_block[first_block_len++] = 0x86;
    first_block[first_block_len++] = 0x40 | 4; /* :path, static index 4 */
    literal("/envoy.service.ext_proc.v3.ExternalProcessor/Process");
    first_block[first_block_len++] = 0x40 | 1; /* :authority, static index 1 */
    literal("127.0.0.1");
    first_block[first_block_len++] = 0x40 | 31; /* content-type, static index 31 */
    literal("application/grpc");
    first_block[first_block_len++] = 0x40; /* te, a new name */
    literal("te");
    literal("trailers");
    const uint8_t indexed[] = {0x83, 0x86, 0x80 | 65, 0x80 | 64, 0x80 | 63, 0x80 | 62};
    memcpy(indexed_block, indexed, sizeof indexed);
    indexed_block_len = (int)sizeof indexed;
}

static void open_connection(connection *c, int port, int epoll) {
    c->fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(c->fd, (struct sockaddr *)&a, sizeof a)) fail("connect");
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    fcntl(c->fd, F_SETFL, O_NONBLOCK);
    c->in = malloc(IN_BYTES);
    c->out = malloc(OUT_BYTES);
    c->send_window = 65535;
    c->max_streams = 100;
    put(c, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 24);
    frame(c, 12, SETTINGS, 0, 0);
    setting(c, 2, 0);              /* SETTINGS_ENABLE_PUSH */
    setting(c, 4, RECEIVE_WINDOW); /* SETTINGS_INITIAL_WINDOW_SIZE */
    frame(c, 4, WINDOW_UPDATE, 0, 0);
    put_u32(c, RECEIVE_WINDOW - 65535);
    flush(c);
    struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t)(c - conns)};
    epoll_ctl(epoll, EPOLL_CTL_ADD, c->fd, &ev);
}

static long cpu_us_self(void) {
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1000000L + u.ru_utime.tv_usec + u.ru_stime.tv_usec;
}

/* user + system time of another process, from /proc/PID/stat fields 14 and 15 */
static long cpu_us_of(int pid) {
    char path[64], line[4096];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    char *got = fgets(line, sizeof line, f);
    fclose(f);
    char *after_name = got ? strrchr(line, ')') : NULL;
    unsigned long utime, stime;
    if (!after_name || sscanf(after_name + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime) != 2) return -1;
    return (long)((utime + stime) * 1000000UL / (unsigned long)sysconf(_SC_CLK_TCK));
}

int main(int argc, char **argv) {
    const char *dir = NULL;
    int port = 1063, rate = 5000, seconds = 20, warmup = 20, server_pid = 0, spin = 0;
    const char *dump = NULL;
    static struct option options[] = {
        {"messages", required_argument, 0, 'm'}, {"port", required_argument, 0, 'p'},
        {"rate", required_argument, 0, 'r'},     {"seconds", required_argument, 0, 's'},
        {"warmup", required_argument, 0, 'w'},   {"connections", required_argument, 0, 'c'},
        {"server-pid", required_argument, 0, 'P'}, {"spin", no_argument, 0, 'S'},
        {"dump", required_argument, 0, 'D'}, {0, 0, 0, 0}};
    for (int o; (o = getopt_long(argc, argv, "", options, NULL)) != -1;) {
        switch (o) {
        case 'm': dir = optarg; break;
        case 'p': port = atoi(optarg); break;
        case 'r': rate = atoi(optarg); break;
        case 's': seconds = atoi(optarg); break;
        case 'w': warmup = atoi(optarg); break;
        case 'c': connection_count = atoi(optarg); break;
        case 'P': server_pid = atoi(optarg); break;
        case 'S': spin = 1; break;
        case 'D': dump = optarg; break;
        default: return 1;
        }
    }
    if (!dir || rate <= 0 || seconds <= 0 || connection_count < 1 || connection_count > MAX_CONNECTIONS) {
        fprintf(stderr, "usage: extproc-load --messages DIR [--port 1063] [--rate 5000] [--seconds 20] "
                        "[--warmup 20] [--connections 1] [--server-pid PID] [--spin] [--dump FILE]\n");
        return 1;
    }
    /* opened before the run, so a bad path costs no run */
    FILE *dump_file = dump ? fopen(dump, "w") : NULL;
    if (dump && !dump_file) fail("dump");
    for (int k = 0; k < MESSAGES; k++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/m%d.bin", dir, k);
        message[k] = read_file(path, &message_len[k]);
    }
    build_header_blocks();
    /* without this the kernel may wake the loop up to 50 us after a start is due */
    prctl(PR_SET_TIMERSLACK, 1);
    int epoll = epoll_create1(0);
    for (int c = 0; c < connection_count; c++) open_connection(&conns[c], port, epoll);

    total = rate * (warmup + seconds);
    int measured_from = rate * warmup;
    exchanges = calloc((size_t)total, sizeof *exchanges);
    due = calloc((size_t)total, sizeof *due);
    added = calloc((size_t)total, sizeof *added);
    uint64_t period = 1000000000ull / (uint64_t)rate, begin = now_ns() + 20000000ull;
    long cpu_at_start = 0, server_cpu_at_start = 0;
    int failed_before = 0, measuring = 0, saturated = 0;
    while (finished < total) {
        if (!measuring && started >= measured_from) {
            measuring = 1;
            cpu_at_start = cpu_us_self();
            server_cpu_at_start = server_pid ? cpu_us_of(server_pid) : 0;
            failed_before = failed;
        }
        uint64_t now = now_ns();
        while (started < total && begin + started * period <= now &&
               conns[started % connection_count].open_streams < conns[started % connection_count].max_streams) {
            due[started] = begin + started * period; /* a start held back by the stream limit stays late */
            start(started++);
        }
        for (int c = 0; c < connection_count; c++)
            if (conns[c].out_len) flush(&conns[c]);
        struct epoll_event events[MAX_CONNECTIONS];
        int ready;
        uint64_t next = begin + started * period;
        now = now_ns();
        if (spin) {
            ready = epoll_wait(epoll, events, MAX_CONNECTIONS, 0);
        } else if (started < total && next > now) {
            struct timespec wait = {(time_t)((next - now) / 1000000000ull), (long)((next - now) % 1000000000ull)};
            ready = epoll_pwait2(epoll, events, MAX_CONNECTIONS, &wait, NULL);
        } else {
            ready = epoll_wait(epoll, events, MAX_CONNECTIONS, started < total ? 0 : 1000);
        }
        for (int k = 0; k < ready; k++) on_readable((int)events[k].data.u32);
        for (int c = 0; c < connection_count; c++)
            if (conns[c].out_len) flush(&conns[c]);
        if (started - finished > SATURATED) {
            saturated = 1;
            break;
        }
    }
    long cpu = cpu_us_self() - cpu_at_start;
    long server_cpu = server_pid ? cpu_us_of(server_pid) - server_cpu_at_start : -1;
    if (dump_file) {
        /* each measured exchange: its due time (CLOCK_MONOTONIC, seconds) and its added time (us) */
        for (int i = measured_from; i < total; i++)
            if (added[i]) fprintf(dump_file, "%.6f %.1f\n", due[i] / 1e9, added[i] / 1e3);
        if (fclose(dump_file)) fail("dump");
    }
    int n = 0, routed = 0;
    for (int i = measured_from; i < total; i++) {
        if (added[i]) added[measured_from + n++] = added[i];
        routed += exchanges[i].routed;
    }
    uint64_t *sorted = added + measured_from;
    sort_latencies(sorted, n);
    printf("rate %d/s, %d connection(s), %d s after %d s of warm-up%s\n", rate, connection_count, seconds, warmup,
           saturated ? ", SATURATED" : "");
    if (n == 0) return 5;
    printf("exchanges %d, failed %d, routed with metadata %d\n", n, failed - failed_before, routed);
    printf("added p50 %.0f us, p99 %.0f us, p99.9 %.0f us, max %.0f us\n", percentile_us(sorted, n, 0.5),
           percentile_us(sorted, n, 0.99), percentile_us(sorted, n, 0.999), sorted[n - 1] / 1e3);
    if (server_cpu >= 0) printf("CPU per exchange: server %.0f us, ", (double)server_cpu / n);
    printf("client %.0f us\n", (double)cpu / n);
    return saturated || failed > failed_before ? 6 : 0;
}
