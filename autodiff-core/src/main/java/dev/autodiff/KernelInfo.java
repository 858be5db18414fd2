package dev.autodiff;

import dev.autodiff.kernel.KernelRegistry;
import dev.autodiff.kernel.Kernels;

/**
 * Which kernels run the numeric loops of this JVM: the Vector API kernels of
 * {@code autodiff-simd}, or the scalar reference kernels of this module, with their
 * vector width and thread count. They are chosen once, by the first operation.
 *
 * <pre>{@code
 * System.out.println(KernelInfo.active()); // kernels: simd, vector width 512 bits (16 floats), 2 threads
 * boolean fast = KernelInfo.active().simd();
 * }</pre>
 *
 * @param name          {@code "simd"} or {@code "scalar"}
 * @param vectorBitSize the width in bits of the vectors the kernels use; 32 for scalar code
 * @param threads       how many threads the kernels use
 */
public record KernelInfo(String name, int vectorBitSize, int threads) {

    /**
     * The JDK module the SIMD kernels need. On the class path, start the JVM with
     * {@code --add-modules jdk.incubator.vector}; on the module path, {@code autodiff-simd}
     * requires it, so nothing needs to be added.
     */
    public static final String VECTOR_MODULE = "jdk.incubator.vector";

    /** The kernels in use; the first call chooses them if no operation has yet. */
    public static KernelInfo active() {
        Kernels k = KernelRegistry.active();
        return new KernelInfo(k.name(), k.vectorBitSize(), k.threads());
    }

    /**
     * Whether the running JVM has {@link #VECTOR_MODULE} among its modules. The SIMD
     * kernels need it, and also {@code autodiff-simd} at run time and the C2 compiler.
     */
    public static boolean vectorModuleReadable() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
    }

    /** Whether these are the Vector API kernels of {@code autodiff-simd}. */
    public boolean simd() {
        return name.equals("simd");
    }

    /** One line such as {@code kernels: simd, vector width 512 bits (16 floats), 2 threads}. */
    @Override
    public String toString() {
        return "kernels: " + name + ", vector width " + vectorBitSize + " bits (" + vectorBitSize / Float.SIZE
                + " floats), " + threads + " thread" + (threads == 1 ? "" : "s");
    }
}
