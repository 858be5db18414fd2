package dev.autodiff.examples.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autodiff.Tensor;
import java.util.List;
import java.util.function.DoubleBinaryOperator;
import org.junit.jupiter.api.Test;

class MlpTrainStepTest {

    @Test
    void parsesLayerWidths() {
        assertArrayEquals(new int[] {784, 512, 256, 10}, MlpTrainStep.parseSizes("784-512-256-10"));
    }

    @Test
    void buildsLinearLayersWithReluBetween() {
        MlpTrainStep step = new MlpTrainStep(new int[] {784, 256, 10}, 4, 1);
        assertEquals(784 * 256 + 256 + 256 * 10 + 10, step.model().parameterCount());
        assertEquals(List.of("0", "1", "2"), List.copyOf(step.model().namedChildren().keySet()));
    }

    @Test
    void firstStepMovesEveryParameterByMinusLrTimesItsGradient() {
        // first SGD step with momentum: the buffer is the gradient itself, lr 0.01
        assertFirstStep(new MlpTrainStep(new int[] {5, 7, 3}, 8, 3), (p, g) -> p - 0.01 * g);
    }

    @Test
    void firstAdamStepMovesEveryParameterByLrAgainstItsGradientsSign() {
        // the first step's moments are g/10 and g²/1000, their bias corrections 1/10 and 1/1000:
        // p - lr·g/(|g| + eps), lr 1e-3
        assertFirstStep(new MlpTrainStep(new int[] {5, 7, 3}, 8, 3, "adam"), (p, g) -> p - 1e-3 * g / (Math.abs(g) + 1e-8));
    }

    @Test
    void firstDecayedAdamStepTakesTheDecayedGradientsSign() {
        // as above with the gradient g + 5e-4·p
        assertFirstStep(new MlpTrainStep(new int[] {5, 7, 3}, 8, 3, "adam-decay"), (p, g) -> {
            double d = g + 5e-4 * p;
            return p - 1e-3 * d / (Math.abs(d) + 1e-8);
        });
    }

    /** Runs the first step and checks each parameter against {@code update(before, gradient)}. */
    private static void assertFirstStep(MlpTrainStep step, DoubleBinaryOperator update) {
        List<Tensor> params = step.model().parameters();
        float[][] before = params.stream().map(Tensor::toArray).toArray(float[][]::new);
        step.step();
        for (int i = 0; i < params.size(); i++) {
            float[] after = params.get(i).toArray();
            float[] grad = params.get(i).grad().toArray();
            for (int j = 0; j < after.length; j++) {
                assertEquals(update.applyAsDouble(before[i][j], grad[j]), after[j], 1e-6, "parameter " + i + ", element " + j);
            }
        }
    }

    @Test
    void repeatedStepsFitTheFixedBatch() {
        MlpTrainStep step = new MlpTrainStep(new int[] {6, 16, 3}, 12, 5);
        float first = step.step();
        float last = first;
        for (int i = 0; i < 300; i++) {
            last = step.step();
        }
        assertTrue(last < 0.1f * first, "loss went from " + first + " to " + last);
    }

    @Test
    void rejectsASingleLayerWidth() {
        var e = assertThrows(IllegalArgumentException.class, () -> new MlpTrainStep(new int[] {784}, 64, 1));
        assertTrue(e.getMessage().contains("MlpTrainStep"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new MlpTrainStep(new int[] {5, 3}, 4, 1, "lbfgs"));
        assertEquals("MlpTrainStep: unknown optimizer lbfgs (sgd, sgd-nesterov, adam, rmsprop or adagrad, each with -decay after it"
                + " for weight decay 5e-4)", e.getMessage());
    }
}
