package dev.autodiff.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The kernels give the same bits in the interpreter as compiled by C2: {@link TierProbe}
 * runs in a JVM with {@code -Xint}, and in one where C2 alone compiles the kernels as soon
 * as they have run 200 times ({@code -XX:-TieredCompilation -Xbatch}, only {@code dev.autodiff}
 * code, to keep it short), after 220 passes;
 * the digests of every kernel's output must agree. In the interpreter the Vector API runs
 * its Java code and {@link Math} its interpreter entries, in C2 both are intrinsics.
 */
class CompilerTierTest {

    private static List<String> digests(List<String> output) {
        return output.stream().filter(line -> line.startsWith("probe ")).toList();
    }

    @Test
    void theInterpreterAndC2ComputeTheSameBits() throws Exception {
        Process c2 = TierProbe.start(List.of("-XX:-TieredCompilation", "-Xbatch", "-XX:CompileThreshold=200",
                "-XX:CompileCommand=quiet", "-XX:CompileCommand=compileonly,dev.autodiff.*::*", "-XX:+PrintCompilation"), 220);
        Process interpreter = TierProbe.start(List.of("-Xint"), 1);
        List<String> interpreted = TierProbe.output(interpreter);
        List<String> compiled = TierProbe.output(c2);
        assertTrue(compiled.stream().anyMatch(line -> line.contains("dev.autodiff.simd.RowDotKernel::multiply")),
                "C2 compiled the row-dot kernel:\n" + String.join("\n", compiled));
        List<String> expected = digests(interpreted);
        List<String> actual = digests(compiled);
        assertEquals(expected.size(), actual.size(), String.join("\n", compiled));
        assertTrue(expected.size() > 50, String.join("\n", interpreted));
        List<String> differ = new ArrayList<>();
        for (int i = 0; i < expected.size(); i++) {
            if (!expected.get(i).equals(actual.get(i))) {
                differ.add(expected.get(i).split(" ")[1]);
            }
        }
        assertEquals(List.of(), differ, "kernels whose output bits differ between the interpreter and C2");
    }
}
