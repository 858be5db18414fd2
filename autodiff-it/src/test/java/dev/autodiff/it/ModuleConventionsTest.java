package dev.autodiff.it;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every module of the build carries, so that a new one cannot forget it: a
 * description in its pom, a Java module name (a module-info.java, or an
 * Automatic-Module-Name in its pom), a package-info.java with a sentence for each package,
 * and a line in autodiff-bom unless it is not a library.
 */
class ModuleConventionsTest {

    private static final Path ROOT = Path.of("..");
    private static final Set<String> NOT_IN_BOM = Set.of("autodiff-bom", "autodiff-examples", "autodiff-it");
    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");

    private static List<String> modules() throws IOException {
        List<String> modules = new ArrayList<>();
        Matcher m = MODULE.matcher(Files.readString(ROOT.resolve("pom.xml")));
        while (m.find()) {
            modules.add(m.group(1));
        }
        return modules;
    }

    @Test
    void everyPomDescribesItsModule() throws IOException {
        for (String module : modules()) {
            assertTrue(Files.readString(ROOT.resolve(module).resolve("pom.xml")).matches("(?s).*<description>\\S.*"),
                    module + "/pom.xml has no <description>");
        }
    }

    @Test
    void everyModuleWithCodeHasAJavaModuleName() throws IOException {
        for (String module : modules()) {
            Path sources = ROOT.resolve(module).resolve("src/main/java");
            if (Files.isDirectory(sources)) {
                boolean named = Files.isRegularFile(sources.resolve("module-info.java"))
                        || Files.readString(ROOT.resolve(module).resolve("pom.xml")).contains("<Automatic-Module-Name>");
                assertTrue(named, module + " has neither a module-info.java nor an Automatic-Module-Name");
            }
        }
    }

    @Test
    void everyPackageHasADescription() throws IOException {
        List<String> missing = new ArrayList<>();
        int packages = 0;
        for (String module : modules()) {
            Path sources = ROOT.resolve(module).resolve("src/main/java");
            if (!Files.isDirectory(sources)) {
                continue;
            }
            try (Stream<Path> dirs = Files.walk(sources)) {
                for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                    if (!hasJavaTypes(dir)) {
                        continue;
                    }
                    packages++;
                    Path info = dir.resolve("package-info.java");
                    if (!Files.isRegularFile(info) || !Files.readString(info).matches("(?s)\\s*/\\*\\*.*?\\w+\\s+\\w+.*?\\..*")) {
                        missing.add(module + ": " + sources.relativize(dir).toString().replace('/', '.'));
                    }
                }
            }
        }
        assertTrue(packages > 0, "no package found under " + ROOT.toAbsolutePath().normalize());
        assertEquals(List.of(), missing, "packages without a package-info.java that describes them");
    }

    @Test
    void theBomManagesEveryLibraryModule() throws IOException {
        String bom = Files.readString(ROOT.resolve("autodiff-bom").resolve("pom.xml"));
        for (String module : modules()) {
            if (!NOT_IN_BOM.contains(module)) {
                assertTrue(bom.contains("<artifactId>" + module + "</artifactId>"), "autodiff-bom does not list " + module);
            }
        }
    }

    private static boolean hasJavaTypes(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> {
                String name = f.getFileName().toString();
                return name.endsWith(".java") && !name.equals("package-info.java") && !name.equals("module-info.java");
            });
        }
    }
}
