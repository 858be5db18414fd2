package dev.autodiff.it;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.autodiff.KernelInfo.VECTOR_MODULE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an installation holds (the build installs into {@code target/it-repo} what
 * {@code mvn install} puts in {@code ~/.m2}): each module's jar with its module descriptor,
 * its sources and Javadoc jars and its pom; the BOM; and the aggregated Javadoc site of the
 * build. No Javadoc page says "All rights reserved", and every package has a description.
 */
class PublishedArtifactsIT {

    private static final String VERSION = System.getProperty("autodiff.version");
    private static final Path REPOSITORY = Path.of(System.getProperty("autodiff.it.repository"), "dev", "autodiff");
    private static final Path SITE = Path.of("..", "target", "reports", "apidocs");

    private static Path artifact(String module, String suffix) {
        return REPOSITORY.resolve(module).resolve(VERSION).resolve(module + "-" + VERSION + suffix);
    }

    @ParameterizedTest
    @ValueSource(strings = {"autodiff-core", "autodiff-simd", "autodiff-nn"})
    void everyModuleIsInstalledWithItsSourcesAndJavadoc(String module) {
        for (String suffix : List.of(".jar", ".pom", "-sources.jar", "-javadoc.jar")) {
            assertTrue(Files.isRegularFile(artifact(module, suffix)), artifact(module, suffix) + " is missing");
        }
    }

    @Test
    void theBomAndTheParentAreInstalledAndCarryTheMetadata() throws IOException {
        String bom = Files.readString(artifact("autodiff-bom", ".pom"));
        for (String element : List.of("<licenses>", "<name>Apache-2.0</name>", "<scm", "<connection>", "<url>", "<description>")) {
            assertTrue(bom.contains(element), "autodiff-bom lacks " + element);
        }
        for (String module : List.of("autodiff-core", "autodiff-simd", "autodiff-nn")) {
            assertTrue(bom.contains("<artifactId>" + module + "</artifactId>"), "autodiff-bom does not manage " + module);
            assertTrue(Files.readString(artifact(module, ".pom")).contains("<description>"), module + " has no description");
        }
        assertTrue(Files.readString(artifact("autodiff-parent", ".pom")).contains("<artifactId>autodiff-bom</artifactId>"));
    }

    @Test
    void coreExportsItsApiAndTheKernelSpiOnlyToTheSimdModule() throws IOException {
        ModuleDescriptor core = descriptor("autodiff-core");
        assertEquals("dev.autodiff.core", core.name());
        assertEquals(Set.of("dev.autodiff"), unqualifiedExports(core));
        ModuleDescriptor.Exports kernel = core.exports().stream()
                .filter(e -> e.source().equals("dev.autodiff.kernel")).findFirst().orElseThrow();
        assertEquals(Set.of("dev.autodiff.simd"), kernel.targets());
        assertEquals(Set.of("dev.autodiff.kernel.KernelProvider"), core.uses());
        assertTrue(requires(core).containsKey("it.unimi.dsi.fastutil.core"));
    }

    @Test
    void simdExportsNothingProvidesTheKernelsAndRequiresTheVectorModule() throws IOException {
        ModuleDescriptor simd = descriptor("autodiff-simd");
        assertEquals("dev.autodiff.simd", simd.name());
        assertEquals(Set.of(), simd.exports());
        assertEquals(List.of("dev.autodiff.simd.SimdKernelProvider"), simd.provides().stream()
                .filter(p -> p.service().equals("dev.autodiff.kernel.KernelProvider"))
                .findFirst().orElseThrow().providers());
        assertTrue(requires(simd).containsKey(VECTOR_MODULE));
    }

