package dev.autodiff.nn;

import dev.autodiff.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import java.io.File;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The import that resolves {@code Module} against {@code java.lang.Module}, as the Javadoc
 * of {@link Module} and the README give it: compiled here the way a user's code is.
 */
class ModuleImportTest {

    private static final String LAYER = """
            class Identity extends Module {
                @Override
                public Tensor forward(Tensor x) {
                    return x;
                }
            }
            """;

    @Test
    void theWildcardImportNeedsTheSingleTypeImportBesideIt(@TempDir Path out) throws Exception {
        Compiled resolved = compile(out, "import dev.autodiff.Tensor;\nimport dev.autodiff.nn.*;\n"
                + "import dev.autodiff.nn.Module;\n" + LAYER);
        assertTrue(resolved.ok(), resolved.messages());

        Compiled ambiguous = compile(out, "import dev.autodiff.Tensor;\nimport dev.autodiff.nn.*;\n" + LAYER);
        assertFalse(ambiguous.ok());
        assertTrue(ambiguous.messages().contains("reference to Module is ambiguous"), ambiguous.messages());
    }

    private record Compiled(boolean ok, String messages) {}

    private static Compiled compile(Path out, String source) throws URISyntaxException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        var diagnostics = new DiagnosticCollector<JavaFileObject>();
        String classPath = location(Module.class) + File.pathSeparator + location(Tensor.class);
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///Identity.java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        boolean ok = javac.getTask(null, null, diagnostics, List.of("-cp", classPath, "-d", out.toString()), null,
                List.of(file)).call();
        StringBuilder messages = new StringBuilder();
        diagnostics.getDiagnostics().forEach(d -> messages.append(d.getMessage(null)).append('\n'));
        return new Compiled(ok, messages.toString());
    }

    private static String location(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
