package dev.autodiff.spark;

import dev.autodiff.Tensor;
import dev.autodiff.nn.Module;
import dev.autodiff.nn.optim.Optimizer;
import dev.autodiff.nn.optim.OptimizerState;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parameters and the optimizer state that every replica starts a local-SGD round
 * from, as float arrays for the trip to the executors.
 *
 * @param params the parameters, flat (see {@link Network#flatten})
 * @param optimizer the optimizer's type, as {@link OptimizerState#optimizer()}
 * @param hyperParameters the optimizer's hyper-parameters, the current learning rate included
 * @param steps the step count of each parameter
 * @param buffers the optimizer's buffers by {@code index.name}
 */
record ReplicaState(float[] params, String optimizer, LinkedHashMap<String, Double> hyperParameters, long[] steps,
                    LinkedHashMap<String, float[]> buffers) implements Serializable {

    /** The state of the driver's model and optimizer. */
    static ReplicaState of(Module model, Optimizer optimizer) {
        OptimizerState state = optimizer.stateDict();
        LinkedHashMap<String, float[]> buffers = new LinkedHashMap<>();
        state.buffers().forEach((name, t) -> buffers.put(name, t.toArray()));
        return new ReplicaState(Network.flatten(model), state.optimizer(), new LinkedHashMap<>(state.hyperParameters()),
                state.steps(), buffers);
    }

    /**
     * The optimizer state with the given buffers, each divided by {@code weight} and shaped
     * as its parameter, and the step counts advanced by {@code steps}.
     */
    OptimizerState optimizerState(List<Tensor> params, Map<String, float[]> newBuffers, float weight, long stepsTaken) {
        LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
        float factor = 1f / weight;
        newBuffers.forEach((name, values) -> {
            float[] scaled = new float[values.length];
            for (int i = 0; i < scaled.length; i++) {
                scaled[i] = values[i] * factor;
            }
            int index = Integer.parseInt(name.substring(0, name.indexOf('.')));
            tensors.put(name, Tensor.of(scaled, params.get(index).shape()));
        });
        long[] advanced = steps.clone();
        for (int i = 0; i < advanced.length; i++) {
            advanced[i] += stepsTaken;
        }
        return new OptimizerState(optimizer, hyperParameters, advanced, tensors);
    }
}
