package dev.autodiff.simd;

import dev.autodiff.kernel.Binary;
import dev.autodiff.kernel.Kernels;
import dev.autodiff.kernel.Reduce;
import dev.autodiff.kernel.ScalarKernels;
import dev.autodiff.kernel.Unary;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Runs every kind of kernel on small fixed inputs and prints, per kernel, a digest of the
 * output bits: {@code probe <name> <sha-256>}. {@link CompilerTierTest} compares what a JVM
 * running only the interpreter prints with what one running C2 prints. The argument is how
 * many times to run everything before the digests are taken, so that C2 has compiled it.
 */
public final class TierProbe {
    private TierProbe() {}

    public static void main(String[] args) throws NoSuchAlgorithmException {
        int repeats = Integer.parseInt(args[0]);
        Map<String, float[]> results = null;
        for (int r = 0; r < repeats; r++) {
            results = run(new SimdKernels(1));
        }
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

    /** The outputs of one pass over the kernels, by name. */
    static Map<String, float[]> run(Kernels k) {
        Map<String, float[]> out = new LinkedHashMap<>();
        // the unpacked A·Bᵀ and A·B with few columns, the packed A·B and Aᵀ·B
        int[][] shapes = {{5, 7, 131, 2}, {9, 5, 100, 0}, {9, 40, 20, 0}, {9, 20, 30, 1}};
        for (int[] s : shapes) {
            boolean transA = s[3] == 1;
            boolean transB = s[3] == 2;
            float[] c = new float[s[0] * s[1]];
            k.gemm(transA, transB, s[0], s[1], s[2], data(s[0] * s[2], 1, 1), data(s[2] * s[1], 2, 1), c, false);
            out.put("gemm " + s[0] + "x" + s[1] + "x" + s[2] + (transA ? " At" : "") + (transB ? " Bt" : ""), c);
        }
        float[] x = data(7 * 67, 3, 10);
        float[] sums = new float[7];
        k.reduce(Reduce.SUM, x, 7, 67, 1, sums);
        out.put("row sums", sums);
        float[] columns = new float[67];
        k.reduce(Reduce.SUM, x, 1, 7, 67, columns);
        out.put("column sums", columns);
        float[] maxima = new float[7];
        k.reduce(Reduce.MAX, x, 7, 67, 1, maxima);
        out.put("row max", maxima);
        float[] softmax = new float[x.length];
        k.softmax(x, 7, 67, softmax);
        out.put("softmax", softmax);
        float[] logSoftmax = new float[x.length];
        k.logSoftmax(x, 7, 67, logSoftmax);
        out.put("log softmax", logSoftmax);
        int[] labels = {0, 5, 66, 3, 17, 40, 1};
        float[] probs = new float[x.length];
        float[] loss = new float[7];
        k.softmaxCrossEntropy(x, 7, 67, labels, probs, loss);
        out.put("cross entropy", loss);
        out.put("sum of squares", new float[] {(float) k.sumOfSquares(x, x.length)});
        float[] g = data(x.length, 4, 1);
        for (Unary op : Unary.values()) {
            float param = op == Unary.POW ? 2f : op == Unary.LEAKY_RELU ? 0.01f : 0f;
            float[] input = op == Unary.LOG || op == Unary.SQRT ? data(x.length, 5, 10) : x;
            if (op == Unary.LOG || op == Unary.SQRT) {
                for (int i = 0; i < input.length; i++) {
                    input[i] = Math.abs(input[i]);
                }
            }
            float[] y = new float[x.length];
            k.unary(op, param, input, y, y.length);
            out.put(op.name().toLowerCase(java.util.Locale.ROOT), y);
            float[] dx = new float[x.length];
            k.unaryBackward(op, param, g, input, y, dx, dx.length);
            out.put(op.name().toLowerCase(java.util.Locale.ROOT) + " backward", dx);
        }
        float[] magnitudes = data(x.length, 5, 10);
        for (int i = 0; i < magnitudes.length; i++) {
            magnitudes[i] = Math.abs(magnitudes[i]);
        }
        for (float p : new float[] {3f, -2f, 1.5f}) {
            float[] y = new float[x.length];
            k.unary(Unary.POW, p, magnitudes, y, y.length);
            out.put("pow " + p, y);
            float[] dx = new float[x.length];
            k.unaryBackward(Unary.POW, p, g, magnitudes, y, dx, dx.length);
            out.put("pow " + p + " backward", dx);
        }
        for (Binary op : Binary.values()) {
            float[] z = new float[x.length];
            k.binary(op, x, new int[] {7, 67}, g, new int[] {7, 67}, z, new int[] {7, 67});
            out.put(op.name().toLowerCase(java.util.Locale.ROOT), z);
        }
        float[] y = g.clone();
        k.axpby(0.9f, x, 0.1f, y, y.length);
        k.squareAxpby(0.5f, x, 0.99f, y, y.length);
        out.put("updates", y);
        return out;
    }
}
