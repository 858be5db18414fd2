package dev.autodiff.examples.bench;

import dev.autodiff.KernelInfo;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The JMH settings every benchmark here inherits: the average time of one operation, in
 * two forks that add the vector module (a {@code -jvmArgsAppend} on the command line
 * replaces that list, so each benchmark checks in its setup that the SIMD kernels are
 * active), with warm-up enough for C2 to compile the Vector API code. A benchmark names
 * its time unit, and may override the iterations.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", KernelInfo.VECTOR_MODULE})
public abstract class ForkedBenchmark {

    /**
     * Sets the kernel thread count of this fork (before the kernels load: JMH runs every
     * parameter combination in a fresh fork) and checks that the SIMD kernels are active
     * with exactly that many threads.
     */
    protected static void useSimdKernels(int threads) {
        System.setProperty("autodiff.threads", Integer.toString(threads));
        var kernels = KernelInfo.active();
        if (!kernels.simd() || kernels.threads() != threads) {
            throw new IllegalStateException("wanted SIMD kernels with " + threads + " threads in this fork, got "
                    + kernels + " (were the kernels loaded before setUp, or is "
                    + "--add-modules " + KernelInfo.VECTOR_MODULE + " missing?)");
        }
    }
}
