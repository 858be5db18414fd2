package dev.autodiff.examples.cli;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes the training curves as a PNG: the loss on the left, train and test accuracy on the right. */
final class CurvePlot {
    private CurvePlot() {}

    private static final int WIDTH = 600;
    private static final int HEIGHT = 400;

    /** Draws the curves of {@code history} (at least one epoch) to {@code file}. */
    static void write(List<EpochStats> history, String title, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        double[] epochs = history.stream().mapToDouble(EpochStats::epoch).toArray();
        XYChart loss = chart(title + ": training loss", "loss");
        loss.addSeries("loss", epochs, history.stream().mapToDouble(EpochStats::loss).toArray());
        XYChart accuracy = chart(title + ": accuracy", "accuracy (%)");
        accuracy.addSeries("train", epochs, history.stream().mapToDouble(s -> 100 * s.trainAccuracy()).toArray());
        accuracy.addSeries("test", epochs, history.stream().mapToDouble(s -> 100 * s.testAccuracy()).toArray());

        BufferedImage image = new BufferedImage(2 * WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.drawImage(BitmapEncoder.getBufferedImage(loss), 0, 0, null);
        g.drawImage(BitmapEncoder.getBufferedImage(accuracy), WIDTH, 0, null);
        g.dispose();
        try (OutputStream out = Files.newOutputStream(file)) {
            ImageIO.write(image, "png", out);
        }
    }

    private static XYChart chart(String title, String yTitle) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("epoch")
                .yAxisTitle(yTitle).build();
        chart.getStyler().setDecimalPattern("#,##0.###");
        return chart;
    }
}
