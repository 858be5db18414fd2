/**
 * Neural networks on autodiff: modules and layers, losses, optimizers and learning-rate
 * schedules, initializers, data sets and loaders, safetensors checkpoints and metrics.
 * Requiring this module gives access to {@code dev.autodiff.core} too.
 */
@SuppressWarnings("requires-automatic") // fastutil-core has an Automatic-Module-Name, not a descriptor
module dev.autodiff.nn {
    requires transitive dev.autodiff.core;
    requires it.unimi.dsi.fastutil.core;

    exports dev.autodiff.nn;
    exports dev.autodiff.nn.data;
    exports dev.autodiff.nn.init;
    exports dev.autodiff.nn.io;
    exports dev.autodiff.nn.optim;
}
