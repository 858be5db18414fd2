package dev.autodiff.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import java.io.File;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code dev.autodiff.nn.Module} and {@code java.lang.Module}: the import that resolves the
 * name, as the README and the Javadoc of {@code Module} give it, compiled the way a user's
 * code is, on the class path and on the module path.
 */
class ModuleNameTest {

    private static final String LAYER = """
            class Identity extends Module {
                @Override
                public Tensor forward(Tensor x) {
                    return x;
                }
            }
            """;

    @Test
    void onTheClassPathTheWildcardImportNeedsTheSingleTypeImport(@TempDir Path out) throws Exception {
        List<String> options = List.of("-cp", String.join(File.pathSeparator, libraries()), "-d", out.toString());
        String resolved = compile(options, "import dev.autodiff.Tensor;\nimport dev.autodiff.nn.*;\n"
                + "import dev.autodiff.nn.Module;\n" + LAYER);
        assertTrue(resolved.isEmpty(), resolved);
        String ambiguous = compile(options, "import dev.autodiff.Tensor;\nimport dev.autodiff.nn.*;\n" + LAYER);
        assertTrue(ambiguous.contains("reference to Module is ambiguous"), ambiguous);
    }

    @Test
    void aModuleImportMeansJavaLangModuleUnlessTheSingleTypeImportIsThere(@TempDir Path out) throws Exception {
        List<String> options = List.of("--module-path", String.join(File.pathSeparator, libraries()),
                "--add-modules", "dev.autodiff.nn", "-d", out.toString());
        String resolved = compile(options, "import module dev.autodiff.nn;\nimport dev.autodiff.nn.Module;\n" + LAYER);
        assertTrue(resolved.isEmpty(), resolved);
        String wrong = compile(options, "import module dev.autodiff.nn;\n" + LAYER);
        assertTrue(wrong.contains("cannot inherit from final java.lang.Module"), wrong);
    }

    /** The locations of autodiff-nn, autodiff-core and fastutil-core on this test's class path. */
    private static List<String> libraries() throws Exception {
        List<String> out = new ArrayList<>();
        for (String name : List.of("dev.autodiff.nn.Module", "dev.autodiff.Tensor", "it.unimi.dsi.fastutil.ints.IntArrayList")) {
            Class<?> c = Class.forName(name);
            out.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        }
        return out;
    }

    /** Compiles one source file; the compiler's error messages, or empty when it compiled. */
    private static String compile(List<String> options, String source) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        var diagnostics = new DiagnosticCollector<JavaFileObject>();
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///Identity.java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        boolean ok = javac.getTask(null, null, diagnostics, options, null, List.of(file)).call();
        StringBuilder messages = new StringBuilder();
        diagnostics.getDiagnostics().forEach(d -> messages.append(d.getMessage(null)).append('\n'));
        return ok ? "" : messages.isEmpty() ? "failed without a message" : messages.toString();
    }
}
