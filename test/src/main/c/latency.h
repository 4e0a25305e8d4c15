/* The clock and the percentiles shared by extproc-load and loopback-floor. */
#ifndef AIGW_BENCH_LATENCY_H
#define AIGW_BENCH_LATENCY_H

#include <stdint.h>
#include <stdlib.h>
#include <time.h>

static uint64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

static int by_value(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* sorts the n latencies in place; percentile_us then reads them */
static void sort_latencies(uint64_t *ns, int n) { qsort(ns, (size_t)n, sizeof *ns, by_value); }

static double percentile_us(const uint64_t *sorted, int n, double q) {
    int k = (int)(q * n);
    return sorted[k < n ? k : n - 1] / 1e3;
}

#endif
