package dev.autodiff.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A consumer project of {@code src/it}, copied to {@code target/it/<name>} with the files
 * README.md gives it, and built with the Maven that runs this build on the JDK that runs
 * this test (the toolchain's JDK 25). Its builds see only the isolated repository
 * {@code target/it-repo}, which holds the installed autodiff artifacts; plugins and
 * other artifacts are copied there from the user's repository, as maven-invoker-plugin
 * does, or downloaded from Maven Central when missing.
 */
final class ConsumerProject {

    private static final Path SOURCES = Path.of("src", "it").toAbsolutePath();
    private static final Path WORK = Path.of("target", "it").toAbsolutePath();
    private static final long TIMEOUT_MINUTES = 10;

    private final String name;
    private final Path dir;
    private int runs;

    private ConsumerProject(String name, Path dir) {
        this.name = name;
        this.dir = dir;
    }

    /** What one command printed (stdout and stderr together) and how it ended. */
    record Result(String command, int exitCode, String output) {}

    /** A fresh copy of {@code src/it/<name>}, with the README's files for it. */
    static ConsumerProject prepare(String name) throws IOException {
        Path dir = WORK.resolve(name);
        deleteTree(dir);
        copyTree(SOURCES.resolve(name), dir);
        for (Readme.Block block : Readme.librarySection().blocks()) {
            for (String value : block.values("file")) {
                Readme.Target target = Readme.Target.parse(value);
                if (target.project().equals(name)) {
                    Path file = dir.resolve(target.path());
                    Files.createDirectories(file.getParent());
                    Files.writeString(file, block.text());
                }
            }
        }
        Path config = dir.resolve(".mvn").resolve("maven.config");
        Files.createDirectories(config.getParent());
        // -nsu: the autodiff snapshots are the installed ones; no repository is asked for newer.
        Files.writeString(config, String.join("\n", "-B", "-ntp", "-nsu", "-s", settings().toString()) + "\n");
        return new ConsumerProject(name, dir);
    }

    Path dir() {
        return dir;
    }

    /** Runs Maven in the project; fails the test unless it succeeds. */
    Result mvn(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(mavenHome().resolve("bin").resolve("mvn").toString());
        command.addAll(List.of(arguments));
        return succeed(run(command, Map.of()));
    }

    /** Runs a shell script in the project with extra environment variables; returns how it went. */
    Result sh(String script, Map<String, String> environment) throws IOException, InterruptedException {
        return run(List.of("sh", "-eu", "-c", script), environment);
    }

    /** Fails the test, with the end of the output, unless the command succeeded. */
    Result succeed(Result result) {
        if (result.exitCode() != 0) {
            fail(name + ": '" + result.command() + "' exited with " + result.exitCode() + "\n" + tail(result.output(), 60));
        }
        return result;
    }

    private Result run(List<String> command, Map<String, String> environment) throws IOException, InterruptedException {
        Path log = dir.resolve("run-" + ++runs + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        // A clean environment: no JVM or Maven options of the outer build or the user.
        for (String variable : List.of("MAVEN_OPTS", "MAVEN_ARGS", "JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS")) {
            env.remove(variable);
        }
        Path javaHome = Path.of(System.getProperty("java.home"));
        env.put("JAVA_HOME", javaHome.toString());
        env.put("PATH", javaHome.resolve("bin") + ":" + mavenHome().resolve("bin") + ":" + env.getOrDefault("PATH", ""));
        env.put("MAVEN_SKIP_RC", "true");
        env.putAll(environment);
        Process process = builder.start();
        String shown = String.join(" ", command);
        if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail(name + ": '" + shown + "' did not finish in " + TIMEOUT_MINUTES + " minutes; see " + log);
        }
        return new Result(shown, process.exitValue(), Files.readString(log));
    }

    private static Path mavenHome() {
        return Path.of(System.getProperty("autodiff.it.mavenHome"));
    }

    /**
     * Settings that point the builds at the isolated repository, with the user's
     * repository as a read-only remote for plugins and third-party artifacts.
     */
    private static Path settings() throws IOException {
        Path settings = WORK.resolve("settings.xml");
        String userRepository = Path.of(System.getProperty("autodiff.it.userRepository")).toUri().toString();
        String repository = """
                    <id>user-repository</id>
                    <url>%s</url>
                    <releases><enabled>true</enabled></releases>
                    <snapshots><enabled>false</enabled></snapshots>
                """.formatted(userRepository);
        Files.createDirectories(WORK);
        Files.writeString(settings, """
                <settings>
                  <localRepository>%s</localRepository>
                  <profiles>
                    <profile>
                      <id>user-repository</id>
                      <repositories><repository>
                %s      </repository></repositories>
                      <pluginRepositories><pluginRepository>
                %s      </pluginRepository></pluginRepositories>
                    </profile>
                  </profiles>
                  <activeProfiles><activeProfile>user-repository</activeProfile></activeProfiles>
                </settings>
                """.formatted(System.getProperty("autodiff.it.repository"), repository, repository));
        return settings;
    }

    private static String tail(String text, int lines) {
        List<String> all = text.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : paths.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
