package dev.autodiff.nn;

import dev.autodiff.GradCheck;
import dev.autodiff.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link CrossEntropyLoss} on logits {@code [N, C, L] = [2, 4, 3]} (classes on axis 1) against
 * the values of PyTorch 1.13's {@code F.cross_entropy} in float64, for every combination of
 * class weights, an ignored label, label smoothing and reduction, and against the formula
 * worked by hand for one position.
 */
class CrossEntropyLossTest {
    static final Tensor LOGITS = Tensor.of(new float[] {-1.6f, 0.3f, -0.8f, 0.6f, 0.8f, -2.6f, -2.9f, 2.0f, -1.4f, -1.6f,
        3.0f, -0.2f, 2.0f, -0.1f, 0.8f, -2.1f, 0.8f, 2.2f, 0.1f, 1.4f, 1.0f, -2.6f, 1.5f, 0.5f}, 2, 4, 3);
    /** {@code [[0, 3, -100], [2, 2, 1]]} in row-major order of {@code [N, L]}. */
    static final int[] LABELS = {0, 3, -100, 2, 2, 1};
    static final Tensor WEIGHT = Tensor.vector(0.5f, 2f, 1f, 1.5f);

    private static void assertValues(double[] expected, Tensor actual) {
        float[] a = actual.toArray();
        assertEquals(expected.length, a.length);
        for (int i = 0; i < a.length; i++) {
            assertEquals(expected[i], a[i], 2e-6 * Math.max(1, Math.abs(expected[i])), "element " + i);
        }
    }

    @Test
    void unreducedLossesMatchPyTorch() {
        CrossEntropyLoss none = new CrossEntropyLoss().reduction(Reduction.NONE);
        // F.cross_entropy(x, y, reduction='none'), y = [[0, 3, -100], [2, 2, 1]]
        Tensor plain = none.apply(LOGITS, LABELS);
        assertArrayEquals(new int[] {2, 3}, plain.shape());
        assertValues(new double[] {2.4245854713652446, 0.4355985751487613, 0, 2.062283062497016, 1.0567872615281235,
            0.5483957638803733}, plain);
        assertValues(new double[] {1.2122927356826223, 0.653397862723142, 0, 2.062283062497016, 1.0567872615281235,
            1.0967915277607465}, none.weight(WEIGHT).apply(LOGITS, LABELS));
        assertValues(new double[] {2.3795854713652447, 0.7305985751487614, 0, 2.212283062497016, 1.1567872615281236,
            0.7633957638803732}, none.labelSmoothing(0.2f).apply(LOGITS, LABELS));
        assertValues(new double[] {1.4209805563874092, 0.9691179339657041, 0, 2.5403972156218666, 1.1996266246045297,
            1.2370321631786907}, none.weight(WEIGHT).labelSmoothing(0.2f).apply(LOGITS, LABELS));
    }

    @Test
    void sumsAndWeightedMeansMatchPyTorch() {
        CrossEntropyLoss sum = new CrossEntropyLoss().reduction(Reduction.SUM);
        CrossEntropyLoss mean = new CrossEntropyLoss();
        assertEquals(6.527650134419519, sum.apply(LOGITS, LABELS).item(), 1e-5);
        assertEquals(6.0815524501916505, sum.weight(WEIGHT).apply(LOGITS, LABELS).item(), 1e-5);
        assertEquals(7.242650134419519, sum.labelSmoothing(0.2f).apply(LOGITS, LABELS).item(), 1e-5);
        assertEquals(7.367154493758201, sum.weight(WEIGHT).labelSmoothing(0.2f).apply(LOGITS, LABELS).item(), 1e-5);
        // the mean divides by the count of positions not ignored (5), or by the sum of their labels' weights
        assertEquals(1.3055300268839036, mean.apply(LOGITS, LABELS).item(), 1e-6);
        assertEquals(1.0135920750319418, mean.weight(WEIGHT).apply(LOGITS, LABELS).item(), 1e-6);
        assertEquals(1.4485300268839039, mean.labelSmoothing(0.2f).apply(LOGITS, LABELS).item(), 1e-6);
        assertEquals(1.2278590822930335, mean.weight(WEIGHT).labelSmoothing(0.2f).apply(LOGITS, LABELS).item(), 1e-6);
    }

    @Test
    void anyLabelCanBeTheIgnoredOne() {
        // F.cross_entropy(x, [[0, 3, 2], [2, 2, 1]], weight=w, ignore_index=2, label_smoothing=0.2, reduction=...)
        int[] labels = {0, 3, 2, 2, 2, 1};
        CrossEntropyLoss loss = new CrossEntropyLoss().weight(WEIGHT).ignoreIndex(2).labelSmoothing(0.2f);
        assertValues(new double[] {1.4209805563874092, 0.9691179339657041, 0, 0, 0, 1.2370321631786907},
                loss.reduction(Reduction.NONE).apply(LOGITS, labels));
        assertEquals(3.6271306535318035, loss.reduction(Reduction.SUM).apply(LOGITS, labels).item(), 1e-5);
        assertEquals(0.9067826633829509, loss.apply(LOGITS, labels).item(), 1e-6);
        assertTrue(Float.isNaN(new CrossEntropyLoss().apply(LOGITS.slice(2, 0, 1), new int[] {-100, -100}).item()),
                "the mean over no positions is NaN, as in PyTorch");
    }

