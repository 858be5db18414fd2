package dev.autodiff.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The kernels give the same bits in the interpreter, compiled by C1 and compiled by C2:
 * {@link TierProbe} runs in a JVM with {@code -Xint}; in one where C1 alone compiles
 * ({@code -XX:TieredStopAtLevel=1 -Xbatch}), after 300 passes; and in one where C2 alone
 * compiles the kernels as soon as they have run 200 times ({@code -XX:-TieredCompilation
 * -Xbatch}, only {@code dev.autodiff} code, to keep it short), after 220 passes. The digests
 * of every kernel's output must agree. In the interpreter and in C1 the Vector API runs its
 * Java code, in C2 its intrinsics; {@link Math} has interpreter entries, C1 and C2
 * intrinsics.
 */
class CompilerTierTest {
    private static final String PROBED_KERNEL = "dev.autodiff.simd.RowDotKernel::multiply";

    private static List<String> digests(List<String> output) {
        return output.stream().filter(line -> line.startsWith("probe ")).toList();
    }

    /** The kernels whose digest in {@code actual} differs from the one in {@code expected}. */
    private static List<String> differing(List<String> expected, List<String> actual) {
        assertEquals(expected.size(), actual.size(), String.join("\n", actual));
        List<String> differ = new ArrayList<>();
        for (int i = 0; i < expected.size(); i++) {
            if (!expected.get(i).equals(actual.get(i))) {
                differ.add(expected.get(i).split(" ")[1]);
            }
        }
        return differ;
    }

    @Test
    void theInterpreterC1AndC2ComputeTheSameBits() throws Exception {
        Process c2 = TierProbe.start(List.of("-XX:-TieredCompilation", "-Xbatch", "-XX:CompileThreshold=200",
                "-XX:CompileCommand=quiet", "-XX:CompileCommand=compileonly,dev.autodiff.*::*", "-XX:+PrintCompilation"), 220);
        Process c1 = TierProbe.start(List.of("-XX:TieredStopAtLevel=1", "-Xbatch", "-XX:+PrintCompilation"), 300);
        Process interpreter = TierProbe.start(List.of("-Xint"), 1);
        List<String> interpreted = TierProbe.output(interpreter);
        List<String> byC1 = TierProbe.output(c1);
        List<String> byC2 = TierProbe.output(c2);
        assertTrue(byC1.stream().anyMatch(line -> line.contains(PROBED_KERNEL)), "C1 compiled the row-dot kernel:\n" + String.join("\n", byC1));
        assertTrue(byC2.stream().anyMatch(line -> line.contains(PROBED_KERNEL)), "C2 compiled the row-dot kernel:\n" + String.join("\n", byC2));
        List<String> expected = digests(interpreted);
        assertTrue(expected.size() > 50, String.join("\n", interpreted));
        assertEquals(List.of(), differing(expected, digests(byC1)), "kernels whose output bits differ between the interpreter and C1");
        assertEquals(List.of(), differing(expected, digests(byC2)), "kernels whose output bits differ between the interpreter and C2");
    }
}
