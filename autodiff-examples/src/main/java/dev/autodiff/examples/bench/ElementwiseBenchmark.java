package dev.autodiff.examples.bench;

import dev.autodiff.kernel.Binary;
import dev.autodiff.kernel.Kernels;
import dev.autodiff.kernel.Unary;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * Elementwise kernels over 1M floats; scores are nanoseconds per element. {@code unary} is
 * an activation's forward pass, {@code unaryBackward} its derivative fused with the
 * incoming gradient, as a training step's backward pass calls it. The functions are named
 * as {@link Unary} names them, with the parameter after a colon ({@code POW:1.5}); inputs
 * are normal with standard deviation {@link #spread} (1 unless {@code -p spread=...} says
 * otherwise: wide inputs reach the tails, where some kernels take a slower path), their
 * magnitude for LOG and POW. PyTorch's side is
 * {@code autodiff-examples/scripts/torch_activations.py}, with the same functions and inputs.
 */
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ElementwiseBenchmark extends KernelBenchmark {
    private static final int N = 1 << 20;
    private static final int[] SHAPE = {N};
    /** A bias row broadcast over {@code N / 1024} rows. */
    private static final int[] MATRIX = {N / 1024, 1024};
    private static final int[] ROW = {1, 1024};
    /** A small layer's activations, 64×256, and its bias row. */
    private static final int[] SMALL = {64, 256};
    private static final int[] SMALL_ROW = {1, 256};
    private static final Binary[] BINARY_OPS = Binary.values();

    @Param({"EXP", "TANH", "SIGMOID", "RELU", "GELU", "ERF", "LOG", "SOFTPLUS", "SILU", "LEAKY_RELU:0.01",
        "POW:2", "POW:3", "POW:1.5"})
    public String function;

    @Param({"1"})
    public float spread;

    private Kernels k;
    private Unary op;
    private float param;
    private float[] x;
    private float[] y;
    private float[] g;
    private float[] out;

    @Setup
    public void setUp() {
        k = named();
        String[] parts = function.split(":");
        op = Unary.valueOf(parts[0]);
        param = parts.length > 1 ? Float.parseFloat(parts[1]) : 0f;
        x = random(N, 1);
        for (int i = 0; i < N; i++) {
            x[i] *= spread;
        }
        if (op == Unary.LOG || op == Unary.POW) {
            for (int i = 0; i < N; i++) {
                x[i] = Math.abs(x[i]);
            }
        }
        g = random(N, 2);
        y = new float[N];
        k.unary(op, param, x, y, N);
        out = new float[N];
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public float[] unary() {
        k.unary(op, param, x, out, N);
        return out;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public float[] unaryBackward() {
        k.unaryBackward(op, param, g, x, y, out, N);
        return out;
    }

    /** Same-shape addition; it does not depend on {@link #function}, which only repeats it. */
    @Benchmark
    @OperationsPerInvocation(N)
    public float[] add() {
        k.binary(Binary.ADD, x, SHAPE, g, SHAPE, out, SHAPE);
        return out;
    }

    /** Same-shape maximum, a Vector API loop (the four arithmetic ops are plain loops). */
    @Benchmark
    @OperationsPerInvocation(N)
    public float[] maximum() {
        k.binary(Binary.MAXIMUM, x, SHAPE, g, SHAPE, out, SHAPE);
        return out;
    }

    /** A row added to every row of a matrix, as a bias is. */
    @Benchmark
    @OperationsPerInvocation(N)
    public float[] addRow() {
        k.binary(Binary.ADD, x, MATRIX, g, ROW, out, MATRIX);
        return out;
    }

    /**
     * Every binary op, a 256-float row broadcast over a 64×256 matrix, one after the other:
     * the short rows make the per-vector work hot before the loops around it are, the order
     * in which the JIT once compiled the binary ops' vector helper on its own and then boxed
     * every vector. Nanoseconds per output element.
     */
    @Benchmark
    @OperationsPerInvocation(64 * 256 * 9)
    public float[] binaryOpsOnSmallRows() {
        for (Binary binary : BINARY_OPS) {
            k.binary(binary, x, SMALL, g, SMALL_ROW, out, SMALL);
        }
        return out;
    }
}