    @Test
    void oneFormulaWorkedByHand() {
        // Position (n=1, l=2), label 1, logits (0.8, 2.2, 1.0, 0.5) down the class axis (flat 14, 17, 20, 23):
        double[] z = {0.8, 2.2, 1.0, 0.5};
        double[] w = {0.5, 2, 1, 1.5};
        double lse = Math.log(Math.exp(z[0]) + Math.exp(z[1]) + Math.exp(z[2]) + Math.exp(z[3]));
        double smooth = 0;
        for (int c = 0; c < 4; c++) {
            smooth += w[c] * (lse - z[c]);
        }
        double expected = 0.8 * w[1] * (lse - z[1]) + 0.2 / 4 * smooth;
        Tensor all = new CrossEntropyLoss().weight(WEIGHT).labelSmoothing(0.2f).reduction(Reduction.NONE).apply(LOGITS, LABELS);
        assertEquals(expected, all.get(1, 2), 2e-6);
    }

    @Test
    void gradientMatchesPyTorchAndFiniteDifferences() {
        Tensor x = LOGITS.detach().requiresGrad();
        new CrossEntropyLoss().weight(WEIGHT).labelSmoothing(0.2f).apply(x, LABELS).backward();
        // the ignored position (0, :, 2) gets no gradient
        assertValues(new double[] {-0.061244229636129556, 0.006339483239327192, 0.0, 0.06987512364807107,
            0.00065504615650956, 0.0, -0.005719997709145308, 0.04917677854167672, 0.0, -0.002910896302796224,
            -0.05617130793751345, 0.0, 0.14461842268774394, 0.00940519578823539, 0.039771602922655656,
            -0.014200899676173976, 0.016714728451604634, -0.10515486395150109, -0.11941308629101109,
            -0.08084179903840058, 0.045332990331850044, -0.011004436720558834, 0.054721874798560576,
            0.02005027069699539}, x.grad());
        for (Reduction r : Reduction.values()) {
            CrossEntropyLoss loss = new CrossEntropyLoss().weight(WEIGHT).labelSmoothing(0.1f).reduction(r);
            GradCheck.check(in -> loss.apply(in[0], LABELS), LOGITS).assertPassed();
            GradCheck.checkJvpVjp(in -> loss.apply(in[0], LABELS), LOGITS).assertPassed();
        }
    }

    @Test
    void everyLabelIgnoredGivesPyTorchsNaNMeanWithAZeroGradient() {
        // F.cross_entropy(x, [0, 0], ignore_index=0) is nan, and its backward gives x.grad = zeros
        Tensor x = Tensor.matrix(new float[][] {{1, 2}, {3, 4}}).requiresGrad();
        Tensor mean = new CrossEntropyLoss().ignoreIndex(0).labelSmoothing(0.1f).apply(x, new int[] {0, 0});
        assertTrue(Float.isNaN(mean.item()));
        mean.backward();
        assertArrayEquals(new float[] {0, 0, 0, 0}, x.grad().toArray());
        assertEquals(0f, new CrossEntropyLoss().ignoreIndex(0).reduction(Reduction.SUM).apply(x, new int[] {0, 0}).item());
    }

    @Test
    void classProbabilitiesMatchPyTorch() {
        Tensor p = Tensor.of(new float[] {0.3f, 1, -1, 2, 0.5f, 0.5f, 0, 1, 2, -2, 1, 0.2f}, 1, 4, 3).tile(2, 1, 1).softmax(1);
        CrossEntropyLoss loss = new CrossEntropyLoss().weight(WEIGHT).labelSmoothing(0.2f);
        assertValues(new double[] {1.1942635915557616, 1.9667390629535786, 2.3863650873639837, 6.248107073472744,
            1.6363478622324044, 1.8053407537616837}, loss.reduction(Reduction.NONE).apply(LOGITS, p));
        assertEquals(15.237163431340154, loss.reduction(Reduction.SUM).apply(LOGITS, p).item(), 1e-5);
        assertEquals(2.5395272385566923, loss.apply(LOGITS, p).item(), 1e-5);
        GradCheck.check(in -> loss.apply(in[0], in[1]), LOGITS, p).assertPassed();
    }

    @Test
    void twoAndOneDimensionalLogits() {
        // [C] logits with one label, as F.cross_entropy(x[0, :, 0], 3)
        Tensor column = LOGITS.slice(0, 0, 1).slice(2, 0, 1).reshape(4);
        assertEquals(2.4245854713652446, new CrossEntropyLoss().apply(column, new int[] {0}).item(), 1e-6);
        Tensor single = new CrossEntropyLoss().reduction(Reduction.NONE).apply(column, new int[] {0});
        assertArrayEquals(new int[0], single.shape());
        // [N, C] with the defaults equals the fused Losses.crossEntropy
        Tensor rows = Tensor.matrix(new float[][] {{2, 1, 0.1f}, {0.5f, 2.5f, -1}});
        assertEquals(Losses.crossEntropy(rows, new int[] {0, 2}).item(),
                new CrossEntropyLoss().apply(rows, new int[] {0, 2}).item(), 1e-6);
    }

    @Test
    void badSettingsAndInputsNameTheProblem() {
        assertEquals("crossEntropy: 3 class weights for 4 classes", assertThrows(IllegalArgumentException.class,
                () -> new CrossEntropyLoss().weight(Tensor.ones(3)).apply(LOGITS, LABELS)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new CrossEntropyLoss().labelSmoothing(1.5f));
        assertEquals("crossEntropy: label 4 at index 1 is out of range for 4 classes", assertThrows(
                IllegalArgumentException.class, () -> new CrossEntropyLoss().apply(LOGITS, new int[] {0, 4, 0, 0, 0, 0}))
                .getMessage());
        assertEquals("crossEntropy: 5 labels for 6 positions of logits of shape [2, 4, 3]", assertThrows(
                IllegalArgumentException.class, () -> new CrossEntropyLoss().apply(LOGITS, new int[5])).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new CrossEntropyLoss().apply(LOGITS, Tensor.zeros(2, 4)));
    }
}
