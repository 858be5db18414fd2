package dev.autodiff.simd;

import static dev.autodiff.simd.MicroKernel.MR;
import static dev.autodiff.simd.MicroKernel.NARROW_MR;
import static dev.autodiff.simd.MicroKernel.NR;

import dev.autodiff.kernel.KernelPool;
import dev.autodiff.kernel.ScalarMath;

/**
 * Matrix products in the BLIS style. For each chunk of columns, B is packed into panels;
 * then tiles of C go to the threads: when B has at least two panels per thread and A is not
 * transposed, or has too few rows to give each thread two blocks, each thread packs a range
 * of panels and multiplies all of A by them; otherwise the packing is shared, then row blocks
 * are, so that a transposed A, which each tile packs, is packed once. A tile walks the
 * shared dimension in blocks of {@link #KC}, and the {@link MicroKernel} adds each block's
 * product into C. Every element of C sums its blocks in the same order whatever the tiling,
 * so results do not depend on the thread count. A·Bᵀ with a few panels of rows against many
 * rows of B (a layer on a small batch) runs as (B·Aᵀ)ᵀ, packing the small operand, with the
 * same bits. Aᵀ·B with few rows (a classifier's weight gradient) packs nothing. Tiny products
 * skip packing and run the reference's loops.
 */
final class Gemm {
    /**
     * The shared-dimension block. A micro-panel of B is KC·NR floats, which the micro-kernel
     * streams from L2 as fast as from L1; a longer block means fewer passes over C, whose loads
     * and stores cost more than that stream.
     */
    static final int KC = 1024;
    /** The row block: MC rows of A by KC stay in L2 while the panels of a tile stream by. */
    static final int MC = 128;
    /** The packed B of one column chunk stays below this many floats. */
    private static final int B_CHUNK_FLOATS = 1 << 20;
    /** Products with fewer multiply-adds run the plain loops, but for a row times a matrix, which the vectors serve better. */
    private static final long TINY = 4096;
    /**
     * Products with fewer multiply-adds stay on the calling thread. From here, a product takes
     * about 10 µs on one core, and a hand-off costs a few.
     */
    private static final long PARALLEL_MIN = 1L << 19;
    /**
     * A row times a matrix splits its columns between threads from this many multiply-adds:
     * it is bound by reading the matrix, and each core then reads half of it from its own caches.
     */
    private static final long ROW_PARALLEL_MIN = 1L << 16;

    /**
     * Pieces per thread for a product whose pieces cost nothing extra (no operand packed per
     * piece, and A stays in L2 from one to the next). The threads claim pieces as they come,
     * so a core that runs slowly or wakes late leaves more of them to the others, where one
     * piece per thread made every call wait for the slow core's half.
     */
    private static final int PIECES_PER_THREAD = 4;

    // The thresholds below were set by benchmark; docs/performance-kernels.md has the figures.

    /**
     * A·Bᵀ runs unpacked when A has at most this many rows (with more, packing B pays), or when
     * op(B) has at most one vector of columns (a panel for them would run mostly empty lanes)...
     */
    static final int ROW_DOT_MAX_M = 64;
    /** ...the shared dimension is long enough to amortise the lane sums... */
    static final int ROW_DOT_MIN_K = 64;
    /** ...and A, reread for every group of rows of B, fits this many floats, half of L2. */
    static final long ROW_DOT_MAX_A = 1 << 17;
    /**
     * A·B with at most this many columns transposes B and runs as A·Bᵀ, unpacked: a narrow
     * panel would leave more than a quarter of its lanes empty.
     */
    static final int ROW_DOT_MAX_N = 12;

    /** Aᵀ·B with at most this many rows (a classifier's weight gradient) reads both operands where they are stored. */
    static final int FEW_ROWS_MAX_M = 2 * MicroKernel.FEW_MR;

    /**
     * Weights of more floats (4 MB) get no one-row layout ({@link #packForOneRow}): read from
     * L3 or memory, they take as long on either path (on Zen 5, 1024×1024 42 µs either way,
     * 2048×2048 180–187 µs as stored and 202–204 packed, where 256×784 goes from 6.6–6.7 to
     * 5.4–5.9 µs and 1024×512 from 23.8–23.9 to 19.9–20.0), and the copy would double a
     * large model's memory.
     */
    static final long ONE_ROW_MAX_FLOATS = 1 << 20;