    @Test
    void nnExportsItsPackagesAndGivesCoreToItsUsers() throws IOException {
        ModuleDescriptor nn = descriptor("autodiff-nn");
        assertEquals("dev.autodiff.nn", nn.name());
        assertEquals(Set.of("dev.autodiff.nn", "dev.autodiff.nn.data", "dev.autodiff.nn.init", "dev.autodiff.nn.io",
                "dev.autodiff.nn.optim"), unqualifiedExports(nn));
        assertTrue(requires(nn).get("dev.autodiff.core").modifiers().contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"autodiff-core", "autodiff-simd", "autodiff-nn"})
    void theSourcesJarHoldsTheDescriptorAndEveryPackagesDocumentation(String module) throws IOException {
        try (JarFile sources = new JarFile(artifact(module, "-sources.jar").toFile())) {
            Set<String> names = sources.stream().map(e -> e.getName()).collect(Collectors.toSet());
            assertTrue(names.contains("module-info.java"), module);
            Set<String> packages = names.stream().filter(n -> n.endsWith(".java") && n.contains("/"))
                    .map(n -> n.substring(0, n.lastIndexOf('/'))).collect(Collectors.toCollection(TreeSet::new));
            for (String pkg : packages) {
                assertTrue(names.contains(pkg + "/package-info.java"), module + ": " + pkg + " has no package-info.java");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"autodiff-core", "autodiff-simd", "autodiff-nn"})
    void theJavadocJarNamesTheLicenseAndDescribesEveryPackage(String module) throws IOException {
        Map<String, String> pages = new TreeMap<>();
        try (JarFile javadoc = new JarFile(artifact(module, "-javadoc.jar").toFile())) {
            for (var entry : javadoc.stream().filter(e -> e.getName().endsWith(".html")).toList()) {
                try (InputStream in = javadoc.getInputStream(entry)) {
                    pages.put(entry.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        assertDocumented(module, pages);
    }

    @Test
    void theAggregatedSiteHasAnOverviewAndDescribesEveryPackage() throws IOException {
        Map<String, String> pages = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SITE)) {
            for (Path page : files.filter(p -> p.toString().endsWith(".html")).toList()) {
                pages.put(SITE.relativize(page).toString(), Files.readString(page));
            }
        }
        assertDocumented("the aggregated site", pages);
        String index = pages.get("index.html");
        assertTrue(index.contains(">Modules</h1>") && index.contains("dev.autodiff.nn.optim"), "no overview in index.html");
        assertFalse(pages.containsKey("dev/autodiff/kernel/package-summary.html"), "the kernel SPI is not for users");
    }

    /** No page reserves all rights; every package page has a description and the license in its footer. */
    private static void assertDocumented(String what, Map<String, String> pages) {
        assertTrue(pages.size() > 10, what + ": only " + pages.keySet());
        List<String> problems = new ArrayList<>();
        int packages = 0;
        for (var page : pages.entrySet()) {
            String html = page.getValue();
            if (html.toLowerCase().contains("all rights reserved")) {
                problems.add(page.getKey() + ": 'All rights reserved'");
            }
            if (page.getKey().endsWith("package-summary.html")) {
                packages++;
                if (!html.contains("id=\"package-description\"")) {
                    problems.add(page.getKey() + ": no package description");
                }
                if (!html.contains("Licensed under the <a href=\"https://www.apache.org/licenses/LICENSE-2.0\">")) {
                    problems.add(page.getKey() + ": no license in the footer");
                }
            }
        }
        assertTrue(packages > 0, what + ": no package pages");
        assertEquals(List.of(), problems, what);
    }

    private static ModuleDescriptor descriptor(String module) throws IOException {
        try (JarFile jar = new JarFile(artifact(module, ".jar").toFile());
             InputStream in = jar.getInputStream(jar.getEntry("module-info.class"))) {
            return ModuleDescriptor.read(in);
        }
    }

    private static Set<String> unqualifiedExports(ModuleDescriptor module) {
        return module.exports().stream().filter(e -> !e.isQualified()).map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toSet());
    }

    private static Map<String, ModuleDescriptor.Requires> requires(ModuleDescriptor module) {
        return module.requires().stream().collect(Collectors.toMap(ModuleDescriptor.Requires::name, r -> r));
    }
}
