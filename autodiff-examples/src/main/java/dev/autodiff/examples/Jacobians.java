package dev.autodiff.examples;

import dev.autodiff.AD;
import dev.autodiff.Tensor;

import java.util.function.Function;

/**
 * The Jacobian of {@code f(x) = tanh(A·x)} ({@code A} is m×n) two ways: column by column
 * with forward mode (one JVP per input, tangent {@code e_j}) and row by row with
 * reverse mode (one VJP per output, cotangent {@code e_i}); both equal the closed form
 * {@code diag(1 − tanh²(A·x))·A}.
 */
public final class Jacobians {
    private Jacobians() {}

    /** The two Jacobians, the closed form, and how many passes each mode took. */
    public record Result(Tensor byColumns, Tensor byRows, Tensor closedForm, int jvpPasses, int vjpPasses) {}

    /** Builds the Jacobian of {@code tanh(a·x)} at {@code x} both ways. */
    public static Result run(Tensor a, Tensor x) {
        Function<Tensor, Tensor> f = v -> a.matmul(v).tanh();
        int m = a.shape(0);
        int n = a.shape(1);

        Tensor[] columns = new Tensor[n];
        for (int j = 0; j < n; j++) {
            columns[j] = AD.jvp(f, x, basis(n, j)).tangent().reshape(m, 1);
        }
        Tensor byColumns = Tensor.concat(1, columns);

        AD.Vjp vjp = AD.vjp(f, x);
        Tensor[] rows = new Tensor[m];
        for (int i = 0; i < m; i++) {
            rows[i] = vjp.pullback().apply(basis(m, i))[0].reshape(1, n);
        }
        Tensor byRows = Tensor.concat(0, rows);

        Tensor t = a.matmul(x).tanh();
        Tensor closedForm = t.square().neg().add(1f).reshape(m, 1).mul(a);
        return new Result(byColumns, byRows, closedForm, n, m);
    }

    private static Tensor basis(int size, int index) {
        float[] e = new float[size];
        e[index] = 1f;
        return Tensor.vector(e);
    }

    /** Prints both Jacobians of a 2×4 map and when each mode is cheaper. */
    public static void main(String[] args) {
        Tensor a = Tensor.matrix(new float[][] {{1, -2, 0.5f, 3}, {0.25f, 1, -1, 2}});
        Tensor x = Tensor.vector(0.1f, 0.2f, -0.3f, 0.05f);
        Result r = run(a, x);
        System.out.println("f(x) = tanh(A·x), A is 2x4: n = 4 inputs, m = 2 outputs");
        System.out.println("by JVP columns (" + r.jvpPasses() + " forward passes):\n" + r.byColumns());
        System.out.println("by VJP rows    (" + r.vjpPasses() + " backward passes):\n" + r.byRows());
        System.out.println("closed form diag(1 - tanh²(Ax))·A:\n" + r.closedForm());
        System.out.println("""
                Forward mode gives one column per pass: n passes for n inputs.
                Reverse mode gives one row per pass: m passes for m outputs.
                So use JVP columns (jacfwd) when n < m (few inputs, many outputs), and
                VJP rows (jacrev) when m < n; a loss (m = 1) takes one backward pass,
                which is why training uses reverse mode.""");
    }
}