    /**
     * A·Bᵀ whose op(B) has at least this many times as many columns as A has rows runs as
     * (B·Aᵀ)ᵀ, if A's rows fill whole panels ({@link #swapsRoles}).
     */
    static final int SWAP_MIN_RATIO = 2;

    private static final ThreadLocal<float[][]> BUFFERS = ThreadLocal.withInitial(() -> new float[4][0]);
    private static final ThreadLocal<Product> PRODUCTS = ThreadLocal.withInitial(Product::new);

    private final KernelPool pool;

    Gemm(KernelPool pool) {
        this.pool = pool;
    }

    void gemm(int batch, boolean transA, boolean transB, int m, int n, int k,
              float[] a, int aOffset, int aBatchStride,
              float[] b, int bOffset, int bBatchStride,
              float[] c, int cOffset, int cBatchStride, boolean accumulate) {
        for (int bt = 0; bt < batch; bt++) {
            product(transA, transB, m, n, k, a, aOffset + bt * aBatchStride, b, bOffset + bt * bBatchStride,
                    c, cOffset + bt * cBatchStride, !accumulate, null);
        }
    }

    /**
     * A linear layer's forward product {@code C = x·wᵀ}, x m×k and w n×k, finished by
     * {@code epilogue} block by block.
     */
    void linear(int m, int n, int k, float[] x, float[] w, float[] c, Epilogue epilogue) {
        product(false, true, m, n, k, x, 0, w, 0, c, 0, true, epilogue);
    }

    /**
     * The weight of a {@link #linear} with n×k {@code w}, packed for {@link #linearOneRow}:
     * its {@link RowPanelKernel#covered} rows in panels of the width for this pool's threads,
     * or null when that is none (fewer than {@link RowPanelKernel#NARROW} outputs, or vectors
     * too narrow for the kernel) or the weight is larger than {@link #ONE_ROW_MAX_FLOATS}.
     * Whether there is a layout, and which columns it covers, does not depend on the threads.
     */
    float[] packForOneRow(int n, int k, float[] w) {
        boolean packs = RowPanelKernel.APPLIES && RowPanelKernel.covered(n) > 0 && (long) n * k <= ONE_ROW_MAX_FLOATS;
        return packs ? RowPanelKernel.pack(w, n, k, RowPanelKernel.width(pool.threads())) : null;
    }

    /**
     * {@link #linear} for one row x, with {@code packed} from {@link #packForOneRow} for
     * {@code w}: the columns of its panels from there, each summed in k order, the rest
     * (fewer than a narrow panel) as lane-split dot products ({@link RowDotKernel#multiplyRow}),
     * a unit of work of their own. The threads split the units, so the sums do not depend
     * on the split.
     */
    void linearOneRow(int n, int k, float[] x, float[] w, float[] packed, float[] c, Epilogue epilogue) {
        int width = RowPanelKernel.width(pool.threads());
        int covered = RowPanelKernel.covered(n);
        boolean parallel = pool.threads() > 1 && (long) n * k >= ROW_PARALLEL_MIN;
        Product p = PRODUCTS.get().of(false, true, 1, n, k, x, 0, w, 0, c, 0, true, epilogue);
        p.packed = packed;
        p.panelWidth = width;
        int panels = (covered + width - 1) / width;
        p.units = panels + (covered < n ? 1 : 0);
        p.tasks = parallel ? Math.min(p.units, pool.threads()) : 1;
        run(parallel, p, Gemm::oneRowTask);
        p.release();
    }

