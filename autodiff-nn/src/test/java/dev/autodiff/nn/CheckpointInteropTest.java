package dev.autodiff.nn;

import dev.autodiff.NoGrad;
import dev.autodiff.Tensor;
import dev.autodiff.nn.io.SafeTensors;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The checkpoint format against PyTorch: the committed {@code interop/mlp.safetensors}
 * was written by this test, loaded by {@code scripts/safetensors_interop.py} into the same
 * MLP in PyTorch 1.13 with {@code load_state_dict(strict=True)}, and its outputs for fixed
 * inputs committed as {@code interop/mlp_outputs.csv}.
 */
class CheckpointInteropTest {
    static final float[][] INPUTS = {
            {0.5f, -1.0f, 2.0f, 0.25f},
            {-1.5f, 0.75f, 0.0f, 1.0f},
            {2.0f, 2.0f, -0.5f, -1.25f},
            {0.1f, -0.2f, 0.3f, -0.4f},
            {-3.0f, 1.0f, 1.5f, 0.5f}};

    static Sequential architecture(long seed) {
        var rng = new SplittableRandom(seed);
        return new Sequential(new Linear(4, 8, rng), new BatchNorm1d(8), new ReLU(), new Linear(8, 8, rng),
                new LayerNorm(8), new GELU(), new Linear(8, 3, rng));
    }

    private static void set(Tensor t, int index, float value) {
        t.writeInPlace(values -> values[index] = value);
    }

    /** The model of the fixture: seeded weights, and literal non-default batch-norm and layer-norm state. */
    static Sequential fixtureModel() {
        Sequential m = architecture(2024);
        var state = m.stateDict();
        for (int i = 0; i < 8; i++) {
            set(state.get("1.weight"), i, 1 - 0.05f * i);
            set(state.get("1.bias"), i, 0.02f * i);
            set(state.get("1.running_mean"), i, 0.1f * (i - 4));
            set(state.get("1.running_var"), i, 0.5f + 0.25f * i);
            set(state.get("4.weight"), i, 1 + 0.1f * i);
            set(state.get("4.bias"), i, -0.05f * i);
        }
        set(state.get("1.num_batches_tracked"), 0, 7);
        return m;
    }

    static Path resource(String name) {
        return Path.of("src/test/resources/interop", name);
    }

    @Test
    void savedBytesEqualTheFileLoadedByPyTorch() throws IOException {
        Path out = Path.of("target/interop/mlp.safetensors");
        Files.createDirectories(out.getParent());
        Checkpoint.save(out, fixtureModel());
        assertArrayEquals(Files.readAllBytes(resource("mlp.safetensors")), Files.readAllBytes(out),
                "the checkpoint format changed: check " + out + " with scripts/safetensors_interop.py and commit it");
        assertEquals("pt", SafeTensors.read(out).metadata().get("format"));
    }

    @Test
    void loadedModelReproducesPyTorchOutputs() throws IOException {
        Sequential m = architecture(99);
        Checkpoint.load(resource("mlp.safetensors"), m);
        m.eval();
        Tensor y;
        try (var scope = NoGrad.enter()) {
            y = m.forward(Tensor.matrix(INPUTS));
        }
        float[][] expected = readCsv("/interop/mlp_outputs.csv");
        assertEquals(expected.length, y.shape(0));
        for (int r = 0; r < expected.length; r++) {
            for (int c = 0; c < expected[r].length; c++) {
                assertEquals(expected[r][c], y.get(r, c), 1e-5, "output " + r + ", " + c);
            }
        }
    }

    static float[][] readCsv(String resource) throws IOException {
        try (InputStream in = CheckpointInteropTest.class.getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#"))
                    .map(l -> {
                        String[] f = l.split(",");
                        float[] row = new float[f.length];
                        for (int i = 0; i < f.length; i++) {
                            row[i] = Float.parseFloat(f[i]);
                        }
                        return row;
                    })
                    .toArray(float[][]::new);
        }
    }
}
