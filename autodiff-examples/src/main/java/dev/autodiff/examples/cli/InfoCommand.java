package dev.autodiff.examples.cli;

import dev.autodiff.KernelInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code autodiff info}: which kernels are active and on which JVM. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Shows the active kernels (SIMD or scalar, vector width, threads) and the JVM.")
final class InfoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.println(KernelInfo.active());
        out.println("jvm: " + System.getProperty("java.vm.name") + " " + Runtime.version() + " ("
                + System.getProperty("java.vendor") + "), " + Runtime.getRuntime().availableProcessors() + " cores, max heap "
                + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB");
        String module = KernelInfo.VECTOR_MODULE;
        out.println(module + ": " + (KernelInfo.vectorModuleReadable() ? "readable"
                : "not added (run with --add-modules " + module + ")"));
        return 0;
    }
}