    /** Task {@code task} of {@link #linearOneRow}: its range of units, panels and the columns past them. */
    private static void oneRowTask(Product p, int task) {
        int n = p.n;
        int k = p.k;
        int width = p.panelWidth;
        int covered = RowPanelKernel.covered(n);
        int end = (task + 1) * p.units / p.tasks;
        for (int u = task * p.units / p.tasks; u < end; u++) {
            int j = u * width;
            int cols;
            if (j < covered) {
                cols = RowPanelKernel.panelColumns(j, covered, width);
                if (cols == RowPanelKernel.WIDE) {
                    RowPanelKernel.multiply(k, p.a, p.packed, j * k, p.c, j);
                } else {
                    RowPanelKernel.multiplyNarrow(k, p.a, p.packed, j * k, p.c, j);
                }
            } else {
                j = covered;
                cols = n - covered;
                for (int g = j; g < n; g += RowDotKernel.ROW_TILE) {
                    RowDotKernel.multiplyRow(k, p.a, 0, p.b, g * k, k, p.c, g, 1, Math.min(RowDotKernel.ROW_TILE, n - g), true);
                }
            }
            if (p.epilogue != null) {
                p.epilogue.apply(p.c, j, n, 1, j, cols);
            }
        }
    }

    /** One product on the path its shape calls for; {@code epilogue} (or null) finishes each block of C. */
    private void product(boolean transA, boolean transB, int m, int n, int k, float[] a, int ao, float[] b, int bo,
                         float[] c, int co, boolean overwrite, Epilogue epilogue) {
        if (m == 0 || n == 0) {
            return;
        }
        if ((long) m * n * k <= TINY && !(m == 1 && !transA && transB && k >= ROW_DOT_MIN_K)) {
            if (overwrite) {
                java.util.Arrays.fill(c, co, co + m * n, 0f);
            }
            ScalarMath.addProduct(transA, transB, m, n, k, a, ao, b, bo, c, co);
            if (epilogue != null) {
                epilogue.apply(c, co, n, m, 0, n);
            }
            return;
        }
        Product p = PRODUCTS.get().of(transA, transB, m, n, k, a, ao, b, bo, c, co, overwrite, epilogue);
        if (!transA && transB && overwrite && swapsRoles(m, n, k)) {
            transposedProduct(p);
        } else if (!transA && transB && rowDot(m, n, k)) {
            rowDot(p);
        } else if (!transA && !transB && n <= ROW_DOT_MAX_N && rowDot(m, n, k)) {
            // few columns: transposing B costs little and fills more lanes than a narrow panel
            float[] columns = buffer(0, n * k);
            GemmPacking.transposeNarrow(b, bo, k, n, columns);
            p.b = columns;
            p.bo = 0;
            rowDot(p);
        } else if (transA && !transB && m <= FEW_ROWS_MAX_M) {
            fewRows(p);
        } else if (!transA && !transB && m == 1) {
            rowTimesMatrix(p);
        } else {
            blocked(p);
        }
        p.release();
    }

    /**
     * The operands and plan of the product the calling thread is running, which its tasks
     * read: one per thread, filled anew for every product, so that handing the tasks to the
     * pool makes no garbage. Unlike the elementwise kernels' contexts it is filled for products
     * that stay on one thread too: past {@link #TINY} a product takes a microsecond or more,
     * and the stores' write barriers tens of nanoseconds.
     */
    private static final class Product {
        boolean transA;
        boolean transB;
        boolean overwrite;
        int m;
        int n;
        int k;
        float[] a;
        int ao;
        float[] b;
        int bo;
        float[] c;
        int co;
        Epilogue epilogue;
        /** How many tasks share the work, and into how many units (column groups, blocks or panels) it is cut. */
        int tasks;
        int units;
        /** The current column chunk: its first column, its width, its panels and their packing. */
        int j0;
        int nc;
        int panels;
        float[] packed;
        /** The width of the panels of a one-row layout ({@link #linearOneRow}). */
        int panelWidth;
        /** The row block and the column tiles a chunk is cut into. */
        int mc;
        int colTiles;
        int chunkPanels;

        Product of(boolean transA, boolean transB, int m, int n, int k, float[] a, int ao, float[] b, int bo,
                   float[] c, int co, boolean overwrite, Epilogue epilogue) {
            this.transA = transA;
            this.transB = transB;
            this.m = m;
            this.n = n;
            this.k = k;
            this.a = a;
            this.ao = ao;
            this.b = b;
            this.bo = bo;
            this.c = c;
            this.co = co;
            this.overwrite = overwrite;
            this.epilogue = epilogue;
            return this;
        }

