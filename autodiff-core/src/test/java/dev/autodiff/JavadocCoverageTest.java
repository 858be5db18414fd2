package dev.autodiff;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Every public type of autodiff-core, nested ones included, opens with a Javadoc sentence saying what it is for. */
class JavadocCoverageTest {

    /** Core's sources, found the same way from core's directory and from a module that reruns the test jar. */
    private static final Path MAIN = Path.of("..", "autodiff-core", "src", "main", "java");
    private static final Pattern PUBLIC_TYPE = Pattern.compile(
            "^\\s*public\\s+(?:(?:static|final|abstract|sealed|non-sealed)\\s+)*(?:class|interface|enum|record|@interface)"
                    + "\\s+(\\w+)");

    /** The public types of one source file that lack a Javadoc comment with a sentence, as {@code File: Type}. */
    private static List<String> undocumented(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = PUBLIC_TYPE.matcher(lines.get(i));
            if (!m.find()) {
                continue;
            }
            int j = i - 1;
            while (j >= 0 && lines.get(j).strip().startsWith("@")) {
                j--; // annotations between the comment and the declaration
            }
            if (j < 0 || !lines.get(j).strip().endsWith("*/") || !hasSentence(lines, j)) {
                missing.add(file.getFileName() + ": " + m.group(1));
            }
        }
        return missing;
    }

    /** Whether the comment ending at line {@code end} has some words ending in a full stop. */
    private static boolean hasSentence(List<String> lines, int end) {
        StringBuilder text = new StringBuilder();
        for (int k = end; k >= 0; k--) {
            text.insert(0, lines.get(k) + " ");
            if (lines.get(k).strip().startsWith("/**")) {
                String words = text.toString().replaceAll("/\\*\\*|\\*/|\\*", " ").strip();
                return words.matches("(?s).*\\w+\\s+\\w+.*\\..*");
            }
        }
        return false;
    }

    @Test
    void everyPublicTypeHasAJavadocSentence() throws IOException {
        assumeTrue(Files.isDirectory(MAIN), "core's sources are not at hand");
        List<String> missing = new ArrayList<>();
        int types = 0;
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                missing.addAll(undocumented(file));
                for (String line : Files.readAllLines(file)) {
                    types += PUBLIC_TYPE.matcher(line).find() ? 1 : 0;
                }
            }
        }
        assertTrue(types >= 30, "found " + types + " public types, fewer than the 30 core had when this test was written");
        assertEquals(List.of(), missing);
    }
}
