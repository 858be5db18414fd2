package dev.autodiff.simd;

import dev.autodiff.AdamStep;
import dev.autodiff.KernelInfo;
import dev.autodiff.kernel.Binary;
import dev.autodiff.kernel.Kernels;
import dev.autodiff.kernel.Reduce;
import dev.autodiff.kernel.ScalarKernels;
import dev.autodiff.kernel.Unary;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Runs every kind of kernel on small fixed inputs and prints, per kernel, a digest of the
 * output bits, {@code probe <name> <sha-256>}, and the bytes its last call allocated,
 * {@code allocated <name> <bytes>}. {@link CompilerTierTest} compares what a JVM running
 * only the interpreter prints with what one running C2 prints; {@link VectorBoxingTest}
 * reads the bytes. The argument is how many times to run everything before the digests are
 * taken, so that C2 has compiled it.
 */
public final class TierProbe {
    private TierProbe() {}

    /**
     * Starts the probe in a JVM of its own, with the Vector API module, this JVM's vector
     * width (so that the suite's 256-bit run probes the 8-lane paths) and {@code jvmFlags}.
     */
    static Process start(List<String> jvmFlags, int repeats) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("--add-modules", KernelInfo.VECTOR_MODULE, "-XX:MaxVectorSize=" + VectorMath.F.vectorByteSize()));
        command.addAll(jvmFlags);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), TierProbe.class.getName(),
                Integer.toString(repeats)));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** The probe's output lines, once it has exited normally. */
    static List<String> output(Process process) throws IOException, InterruptedException {
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new AssertionError("the probe failed:\n" + output);
        }
        return output.lines().toList();
    }

    public static void main(String[] args) throws NoSuchAlgorithmException {
        int repeats = Integer.parseInt(args[0]);
        Pass simd = null;
        for (int r = 0; r < repeats; r++) {
            simd = pass(new SimdKernels(1));
        }
        simd.allocated.forEach((name, bytes) -> System.out.println("allocated " + name.replace(' ', '-') + " " + bytes));
        Map<String, float[]> results = new LinkedHashMap<>(simd.outputs);
        results.putAll(prefixed("scalar ", run(new ScalarKernels())));
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (Map.Entry<String, float[]> e : results.entrySet()) {
            ByteBuffer bytes = ByteBuffer.allocate(4 * e.getValue().length);
            for (float v : e.getValue()) {
                bytes.putInt(Float.floatToRawIntBits(v));
            }
            System.out.println("probe " + e.getKey().replace(' ', '-') + " " + HexFormat.of().formatHex(sha.digest(bytes.array())));
        }
    }

    private static Map<String, float[]> prefixed(String prefix, Map<String, float[]> results) {
        Map<String, float[]> out = new LinkedHashMap<>();
        results.forEach((name, values) -> out.put(prefix + name, values));
        return out;
    }

    private static float[] data(int n, long seed, double scale) {
        Random rnd = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) ((rnd.nextDouble() * 2 - 1) * scale);
        }
        return x;
    }

    /**
     * One pass over the kernels: each call's output by name and, where the JVM can count
     * them, the bytes the call allocated (its outputs are allocated before it starts).
     */
    static final class Pass {
        private static final MethodHandle ALLOCATED_BYTES = allocatedBytes();
        final Map<String, float[]> outputs = new LinkedHashMap<>();
        final Map<String, Long> allocated = new LinkedHashMap<>();

        void call(String name, float[] output, Runnable kernel) {
            long before = allocatedBytes(ALLOCATED_BYTES);
            kernel.run();
            allocated.put(name, allocatedBytes(ALLOCATED_BYTES) - before);
            outputs.put(name, output);
        }

        private static long allocatedBytes(MethodHandle counter) {
            try {
                return (long) counter.invokeExact();
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }

        /**
         * {@code com.sun.management.ThreadMXBean.getCurrentThreadAllocatedBytes()} bound to the
         * platform bean, found reflectively: the tests compile inside the module
         * {@code dev.autodiff.simd}, which does not read {@code jdk.management}; the probe runs
         * on the class path, which reads everything.
         */
        private static MethodHandle allocatedBytes() {
            try {
                Object threads = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
                Class<?> bean = Class.forName("com.sun.management.ThreadMXBean");
                return MethodHandles.publicLookup().findVirtual(bean, "getCurrentThreadAllocatedBytes", MethodType.methodType(long.class))
                        .bindTo(threads);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot count allocated bytes", e);
            }
        }
    }

    /** The outputs of one pass over the kernels, by name. */
    static Map<String, float[]> run(Kernels k) {
        return pass(k).outputs;
    }

    static Pass pass(Kernels k) {
        Pass pass = new Pass();
        // the unpacked A·Bᵀ and A·B with few columns, the packed A·B and Aᵀ·B, a row times a matrix,
        // transposed and as stored (whole blocks of columns and a partial one)
        int[][] shapes = {{5, 7, 131, 2}, {9, 5, 100, 0}, {9, 40, 20, 0}, {9, 20, 30, 1}, {1, 40, 67, 2}, {1, 37, 67, 0},
            {1, 300, 70, 0}};
        for (int[] s : shapes) {
            boolean transA = s[3] == 1;
            boolean transB = s[3] == 2;
            float[] a = data(s[0] * s[2], 1, 1);
            float[] b = data(s[2] * s[1], 2, 1);
            float[] c = new float[s[0] * s[1]];
            pass.call("gemm " + s[0] + "x" + s[1] + "x" + s[2] + (transA ? " At" : "") + (transB ? " Bt" : ""), c,
                    () -> k.gemm(transA, transB, s[0], s[1], s[2], a, b, c, false));
        }
        float[] w = data(40 * 67, 6, 1);
        float[] bias = data(40, 7, 1);
        float[] inputs = data(9 * 67, 8, 1);
        float[] linear = new float[9 * 40];
        pass.call("linear relu", linear, () -> k.linear(9, 40, 67, inputs, w, bias, true, linear));
        float[] linearRow = new float[40];
        pass.call("linear row", linearRow, () -> k.linear(1, 40, 67, inputs, w, bias, false, linearRow));
        // one row on a weight packed in panels, one whole and one partial
        float[] layer = data(300 * 67, 9, 1);
        float[] wideBias = data(300, 10, 1);
        float[] packed = k.packForOneRow(300, 67, layer);
        float[] linearPanels = new float[300];
        if (packed != null) {
            pass.call("linear row, packed", linearPanels,
                    () -> k.linearOneRow(300, 67, inputs, layer, packed, wideBias, true, linearPanels));
        }
        float[] x = data(7 * 67, 3, 10);
        float[] sums = new float[7];
        pass.call("row sums", sums, () -> k.reduce(Reduce.SUM, x, 7, 67, 1, sums));
        float[] columns = new float[67];
        pass.call("column sums", columns, () -> k.reduce(Reduce.SUM, x, 1, 7, 67, columns));
        float[] maxima = new float[7];
        pass.call("row max", maxima, () -> k.reduce(Reduce.MAX, x, 7, 67, 1, maxima));
        float[] columnMaxima = new float[67];
        pass.call("column max", columnMaxima, () -> k.reduce(Reduce.MAX, x, 1, 7, 67, columnMaxima));
        float[] softmax = new float[x.length];
        pass.call("softmax", softmax, () -> k.softmax(x, 7, 67, softmax));
        float[] logSoftmax = new float[x.length];
        pass.call("log softmax", logSoftmax, () -> k.logSoftmax(x, 7, 67, logSoftmax));
        int[] labels = {0, 5, 66, 3, 17, 40, 1};
        float[] probs = new float[x.length];
        float[] loss = new float[7];
        pass.call("cross entropy", loss, () -> k.softmaxCrossEntropy(x, 7, 67, labels, probs, loss));
        float[] sumOfSquares = new float[1];
        pass.call("sum of squares", sumOfSquares, () -> sumOfSquares[0] = (float) k.sumOfSquares(x, x.length));
        float[] g = data(x.length, 4, 1);
        float[] magnitudes = data(x.length, 5, 10);
        for (int i = 0; i < magnitudes.length; i++) {
            magnitudes[i] = Math.abs(magnitudes[i]);
        }
        // wide inputs reach the far paths (|x| beyond 13 for gelu, 104 for exp's underflow)
        float[] wide = data(x.length, 9, 200);
        float[] wideMagnitudes = wide.clone();
        for (int i = 0; i < wide.length; i++) {
            wideMagnitudes[i] = Math.abs(wide[i]);
        }
        for (Unary op : Unary.values()) {
            float param = op == Unary.POW ? 2f : op == Unary.LEAKY_RELU ? 0.01f : 0f;
            boolean positive = op == Unary.LOG || op == Unary.SQRT;
            String name = op.name().toLowerCase(Locale.ROOT);
            unary(pass, k, name, op, param, positive ? magnitudes : x, g);
            unary(pass, k, name + " wide", op, param, positive ? wideMagnitudes : wide, g);
        }
        for (float p : new float[] {3f, -2f, 1.5f, 0.5f, -0.5f, 7f, 100f}) {
            unary(pass, k, "pow " + p, Unary.POW, p, magnitudes, g);
        }
        int[] matrix = {7, 67};
        int[] row = {1, 67};
        int[] scalar = {1, 1};
        for (Binary op : Binary.values()) {
            String name = op.name().toLowerCase(Locale.ROOT);
            float[] z = new float[x.length];
            pass.call(name, z, () -> k.binary(op, x, matrix, g, matrix, z, matrix));
            float[] zRow = new float[x.length];
            pass.call(name + " matrix-row", zRow, () -> k.binary(op, x, matrix, g, row, zRow, matrix));
            float[] zScalar = new float[x.length];
            pass.call(name + " scalar-matrix", zScalar, () -> k.binary(op, g, scalar, x, matrix, zScalar, matrix));
        }
        float[] broadcast = new float[x.length];
        pass.call("broadcast", broadcast, () -> k.broadcast(g, row, broadcast, matrix));
        float[] permuted = new float[x.length];
        int[] transpose = {1, 0};
        pass.call("permute", permuted, () -> k.permute(x, matrix, transpose, permuted));
        float[] dLogits = new float[x.length];
        pass.call("cross entropy backward", dLogits, () -> k.softmaxCrossEntropyBackward(probs, 7, 67, labels, loss, dLogits));
        float[] y = g.clone();
        pass.call("updates", y, () -> {
            k.axpby(0.9f, x, 0.1f, y, y.length);
            k.squareAxpby(0.5f, x, 0.99f, y, y.length);
        });
        float[] scaled = x.clone();
        pass.call("scale", scaled, () -> k.scale(0.3f, scaled, scaled.length));
        float[] param = x.clone();
        float[] buffer = g.clone();
        pass.call("momentum step", param, () -> k.momentumStep(0.9f, 1f, g, 0f, buffer, -0.05f, param, param.length));
        float[] decayedParam = x.clone();
        float[] decayedBuffer = g.clone();
        pass.call("momentum step with weight decay", decayedParam,
                () -> k.momentumStep(0.9f, 1f, g, 1e-3f, decayedBuffer, -0.05f, decayedParam, decayedParam.length));
        for (float decay : new float[] {0f, 1e-2f}) {
            float[] nesterovParam = x.clone();
            float[] nesterovBuffer = g.clone();
            pass.call("nesterov step, weight decay " + decay, nesterovParam,
                    () -> k.nesterovStep(0.9f, g, decay, nesterovBuffer, -0.05f, nesterovParam, nesterovParam.length));
            float[] adamParam = x.clone();
            float[] expAvg = g.clone();
            float[] expAvgSq = magnitudes.clone();
            AdamStep adam = new AdamStep(decay, 0.99f, 0.9f, 0.1f, 0.999f, 0.001f, -0.01f, 1e-8f);
            pass.call("adam step, weight decay " + decay, adamParam,
                    () -> k.adamStep(adam, g, expAvg, expAvgSq, adamParam, adamParam.length));
            float[] rmsParam = x.clone();
            float[] sumSq = magnitudes.clone();
            pass.call("rms step, weight decay " + decay, rmsParam,
                    () -> k.rmsStep(0.99f, 0.01f, g, decay, sumSq, -0.01f, 1e-8f, rmsParam, rmsParam.length));
        }
        float[] adaptive = x.clone();
        pass.call("adaptive step", adaptive, () -> k.addRatio(-0.01f, g, magnitudes, 1e-8f, adaptive, adaptive.length));
        float[] runningMaxima = g.clone();
        pass.call("max in place", runningMaxima, () -> k.maxInPlace(x, runningMaxima, runningMaxima.length));
        float[] clamped = x.clone();
        pass.call("clamp", clamped, () -> k.clamp(clamped, -2f, 3f, clamped.length));
        return pass;
    }

    private static void unary(Pass pass, Kernels k, String name, Unary op, float param, float[] x, float[] g) {
        float[] y = new float[x.length];
        pass.call(name, y, () -> k.unary(op, param, x, y, y.length));
        float[] dx = new float[x.length];
        pass.call(name + " backward", dx, () -> k.unaryBackward(op, param, g, x, y, dx, dx.length));
    }
}
