/*
 * What this CPU allows, in C: one core's peak of AVX-512 multiply-adds, which the GEMM's
 * GFLOPS are measured against (117 on Zen 4, 262 on Zen 5 here), and, for two of the
 * kernels that stay behind PyTorch (README, Speed), how long reading a 784x256 weight
 * takes (a linear layer on one sample), as stored and transposed, the latter also 8 bytes
 * past a cache line's start, where a Java array may begin (its address is a multiple of 8
 * that the garbage collector chooses and may change), and the tanh derivative
 * computed from x with one exponential and one division; and what a page fault costs, which
 * a peer that maps and unmaps its large temporaries pays on every call (peer_kernels.py).
 *
 * Build: gcc -O3 -march=native -o /tmp/cpu_floors autodiff-examples/scripts/cpu_floors.c
 * Run:   /tmp/cpu_floors
 *
 * Every loop uses AVX-512 and 64-byte aligned arrays, which Java cannot choose. Each
 * figure is the best and the mean of many repetitions on warm caches.
 */
#include <immintrin.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

/* y = W x, W n x k row-major: eight rows at a time against one load of x, as RowDotKernel.multiplyRow. */
static void matrix_times_row(const float *w, const float *x, float *y, int n, int k) {
    for (int r = 0; r < n; r += 8) {
        const float *b = w + (long) r * k;
        __m512 s[8];
        for (int i = 0; i < 8; i++) s[i] = _mm512_setzero_ps();
        for (int p = 0; p < k; p += 16) {
            __m512 xv = _mm512_loadu_ps(x + p);
            for (int i = 0; i < 8; i++) s[i] = _mm512_fmadd_ps(xv, _mm512_loadu_ps(b + (long) i * k + p), s[i]);
        }
        for (int i = 0; i < 8; i++) y[r + i] = _mm512_reduce_add_ps(s[i]);
    }
}

/*
 * y = W x from the transposed weight (k x n): x[p] times a row of n, into n/16 accumulators
 * that stay in registers. One sequential stream instead of eight: does the layout matter?
 */
static void transposed_times_row(const float *wt, const float *x, float *y, int n, int k) {
    __m512 s[16];
    for (int j = 0; j < n / 16; j++) s[j] = _mm512_setzero_ps();
    for (int p = 0; p < k; p++) {
        __m512 xv = _mm512_set1_ps(x[p]);
        for (int j = 0; j < n / 16; j++) s[j] = _mm512_fmadd_ps(xv, _mm512_loadu_ps(wt + (long) p * n + 16 * j), s[j]);
    }
    for (int j = 0; j < n / 16; j++) _mm512_storeu_ps(y + 16 * j, s[j]);
}

/* out = g * 4e / (1 + e)^2 with e = e^{-2|x|}: tanh'(x) times g, from x, with a degree-5 exp. */
static void tanh_derivative(const float *g, const float *x, float *out, int n) {
    for (int i = 0; i < n; i += 16) {
        __m512 s = _mm512_mul_ps(_mm512_abs_ps(_mm512_loadu_ps(x + i)), _mm512_set1_ps(-2.885390081777927f));
        __m512 k = _mm512_roundscale_ps(s, 0);
        __m512 f = _mm512_sub_ps(s, k);
        __m512 p = _mm512_set1_ps(1.3333558e-3f);
        p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(9.6181291e-3f));
        p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(5.5504109e-2f));
        p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(2.4022651e-1f));
        p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(6.9314718e-1f));
        p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(1.0f));
        __m512 e = _mm512_castsi512_ps(_mm512_add_epi32(_mm512_castps_si512(p),
                                                        _mm512_slli_epi32(_mm512_cvtps_epi32(k), 23)));
        __m512 den = _mm512_fmadd_ps(e, _mm512_add_ps(e, _mm512_set1_ps(2.0f)), _mm512_set1_ps(1.0f));
        __m512 num = _mm512_mul_ps(_mm512_mul_ps(_mm512_loadu_ps(g + i), _mm512_set1_ps(4.0f)), e);
        _mm512_storeu_ps(out + i, _mm512_div_ps(num, den));
    }
}

/*
 * Sixteen independent chains of 512-bit multiply-adds: enough to fill two FMA pipes of
 * four cycles' latency. The chains stay finite (a * 0.999 + 0.001 tends to 1).
 */
