/*
 * Are both cores running at full speed? Two threads run the same burst of AVX-512
 * multiply-adds on L1-resident data (about 1.5 ms), 400 times, starting together. On a
 * steady machine every burst takes about as long as the fastest; on this one, a core
 * sometimes runs bursts up to twice as long, for a while or for a whole run. Run it before and after
 * two-thread measurements: figures taken while it reports slow bursts are not ours alone.
 *
 * Then the link between the two cores: the threads pass one cache line back and forth for
 * two seconds, and the round trip is printed for each quarter second. On this machine (a VM
 * on Zen 5) it is 75-90 ns most of the time and 390-470 ns for spells of several seconds,
 * when the host runs the two virtual processors far apart; during such a spell a two-thread
 * training step is up to 1.7x slower, ours and PyTorch's alike (docs/performance-training.md).
 *
 * Build: gcc -O2 -march=native -pthread -o /tmp/core_steadiness autodiff-examples/scripts/core_steadiness.c
 * Run:   /tmp/core_steadiness
 */
#include <immintrin.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>

#define BURSTS 400

static pthread_barrier_t start;
static double seconds[2][BURSTS];

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static void *bursts(void *arg) {
    int id = (int) (long) arg;
    float data[4096];
    for (int i = 0; i < 4096; i++) data[i] = 1e-3f * i;
    for (int b = 0; b < BURSTS; b++) {
        pthread_barrier_wait(&start);
        double t0 = now();
        __m512 acc[8];
        for (int j = 0; j < 8; j++) acc[j] = _mm512_set1_ps(j);
        for (long it = 0; it < 200000; it++)
            for (int j = 0; j < 8; j++)
                acc[j] = _mm512_fmadd_ps(acc[j], _mm512_loadu_ps(data + 16 * j + (it & 63) * 16), acc[(j + 1) & 7]);
        float sum = 0;
        for (int j = 0; j < 8; j++) sum += _mm512_reduce_add_ps(acc[j]);
        data[0] += sum * 1e-30f; /* keeps the work */
        seconds[id][b] = now() - t0;
    }
    return 0;
}

#define LINK_SPELLS 8
#define LINK_SPELL 0.25

static _Alignas(64) _Atomic long ball; /* odd: the second thread's turn to pass it back */
static _Atomic int link_done;

static void *link_partner(void *arg) {
    (void) arg;
    while (!atomic_load_explicit(&link_done, memory_order_relaxed)) {
        long b = atomic_load_explicit(&ball, memory_order_acquire);
        if (b & 1) atomic_store_explicit(&ball, b + 1, memory_order_release);
    }
    return 0;
}

/* Round trips of one cache line between two threads, in ns, for LINK_SPELLS spells. */
static void link_round_trips(double ns[LINK_SPELLS]) {
    pthread_t partner;
    pthread_create(&partner, 0, link_partner, 0);
    for (int s = 0; s < LINK_SPELLS; s++) {
        long trips = 0;
        double t0 = now(), t;
        do {
            for (int i = 0; i < 1000; i++) {
                long b = atomic_load_explicit(&ball, memory_order_acquire);
                atomic_store_explicit(&ball, b + 1, memory_order_release);
                while (atomic_load_explicit(&ball, memory_order_acquire) == b + 1) {}
            }
            trips += 1000;
        } while ((t = now()) - t0 < LINK_SPELL);
        ns[s] = (t - t0) / trips * 1e9;
    }
    atomic_store(&link_done, 1);
    pthread_join(partner, 0);
}

int main(void) {
    pthread_barrier_init(&start, 0, 2);
    pthread_t threads[2];
    for (long i = 0; i < 2; i++) pthread_create(&threads[i], 0, bursts, (void *) i);
    for (int i = 0; i < 2; i++) pthread_join(threads[i], 0);
    for (int id = 0; id < 2; id++) {
        double min = 1e9, max = 0, sum = 0;
        for (int b = 0; b < BURSTS; b++) {
            double s = seconds[id][b];
            if (s < min) min = s;
            if (s > max) max = s;
            sum += s;
        }
        int slow = 0;
        for (int b = 0; b < BURSTS; b++) slow += seconds[id][b] > 1.2 * min;
        printf("thread %d: burst %.2f ms at best, %.2f mean, %.2f at worst; %d of %d bursts over 1.2x the best\n",
               id, min * 1e3, sum / BURSTS * 1e3, max * 1e3, slow, BURSTS);
    }
    double ns[LINK_SPELLS];
    link_round_trips(ns);
    printf("cache line round trip between the threads, ns, per %.2f s:", LINK_SPELL);
    for (int s = 0; s < LINK_SPELLS; s++) printf(" %.0f", ns[s]);
    printf("\n");
    return 0;
}