        /** Holds none of the caller's arrays between products. */
        void release() {
            a = null;
            b = null;
            c = null;
            packed = null;
            epilogue = null;
        }
    }

    /**
     * Whether A·Bᵀ computes its transpose B·Aᵀ instead: when A has several times fewer rows than
     * B, packing A as the transpose's right operand costs a fraction of packing B, and the
     * micro-kernel reads B's rows as they are stored. Only when A's rows fill whole panels of
     * the transpose: the empty lanes of a partial panel (a tenth of the work at 200 rows) cost
     * more than the packing saves. The transposition into C runs in 16×16 register blocks, and
     * packed A stays within one chunk of B's size.
     */
    private static boolean swapsRoles(int m, int n, int k) {
        return BlockTranspose.APPLIES && m % NR == 0 && (long) m * SWAP_MIN_RATIO <= n && (long) m * k <= B_CHUNK_FLOATS;
    }

    /**
     * {@code C = A·Bᵀ} as {@code (B·Aᵀ)ᵀ}, in one hand-off to the threads: each packs A whole
     * (the transpose's right operand, and the small one), multiplies its range of B's rows by
     * it into scratch, transposes that range into C's columns and finishes them with
     * {@code epilogue}. Each element sums the same products in the same order as the direct
     * product (the micro-kernel's fused multiply-adds over the shared dimension, block by
     * block), so the bits are the same.
     */
    private void transposedProduct(Product p) {
        p.packed = buffer(3, p.n * p.m);
        boolean parallel = pool.threads() > 1 && (long) p.m * p.n * p.k >= PARALLEL_MIN;
        p.units = (p.n + BlockTranspose.SIZE - 1) / BlockTranspose.SIZE;
        p.tasks = parallel ? Math.min(p.units, pool.threads()) : 1;
        p.panels = p.m / NR;
        run(parallel, p, Gemm::transposedProductTask);
    }

    /** Task {@code task} of {@link #transposedProduct}: its range of blocks of C's columns. */
    private static void transposedProductTask(Product p, int task) {
        int m = p.m;
        int n = p.n;
        int k = p.k;
        int size = BlockTranspose.SIZE;
        float[] packedA = buffer(0, k * m);
        for (int q = 0; q < p.panels; q++) {
            GemmPacking.packB(true, p.a, p.ao, m, k, q * NR, NR, NR, packedA, q * k * NR);
        }
        int j0 = task * p.units / p.tasks * size;
        int j1 = Math.min(n, (task + 1) * p.units / p.tasks * size);
        for (int i0 = j0; i0 < j1; i0 += MC) {
            tile(false, n, m, k, p.b, p.bo, packedA, p.packed, 0, m, i0, Math.min(MC, j1 - i0), 0, p.panels, true, null, 0);
        }
        transposeColumns(p.packed, m, n, j0, j1, p.c, p.co);
        if (p.epilogue != null) {
            p.epilogue.apply(p.c, p.co + j0, n, m, j0, j1 - j0);
        }
    }

    /**
     * Columns {@code [j0, j1)} of C (m×n at {@code c[co..]}, m a multiple of 16) from rows
     * {@code [j0, j1)} of the n×m {@code t}: {@code c[i][j] = t[j][i]}.
     */
    private static void transposeColumns(float[] t, int m, int n, int j0, int j1, float[] c, int co) {
        int size = BlockTranspose.SIZE;
        int blockEnd = j0 + (j1 - j0) / size * size;
        for (int i = 0; i < m; i += size) {
            for (int j = j0; j < blockEnd; j += size) {
                BlockTranspose.transpose(t, j * m + i, m, c, co + i * n + j, n);
            }
        }
        for (int i = 0; i < m; i++) {
            for (int j = blockEnd; j < j1; j++) {
                c[co + i * n + j] = t[j * m + i];
            }
        }
    }