static float fma_chains(long steps) {
    __m512 acc[16];
    __m512 a = _mm512_set1_ps(0.999f), b = _mm512_set1_ps(0.001f);
    for (int j = 0; j < 16; j++) acc[j] = _mm512_set1_ps((float) j);
    for (long i = 0; i < steps; i++) {
#pragma GCC unroll 16
        for (int j = 0; j < 16; j++) acc[j] = _mm512_fmadd_ps(acc[j], a, b);
    }
    float sum = 0;
    for (int j = 0; j < 16; j++) sum += _mm512_reduce_add_ps(acc[j]);
    return sum;
}

static const long FMA_STEPS = 20000000;
static float fma_check;

static void run_fma(void) { fma_check += fma_chains(FMA_STEPS); }

/* The operands of the loop being timed, so that one timer serves every loop. */
static float *w, *wt, *wt_off_line, *x, *y, *g, *v, *out;
static int n = 256, k = 784, m = 1 << 20;

static void run_rows(void) { matrix_times_row(w, x, y, n, k); }
static void run_transposed(void) { transposed_times_row(wt, x, y, n, k); }
static void run_transposed_off_line(void) { transposed_times_row(wt_off_line, x, y, n, k); }
static void run_tanh(void) { tanh_derivative(g, v, out, m); }

/* Maps 4 MB (1M floats, an activation's output), writes one byte per 4 KB page, unmaps it. */
static void run_fresh_pages(void) {
    size_t bytes = 4u << 20;
    volatile char *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) abort();
    for (size_t i = 0; i < bytes; i += 4096) p[i] = 1;
    munmap((void *) p, bytes);
}

/* The best and the mean time of reps runs, in seconds. */
static void measure(void (*run)(void), int reps, double *best, double *mean) {
    double total = 0;
    *best = 1e9;
    for (int r = 0; r < reps; r++) {
        double t0 = now();
        run();
        double t = now() - t0;
        total += t;
        if (t < *best) *best = t;
    }
    *mean = total / reps;
}

int main(void) {
    double best, mean;
    measure(run_fma, 20, &best, &mean);
    printf("one core's peak, 16 chains of 512-bit FMAs: %.1f GFLOPS at best, %.1f on average (check %g)\n",
           FMA_STEPS * 16.0 * 32 / best / 1e9, FMA_STEPS * 16.0 * 32 / mean / 1e9, fma_check);
    w = aligned_alloc(64, sizeof(float) * n * k);
    wt = aligned_alloc(64, sizeof(float) * n * k);
    /* 16 floats more keep the size a multiple of 64, as aligned_alloc wants; 2 of them are the offset */
    wt_off_line = (float *) aligned_alloc(64, sizeof(float) * (n * k + 16)) + 2;
    x = aligned_alloc(64, sizeof(float) * k);
    y = aligned_alloc(64, sizeof(float) * n);
    for (long i = 0; i < (long) n * k; i++) w[i] = 1e-3f * (float) (i % 7);
    for (int r = 0; r < n; r++)
        for (int p = 0; p < k; p++) wt[(long) p * n + r] = wt_off_line[(long) p * n + r] = w[(long) r * k + p];
    for (int i = 0; i < k; i++) x[i] = 1.0f;
    measure(run_rows, 20000, &best, &mean);
    printf("256x784 weight times one row: best %.2f us, mean %.2f us (%.0f GB/s at best)\n",
           best * 1e6, mean * 1e6, sizeof(float) * n * k / best / 1e9);
    measure(run_transposed, 20000, &best, &mean);
    printf("the same from the transposed weight (one stream): best %.2f us, mean %.2f us\n", best * 1e6, mean * 1e6);
    measure(run_transposed_off_line, 20000, &best, &mean);
    printf("the same, the transposed weight 8 bytes past a cache line: best %.2f us, mean %.2f us\n", best * 1e6, mean * 1e6);

    g = aligned_alloc(64, sizeof(float) * m);
    v = aligned_alloc(64, sizeof(float) * m);
    out = aligned_alloc(64, sizeof(float) * m);
    srand(1);
    for (int i = 0; i < m; i++) {
        v[i] = 8.0f * rand() / RAND_MAX - 4.0f;
        g[i] = (float) rand() / RAND_MAX;
    }
    measure(run_tanh, 300, &best, &mean);
    printf("tanh derivative from x, 1M floats: best %.3f ns, mean %.3f ns per element (check %g %g)\n",
           best * 1e9 / m, mean * 1e9 / m, y[5], out[100]);
    measure(run_fresh_pages, 200, &best, &mean);
    printf("a page fault, 4 MB freshly mapped and written: best %.2f us, mean %.2f us per 4 KB page\n",
           best * 1e6 / 1024, mean * 1e6 / 1024);
    return 0;
}
