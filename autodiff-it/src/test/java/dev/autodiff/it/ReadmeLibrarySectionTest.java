package dev.autodiff.it;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * README.md's "Use it as a library": where it stands, and that every code block in it is
 * used by the consumer projects, so that {@link ConsumersIT} compiles and runs them all.
 */
class ReadmeLibrarySectionTest {

    private static final Path PROJECTS = Path.of("src", "it");
    private static final List<String> KEYS = List.of("file", "in", "run");

    @Test
    void isTheFirstSectionAfterTheCommandsAtTheTop() throws IOException {
        List<String> lines = Files.readAllLines(Readme.FILE);
        String firstSection = lines.stream().filter(l -> l.startsWith("## ")).findFirst().orElseThrow();
        assertEquals(Readme.SECTION, firstSection);
        int commands = lines.indexOf("```sh");
        assertTrue(commands >= 0 && commands < lines.indexOf(Readme.SECTION));
    }

    @Test
    void everyBlockIsWrittenIntoRunInOrFoundInAConsumerProject() {
        List<Readme.Block> blocks = Readme.librarySection().blocks();
        assertTrue(blocks.size() >= 8, blocks.toString());
        List<String> problems = new ArrayList<>();
        for (Readme.Block block : blocks) {
            if (block.tags().isEmpty() || !block.tags().stream().allMatch(t -> KEYS.contains(t.split("=")[0]))) {
                problems.add(block + ": every block needs tags among " + KEYS);
            }
            for (String key : KEYS) {
                for (String value : block.values(key)) {
                    Readme.Target target = Readme.Target.parse(value);
                    if (!(key.equals("run") && target.project().equals("clone"))
                            && !Files.isDirectory(PROJECTS.resolve(target.project()))) {
                        problems.add(block + ": no consumer project " + target.project());
                    }
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void theFragmentsAreInTheirConsumersFiles() throws IOException {
        for (Readme.Block block : Readme.librarySection().blocks()) {
            for (String value : block.values("in")) {
                Readme.Target target = Readme.Target.parse(value);
                String file = normalized(Files.readAllLines(PROJECTS.resolve(target.project()).resolve(target.path())));
                assertTrue(file.contains(normalized(block.lines())), block + " is not in " + value);
            }
        }
    }

    @Test
    void theBomVersionIsTheProjectVersion() {
        Readme.Block dependencies = Readme.librarySection().blocks().getFirst();
        assertTrue(dependencies.lines().contains("      <version>" + System.getProperty("autodiff.version") + "</version>"),
                dependencies.text());
    }

    @Test
    void theInstallationFromACloneIsMavensOwnInstall() {
        // The one block the tests cannot run as it stands: it would rebuild this project inside
        // its own build. autodiff-it installs the same artifacts into target/it-repo instead,
        // and PublishedArtifactsIT checks what the installation holds.
        List<Readme.Block> install = Readme.librarySection().blocks().stream()
                .filter(b -> b.values("run").contains("clone")).toList();
        assertEquals(1, install.size());
        assertEquals("mvn install -DskipTests\n", install.getFirst().text());
    }

    /** Lines without their indentation, blank ones left out: XML fragments compare so at any depth. */
    private static String normalized(List<String> lines) {
        return String.join("\n", lines.stream().map(String::strip).filter(l -> !l.isEmpty()).toList());
    }
}