    /**
     * Whether A·Bᵀ runs unpacked on {@link RowDotKernel}: when A has few rows, so that packing
     * Bᵀ would serve too few of them, or op(B) few columns, and A stays in L2 while the rows
     * of B stream by.
     */
    private static boolean rowDot(int m, int n, int k) {
        return (m <= ROW_DOT_MAX_M || n <= MicroKernel.NR / 2) && k >= ROW_DOT_MIN_K && (long) m * k <= ROW_DOT_MAX_A;
    }

    /**
     * A·Bᵀ by {@link RowDotKernel} tiles. Each group of rows of B (columns of C) stays in L1
     * while all of A passes by; the groups are split between threads, and each tile's sums
     * do not depend on the split.
     */
    private void rowDot(Product p) {
        int m = p.m;
        long nk = (long) p.n * p.k;
        p.units = (p.n + rowDotTile(m) - 1) / rowDotTile(m);
        boolean parallel = pool.threads() > 1 && (m * nk >= PARALLEL_MIN || (m == 1 && nk >= ROW_PARALLEL_MIN));
        // one sample's product takes a few microseconds: there, each further piece costs more than it balances
        p.tasks = !parallel ? 1 : m == 1 ? Math.min(p.units, pool.threads()) : pieces(p.units);
        run(parallel, p, Gemm::rowDotTask);
    }

    /** The columns of a {@link #rowDot} group: one row of A (a layer on one sample) runs as a vector times rows of B. */
    private static int rowDotTile(int m) {
        return m == 1 ? RowDotKernel.ROW_TILE : RowDotKernel.TILE;
    }

    /** Task {@code task} of {@link #rowDot}: its range of column groups. */
    private static void rowDotTask(Product p, int task) {
        int m = p.m;
        int n = p.n;
        int k = p.k;
        float[] a = p.a;
        int ao = p.ao;
        float[] b = p.b;
        int bo = p.bo;
        float[] c = p.c;
        int co = p.co;
        boolean overwrite = p.overwrite;
        Epilogue epilogue = p.epilogue;
        int t = rowDotTile(m);
        int groups = p.units;
        // the epilogue runs on a vector's width of finished columns at a time, while they are in L1
        int groupsPerVector = Math.max(1, MicroKernel.NR / 2 / t);
        int end = (task + 1) * groups / p.tasks;
        for (int g0 = task * groups / p.tasks; g0 < end; g0 += groupsPerVector) {
            int g1 = Math.min(end, g0 + groupsPerVector);
            for (int g = g0; g < g1; g++) {
                int j = g * t;
                int cols = Math.min(t, n - j);
                if (m == 1) {
                    RowDotKernel.multiplyRow(k, a, ao, b, bo + j * k, k, c, co + j, 1, cols, overwrite);
                } else if (cols <= t / 2) {
                    // the last one or two columns of op(B) (a 10-class output layer): a tile would run
                    // half or more of its multiply-adds on copies, so each column is one row of B times
                    // eight rows of A at a time, down the column of C
                    for (int jj = j; jj < j + cols; jj++) {
                        for (int i = 0; i < m; i += RowDotKernel.ROW_TILE) {
                            RowDotKernel.multiplyRow(k, b, bo + jj * k, a, ao + i * k, k, c, co + i * n + jj, n,
                                    Math.min(RowDotKernel.ROW_TILE, m - i), overwrite);
                        }
                    }
                } else {
                    for (int i = 0; i < m; i += t) {
                        RowDotKernel.multiply(k, a, ao + i * k, k, b, bo + j * k, k, c, co + i * n + j, n,
                                Math.min(t, m - i), cols, overwrite);
                    }
                }
            }
            if (epilogue != null) {
                int from = g0 * t;
                epilogue.apply(c, co + from, n, m, from, Math.min(n, g1 * t) - from);
            }
        }
    }

    /**
     * Aᵀ·B for an A of few rows, unpacked ({@link MicroKernel#multiplyFewRows}): each
     * two-vector strip of B's columns serves every row of C from where B is stored, so
     * nothing is packed but the last strip when it is partial (its columns, zero-padded, a
     * block at a time). The strips are split between the threads.
     */
    private void fewRows(Product p) {
        p.units = (p.n + NR - 1) / NR;
        boolean parallel = pool.threads() > 1 && (long) p.m * p.n * p.k >= PARALLEL_MIN;
        p.tasks = parallel ? pieces(p.units) : 1;
        run(parallel, p, Gemm::fewRowsTask);
    }

