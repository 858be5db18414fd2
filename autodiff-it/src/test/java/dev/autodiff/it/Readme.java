package dev.autodiff.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The code blocks of README.md's section "Use it as a library" (up to the next section of
 * its level), each with the tags that follow the language on its opening fence. A tag
 * says what the tests do with the block, in the consumer projects of {@code src/it}:
 * <ul>
 * <li>{@code file=<project>/<path>}: the block is that file; the tests write it there.</li>
 * <li>{@code in=<project>/<path>}: that file contains the block's lines.</li>
 * <li>{@code run=<project>}: the tests run the block with {@code sh} in that project,
 * after building it; {@code run=clone} is the installation from a clone.</li>
 * </ul>
 * Markdown renderers show the language only, so the tags stay out of the reader's way.
 */
record Readme(List<Block> blocks) {

    static final Path FILE = Path.of("..", "README.md");
    static final String SECTION = "## Use it as a library";

    /** One fenced code block: its language, its tags, its lines and the line it starts on (1-based). */
    record Block(String language, List<String> tags, List<String> lines, int line) {

        /** The values of the tags named {@code key}. */
        List<String> values(String key) {
            return tags.stream().filter(t -> t.startsWith(key + "=")).map(t -> t.substring(key.length() + 1)).toList();
        }

        String text() {
            return String.join("\n", lines) + "\n";
        }

        @Override
        public String toString() {
            return "README.md line " + line + " (```" + language + " " + String.join(" ", tags) + ")";
        }
    }

    /** A target of a tag: a consumer project of {@code src/it} and a path inside it. */
    record Target(String project, String path) {
        static Target parse(String value) {
            int slash = value.indexOf('/');
            return slash < 0 ? new Target(value, "") : new Target(value.substring(0, slash), value.substring(slash + 1));
        }
    }

    /** The library section of the README at {@link #FILE}. */
    static Readme librarySection() {
        try {
            return parse(Files.readAllLines(FILE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Readme parse(List<String> markdown) {
        int start = markdown.indexOf(SECTION);
        if (start < 0) {
            throw new IllegalStateException("README.md has no line '" + SECTION + "'");
        }
        List<Block> blocks = new ArrayList<>();
        for (int i = start + 1; i < markdown.size() && !markdown.get(i).startsWith("## "); i++) {
            String line = markdown.get(i);
            if (!line.startsWith("```")) {
                continue;
            }
            String[] info = line.substring(3).strip().split("\\s+");
            int first = i + 1;
            do {
                i++;
            } while (i < markdown.size() && !markdown.get(i).equals("```"));
            List<String> tags = List.of(info).subList(Math.min(1, info.length), info.length);
            blocks.add(new Block(info[0], tags, List.copyOf(markdown.subList(first, i)), first));
        }
        return new Readme(blocks);
    }

    /** The blocks with a tag {@code key=<project>...} for this project, in the README's order. */
    List<Block> taggedFor(String key, String project) {
        return blocks.stream()
                .filter(b -> b.values(key).stream().anyMatch(v -> Target.parse(v).project().equals(project)))
                .toList();
    }
}
