package dev.autodiff;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The README's table of ops promises names and forms: every name in it is a public
 * method (of {@link Tensor} unless it says {@code Functional.} or {@code AD.}), and every
 * reduction it lists takes {@code ()}, {@code (axis)}, {@code (axis, keepDims)} and
 * {@code (axes, keepDims)} ({@code norm} with p first).
 */
class OpsTableTest {
    private static final Path DOC = Path.of("..", "README.md");
    private static final Pattern NAME = Pattern.compile("`(?:(Tensor|Functional|AD)\\.)?([a-z][A-Za-z0-9]*)`");
    private static final Map<String, Class<?>> CLASSES = Map.of("Tensor", Tensor.class, "Functional", Functional.class,
            "AD", AD.class);

    /** The table's rows: the lines from the heading "### The ops" that start with "|", header and rule excluded. */
    private static List<String> rows() throws IOException {
        List<String> lines = Files.readAllLines(DOC);
        List<String> rows = new ArrayList<>();
        for (int i = lines.indexOf("### The ops") + 1; i > 0 && i < lines.size() && !lines.get(i).startsWith("#"); i++) {
            String line = lines.get(i);
            if (line.startsWith("|") && !line.startsWith("|---") && !line.startsWith("| kind")) {
                rows.add(line);
            }
        }
        return rows;
    }

    private static boolean hasPublicMethod(Class<?> type, String name) {
        return Arrays.stream(type.getMethods()).anyMatch(m -> m.getName().equals(name) && Modifier.isPublic(m.getModifiers()));
    }

    @Test
    void everyNamedOpExists() throws IOException {
        assumeTrue(Files.isRegularFile(DOC), "the README is not at hand");
        List<String> rows = rows();
        assertTrue(rows.size() >= 10, "the table has " + rows.size() + " rows");
        List<String> missing = new ArrayList<>();
        int names = 0;
        for (String row : rows) {
            Matcher m = NAME.matcher(row.substring(row.indexOf('|', 1)));
            while (m.find()) {
                names++;
                Class<?> type = CLASSES.get(m.group(1) == null ? "Tensor" : m.group(1));
                if (!hasPublicMethod(type, m.group(2))) {
                    missing.add(type.getSimpleName() + "." + m.group(2));
                }
            }
        }
        assertTrue(names >= 80, "found " + names + " names");
        assertEquals(List.of(), missing);
    }

    @Test
    void everyListedReductionTakesTheFourForms() throws IOException, ReflectiveOperationException {
        assumeTrue(Files.isRegularFile(DOC), "the README is not at hand");
        String row = rows().stream().filter(r -> r.startsWith("| reductions")).findFirst().orElseThrow();
        Matcher m = NAME.matcher(row.substring(row.indexOf('|', 1), row.indexOf("`norm`")));
        int count = 0;
        while (m.find()) {
            String name = m.group(2);
            for (Class<?>[] form : new Class<?>[][] {{}, {int.class}, {int.class, boolean.class}, {int[].class, boolean.class}}) {
                Method method = Tensor.class.getMethod(name, form);
                assertEquals(Tensor.class, method.getReturnType(), name + Arrays.toString(form));
            }
            count++;
        }
        assertEquals(8, count, "sum, mean, prod, max, min, logSumExp, var and std");
        for (String name : new String[] {"var", "std"}) {
            Tensor.class.getMethod(name, int[].class, int.class, boolean.class); // with a correction
        }
        for (Class<?>[] form : new Class<?>[][] {{}, {float.class}, {float.class, int.class, boolean.class},
            {float.class, int[].class, boolean.class}}) {
            Tensor.class.getMethod("norm", form);
        }
    }
}