    /** Task {@code task} of {@link #fewRows}: its range of strips. */
    private static void fewRowsTask(Product p, int task) {
        int m = p.m;
        int n = p.n;
        int k = p.k;
        float[] edge = buffer(2, MicroKernel.SCRATCH);
        int end = (task + 1) * p.units / p.tasks;
        for (int strip = task * p.units / p.tasks; strip < end; strip++) {
            int j = strip * NR;
            int cols = Math.min(NR, n - j);
            for (int p0 = 0; p0 < k; p0 += KC) {
                int kc = Math.min(KC, k - p0);
                float[] b = p.b;
                int b0 = p.bo + p0 * n + j;
                int ldb = n;
                if (cols < NR) {
                    b = buffer(1, kc * NR);
                    GemmPacking.packB(false, p.b, p.bo + p0 * n, n, kc, j, cols, NR, b, 0);
                    b0 = 0;
                    ldb = NR;
                }
                for (int r0 = 0; r0 < m; r0 += MicroKernel.FEW_MR) {
                    MicroKernel.multiplyFewRows(kc, p.a, p.ao + p0 * m + r0, m, b, b0, ldb, p.c, p.co + r0 * n + j, n,
                            Math.min(MicroKernel.FEW_MR, m - r0), cols, edge, p.overwrite && p0 == 0);
                }
            }
        }
    }

    /**
     * One row of A times B as stored ({@link MicroKernel#multiplyRowEightVectors}): packing B
     * would read and write all of it for one multiply-add per element. Blocks of columns are
     * split between the threads, as a row times a transposed B splits its columns
     * ({@link #rowDot}); each column sums over {@link #KC} blocks of k as the packed path does.
     */
    private void rowTimesMatrix(Product p) {
        p.units = (p.n + MicroKernel.ROW_BLOCK - 1) / MicroKernel.ROW_BLOCK;
        boolean parallel = pool.threads() > 1 && (long) p.n * p.k >= ROW_PARALLEL_MIN;
        p.tasks = parallel ? Math.min(p.units, pool.threads()) : 1;
        run(parallel, p, Gemm::rowTimesMatrixTask);
    }

    /** Task {@code task} of {@link #rowTimesMatrix}: its range of column blocks, the last one possibly partial. */
    private static void rowTimesMatrixTask(Product p, int task) {
        int n = p.n;
        int k = p.k;
        int from = task * p.units / p.tasks * MicroKernel.ROW_BLOCK;
        int end = Math.min(n, (task + 1) * p.units / p.tasks * MicroKernel.ROW_BLOCK);
        for (int j0 = from; j0 < end; j0 += MicroKernel.ROW_BLOCK) {
            for (int p0 = 0; p0 < k; p0 += KC) {
                int kc = Math.min(KC, k - p0);
                boolean store = p.overwrite && p0 == 0;
                int b0 = p.bo + p0 * n;
                if (end - j0 >= MicroKernel.ROW_BLOCK) {
                    MicroKernel.multiplyRowEightVectors(kc, p.a, p.ao + p0, p.b, b0 + j0, n, p.c, p.co + j0, store);
                } else {
                    MicroKernel.multiplyRowVectors(kc, p.a, p.ao + p0, p.b, b0 + j0, n, p.c, p.co + j0, end - j0, store);
                }
            }
        }
        if (p.epilogue != null) {
            p.epilogue.apply(p.c, p.co + from, n, 1, from, end - from);
        }
    }

