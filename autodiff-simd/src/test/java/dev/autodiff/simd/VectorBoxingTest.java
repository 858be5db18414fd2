package dev.autodiff.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Once C2 has compiled them, the kernels box no vectors, whether or not C2 has type
 * profiles. A vector C2 cannot keep in a register becomes an object: a boxed loop allocates
 * at least 80 bytes per vector (2,320 for the 29 vectors of the probe's 469 elements) and
 * runs several times slower. Two ways to get there, both seen in this code:
 * <ul>
 *   <li>a method that takes or returns vectors, compiled on its own to more than 2.5 KB, is
 *       no longer inlined into its callers (a binary op's per-vector helper did that);</li>
 *   <li>a call on a vector carried around a loop ({@code acc = acc.add(v)}) is virtual as
 *       parsed, and is inlined only through the receiver's type profile. A method compiled
 *       without profiles (tier 2, as C1 does while C2's queue is long) then boxes every
 *       vector of the loop: the rare runs 8 times slower of docs/performance-training.md.
 *       {@code -XX:-UseTypeProfile} makes that case certain.</li>
 * </ul>
 * {@link TierProbe} runs every kernel 3,000 times with {@code -Xbatch}, so that the order of
 * compilation is the same in every run, and reports what each kernel's last call allocated:
 * a few small objects per call at most (a broadcast's plan: 320 bytes).
 */
class VectorBoxingTest {
    /** Bytes a kernel call may allocate: its per-call objects, not one per vector. */
    private static final long PER_CALL = 1024;
    private static final int PASSES = 3000;

    private static Map<String, Long> allocated(List<String> output) {
        Map<String, Long> bytes = new TreeMap<>();
        for (String line : output) {
            if (line.startsWith("allocated ")) {
                String[] parts = line.split(" ");
                bytes.put(parts[1], Long.parseLong(parts[2]));
            }
        }
        return bytes;
    }

    private static Map<String, Long> boxing(Map<String, Long> allocated) {
        Map<String, Long> over = new TreeMap<>(allocated);
        over.values().removeIf(bytes -> bytes <= PER_CALL);
        return over;
    }

    @Test
    void compiledKernelsBoxNoVectorsWithOrWithoutTypeProfiles() throws Exception {
        Process profiled = TierProbe.start(List.of("-Xbatch"), PASSES);
        Process unprofiled = TierProbe.start(List.of("-Xbatch", "-XX:-UseTypeProfile"), PASSES);
        Map<String, Long> withProfiles = allocated(TierProbe.output(profiled));
        Map<String, Long> withoutProfiles = allocated(TierProbe.output(unprofiled));
        assertTrue(withProfiles.size() > 80, "kernels probed: " + withProfiles.keySet());
        assertEquals(withProfiles.keySet(), withoutProfiles.keySet());
        String why = "bytes allocated by one call of a kernel, over " + PER_CALL
                + " (a vector boxed in a loop, or the kernel not yet compiled by C2)";
        assertEquals(Map.of(), boxing(withProfiles), "with type profiles: " + why);
        assertEquals(Map.of(), boxing(withoutProfiles), "with -XX:-UseTypeProfile: " + why);
    }
}
