package dev.autodiff.examples;

import dev.autodiff.Functional;
import dev.autodiff.NoGrad;
import dev.autodiff.Tensor;
import dev.autodiff.nn.Metrics;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * A 2-D toy classification: three interleaved spirals of 100 seeded points each (the
 * CS231n data set), a 2-100-3 ReLU network trained by full-batch gradient descent with
 * L2 regularisation, and a PNG of its decision regions with the points on top.
 */
public final class Spirals {
    private Spirals() {}

    static final int CLASSES = 3;
    private static final int[] REGION = {0xFFD6D6, 0xD6F0D6, 0xD6DCFF};
    private static final int[] POINT = {0xC62828, 0x2E7D32, 0x1565C0};

    /** The points and their classes. */
    public record Points(Tensor x, int[] labels) {}

    /** The trained parameters. */
    public record Model(Tensor w1, Tensor b1, Tensor w2, Tensor b2) {
        /** Class scores for points {@code [N, 2]}. */
        public Tensor scores(Tensor x) {
            return x.matmul(w1).add(b1).relu().matmul(w2).add(b2);
        }

        /** The fraction of points classified correctly. */
        public double accuracy(Points points) {
            return Metrics.accuracy(scores(points.x()), points.labels());
        }
    }

    /** {@code perClass} points per spiral: radius 0..1, angle over 4 radians plus noise of 0.2. */
    public static Points points(long seed, int perClass) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[perClass * CLASSES * 2];
        int[] labels = new int[perClass * CLASSES];
        for (int k = 0; k < CLASSES; k++) {
            for (int i = 0; i < perClass; i++) {
                int row = k * perClass + i;
                double r = i / (double) (perClass - 1);
                double t = 4.0 * k + 4.0 * r + 0.2 * rng.nextGaussian();
                x[2 * row] = (float) (r * Math.sin(t));
                x[2 * row + 1] = (float) (r * Math.cos(t));
                labels[row] = k;
            }
        }
        return new Points(Tensor.of(x, labels.length, 2), labels);
    }

    /** Trains for {@code steps} full-batch steps with learning rate 1 and λ = 1e-3. */
    public static Model train(Points data, long seed, int steps) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor w1 = Tensor.randn(rng, 2, 100).mul(0.5f).requiresGrad();
        Tensor b1 = Tensor.zeros(100).requiresGrad();
        Tensor w2 = Tensor.randn(rng, 100, CLASSES).mul(0.1f).requiresGrad();
        Tensor b2 = Tensor.zeros(CLASSES).requiresGrad();
        float lambda = 1e-3f;
        for (int step = 0; step < steps; step++) {
            Tensor scores = data.x().matmul(w1).add(b1).relu().matmul(w2).add(b2);
            Tensor loss = Functional.crossEntropy(scores, data.labels())
                    .add(w1.square().sum().add(w2.square().sum()).mul(lambda));
            loss.backward();
            GradientDescent.step(1f, w1, b1, w2, b2);
        }
        return new Model(w1.detach(), b1.detach(), w2.detach(), b2.detach());
    }

    /** Renders the model's decision regions over {@code [-1.2, 1.2]²} and the points as an image. */
    public static BufferedImage render(Model model, Points data, int size) {
        float[] grid = new float[size * size * 2];
        for (int py = 0; py < size; py++) {
            for (int px = 0; px < size; px++) {
                grid[2 * (py * size + px)] = toWorld(px, size);
                grid[2 * (py * size + px) + 1] = -toWorld(py, size);
            }
        }
        int[] predicted;
        try (var scope = NoGrad.enter()) {
            predicted = model.scores(Tensor.of(grid, size * size, 2)).argmax();
        }
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < predicted.length; i++) {
            image.setRGB(i % size, i / size, REGION[predicted[i]]);
        }
        float[] x = data.x().toArray();
        for (int row = 0; row < data.labels().length; row++) {
            int cx = toPixel(x[2 * row], size);
            int cy = toPixel(-x[2 * row + 1], size);
            for (int dy = -2; dy <= 2; dy++) {
                for (int dx = -2; dx <= 2; dx++) {
                    if (dx * dx + dy * dy <= 5 && cx + dx >= 0 && cx + dx < size && cy + dy >= 0 && cy + dy < size) {
                        image.setRGB(cx + dx, cy + dy, POINT[data.labels()[row]]);
                    }
                }
            }
        }
        return image;
    }

    private static float toWorld(int pixel, int size) {
        return -1.2f + 2.4f * (pixel + 0.5f) / size;
    }

    private static int toPixel(float world, int size) {
        return (int) Math.floor((world + 1.2f) / 2.4f * size);
    }

    /** Trains, prints the accuracies and writes the picture ({@code spirals.png} unless a path is given). */
    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "spirals.png");
        Points data = points(0, 100);
        Model model = train(data, 0, 2000);
        ImageIO.write(render(model, data, 400), "png", out.toFile());
        System.out.printf("spirals, 300 points, 2-100-3 ReLU network: accuracy %.1f%% on its points, %.1f%% on"
                + " 300 new points%n", 100 * model.accuracy(data), 100 * model.accuracy(points(1, 100)));
        System.out.println("decision regions written to " + out.toAbsolutePath());
    }
}