    private void blocked(Product p) {
        int m = p.m;
        int n = p.n;
        int k = p.k;
        boolean parallel = pool.threads() > 1 && (long) m * n * k >= PARALLEL_MIN;
        int threads = parallel ? pool.threads() : 1;
        p.chunkPanels = Math.max(1, B_CHUNK_FLOATS / (k * NR));
        p.units = (n + NR - 1) / NR;
        // enough row blocks for every thread when there are rows for it
        p.mc = Math.min(MC, roundUp((m + threads - 1) / threads, MR));
        int rowBlocks = (m + p.mc - 1) / p.mc;
        // a transposed A, which every tile packs for its rows, is packed once per thread by the
        // column ranges, and as often by the shared packing once it has too few row blocks to
        // give each thread two, and splits the columns too
        if (parallel && (!p.transA || rowBlocks < 2 * threads) && p.units >= 2 * threads) {
            // every piece reads all of A: more pieces than threads only while A, as stored, stays
            // in L2 between them (a transposed A is packed again by every piece)
            p.tasks = !p.transA && (long) m * k <= ROW_DOT_MAX_A ? pieces(p.units) : threads;
            pool.forEach(p.tasks, p, Gemm::columnRangesTask);
            return;
        }
        p.packed = buffer(0, k * NR * Math.min(p.chunkPanels, p.units));
        for (int firstPanel = 0; firstPanel < p.units; firstPanel += p.chunkPanels) {
            p.j0 = firstPanel * NR;
            p.nc = Math.min(n - p.j0, p.chunkPanels * NR);
            p.panels = (p.nc + NR - 1) / NR;
            p.tasks = p.panels;
            run(parallel, p, Gemm::packTask);
            // two tiles per thread, so that a thread that starts late leaves its second to the other
            p.colTiles = Math.min(p.panels, Math.max(1, (2 * threads + rowBlocks - 1) / rowBlocks));
            p.tasks = rowBlocks * p.colTiles;
            run(parallel, p, Gemm::tileTask);
        }
    }

    /** Task {@code q} of {@link #blocked}'s packing: panel q of the current chunk of B. */
    private static void packTask(Product p, int q) {
        int cols = Math.min(NR, p.nc - q * NR);
        GemmPacking.packB(p.transB, p.b, p.bo, p.n, p.k, p.j0 + q * NR, cols, MicroKernel.panelWidth(cols),
                p.packed, q * p.k * NR);
    }

    /** Task {@code t} of {@link #blocked}'s products: one row block times one range of the chunk's panels. */
    private static void tileTask(Product p, int t) {
        int i0 = (t / p.colTiles) * p.mc;
        int tile = t % p.colTiles;
        tile(p.transA, p.m, p.n, p.k, p.a, p.ao, p.packed, p.c, p.co + p.j0, p.nc, i0, Math.min(p.mc, p.m - i0),
                tile * p.panels / p.colTiles, (tile + 1) * p.panels / p.colTiles, p.overwrite, p.epilogue, p.j0);
    }

    /**
     * Task {@code t} of the parallel product when B has panels enough for every thread, and A is
     * read as it is stored or has rows too few to share: each thread packs a range of B's panels
     * and multiplies all of A by them (packing a transposed A for itself). One hand-off per product, no barrier between packing and multiplying, and a thread's panels
     * stay in its own caches; sharing the packing and then the row blocks (the other way)
     * costs a second hand-off and packs panels into one core's cache that the other core then
     * reads.
     */
    private static void columnRangesTask(Product p, int t) {
        int m = p.m;
        int n = p.n;
        int k = p.k;
        int end = (t + 1) * p.units / p.tasks;
        for (int first = t * p.units / p.tasks; first < end; first += p.chunkPanels) {
            int panels = Math.min(p.chunkPanels, end - first);
            int j0 = first * NR;
            int nc = Math.min(n - j0, panels * NR);
            float[] packedB = buffer(0, k * NR * panels);
            for (int q = 0; q < panels; q++) {
                int cols = Math.min(NR, nc - q * NR);
                GemmPacking.packB(p.transB, p.b, p.bo, n, k, j0 + q * NR, cols, MicroKernel.panelWidth(cols), packedB, q * k * NR);
            }
            for (int i0 = 0; i0 < m; i0 += MC) {
                tile(p.transA, m, n, k, p.a, p.ao, packedB, p.c, p.co + j0, nc, i0, Math.min(MC, m - i0), 0, panels,
                        p.overwrite, p.epilogue, j0);
            }
        }
    }

    /**
     * Rows {@code [i0, i0+rows)} of C times panels {@code [q0, q1)} of the packed chunk, whose
     * first column is column {@code j0} of C. With {@code overwrite} the first block of the
     * shared dimension stores its product, so C needs no clearing beforehand; after the last,
     * {@code epilogue} (or null) finishes each micro-tile.
     */
    private static void tile(boolean transA, int m, int n, int k, float[] a, int ao, float[] packedB,
                             float[] c, int co, int nc, int i0, int rows, int q0, int q1, boolean overwrite,
                             Epilogue epilogue, int j0) {
        float[] packedA = transA ? buffer(1, roundUp(rows, MR) * Math.min(KC, k)) : null;
        float[] edge = buffer(2, MicroKernel.SCRATCH);
        for (int p0 = 0; p0 < k; p0 += KC) {
            int kc = Math.min(KC, k - p0);
            boolean store = overwrite && p0 == 0;
            Epilogue finish = p0 + kc == k ? epilogue : null;
            if (transA) {
                GemmPacking.packTransposedA(a, ao, m, i0, rows, p0, kc, packedA);
            }
            int base = ao + i0 * k + p0;
            for (int q = q0; q < q1; q++) {
                int cols = Math.min(NR, nc - q * NR);
                int width = MicroKernel.panelWidth(cols);
                int bBase = q * k * NR + p0 * width;
                int cBase = co + i0 * n + q * NR;
                if (transA && width == NR) {
                    for (int r = 0; r < rows; r += MR) {
                        MicroKernel.multiplyPackedA(kc, packedA, r * kc, packedB, bBase,
                                c, cBase + r * n, n, Math.min(MR, rows - r), cols, edge, store);
                        if (finish != null) {
                            finish.apply(c, cBase + r * n, n, Math.min(MR, rows - r), j0 + q * NR, cols);
                        }
                    }
                } else if (transA) {
                    for (int r = 0; r < rows; r += NARROW_MR) {
                        MicroKernel.multiplyPackedANarrow(kc, packedA, r * kc, packedB, bBase,
                                c, cBase + r * n, n, Math.min(NARROW_MR, rows - r), cols, edge, store);
                        if (finish != null) {
                            finish.apply(c, cBase + r * n, n, Math.min(NARROW_MR, rows - r), j0 + q * NR, cols);
                        }
                    }
                } else if (width == NR) {
                    for (int r = 0; r < rows; r += MR) {
                        MicroKernel.multiply(kc, a, base + r * k, k, packedB, bBase,
                                c, cBase + r * n, n, Math.min(MR, rows - r), cols, edge, store);
                        if (finish != null) {
                            finish.apply(c, cBase + r * n, n, Math.min(MR, rows - r), j0 + q * NR, cols);
                        }
                    }
                } else {
                    for (int r = 0; r < rows; r += NARROW_MR) {
                        MicroKernel.multiplyNarrow(kc, a, base + r * k, k, packedB, bBase,
                                c, cBase + r * n, n, Math.min(NARROW_MR, rows - r), cols, edge, store);
                        if (finish != null) {
                            finish.apply(c, cBase + r * n, n, Math.min(NARROW_MR, rows - r), j0 + q * NR, cols);
                        }
                    }
                }
            }
        }
    }

    /** How many pieces a product of {@code units} units is cut into when it runs on the pool ({@link #PIECES_PER_THREAD}). */
    private int pieces(int units) {
        return Math.min(units, PIECES_PER_THREAD * pool.threads());
    }

    /** Runs {@code task} for each of {@code p.tasks} on the pool's threads, or in order on this one. */
    private void run(boolean parallel, Product p, KernelPool.ContextTask<Product> task) {
        if (parallel) {
            pool.forEach(p.tasks, p, task);
        } else {
            for (int t = 0; t < p.tasks; t++) {
                task.run(p, t);
            }
        }
    }

    /** This thread's scratch array number {@code which}, grown to at least {@code size}. */
    private static float[] buffer(int which, int size) {
        float[][] buffers = BUFFERS.get();
        if (buffers[which].length < size) {
            buffers[which] = new float[size];
        }
        return buffers[which];
    }

    private static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }
}
