package dev.autodiff.nn.optim;

import dev.autodiff.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An optimizer's state for a checkpoint, as {@code torch.optim.Optimizer.state_dict()}:
 * the optimizer's type, its hyper-parameters, the step count of each parameter and its
 * state buffers keyed {@code index.name} ({@code 0.exp_avg}, {@code 1.momentum_buffer}).
 *
 * <p>{@link #tensors()} and {@link #metadata()} split it into what a safetensors file holds
 * (tensors named {@code state.0.exp_avg}; strings for the rest) and {@link #from} joins them.
 */
public record OptimizerState(String optimizer, Map<String, Double> hyperParameters, long[] steps,
                             Map<String, Tensor> buffers) {

    private static final String TENSOR_PREFIX = "state.";
    private static final String TYPE_KEY = "optimizer";
    private static final String STEPS_KEY = "optimizer.steps";
    private static final String HYPER_PREFIX = "optimizer.hp.";

    /** The buffers named {@code state.<index>.<name>}. */
    public Map<String, Tensor> tensors() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        buffers.forEach((key, t) -> out.put(TENSOR_PREFIX + key, t));
        return out;
    }

    /** Type, step counts (comma-separated) and hyper-parameters ({@code optimizer.hp.lr}) as strings. */
    public Map<String, String> metadata() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(TYPE_KEY, optimizer);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < steps.length; i++) {
            sb.append(i == 0 ? "" : ",").append(steps[i]);
        }
        out.put(STEPS_KEY, sb.toString());
        hyperParameters.forEach((name, v) -> out.put(HYPER_PREFIX + name, Double.toString(v)));
        return out;
    }

    /** Joins the output of {@link #tensors()} and {@link #metadata()}; other entries are ignored. */
    public static OptimizerState from(Map<String, Tensor> tensors, Map<String, String> metadata) {
        String type = metadata.get(TYPE_KEY);
        String steps = metadata.get(STEPS_KEY);
        if (type == null || steps == null) {
            throw new IllegalArgumentException("OptimizerState: metadata lacks '" + TYPE_KEY + "' or '" + STEPS_KEY + "'");
        }
        long[] stepCounts = steps.isEmpty() ? new long[0]
                : java.util.Arrays.stream(steps.split(",")).mapToLong(Long::parseLong).toArray();
        Map<String, Double> hyper = new LinkedHashMap<>();
        metadata.forEach((key, value) -> {
            if (key.startsWith(HYPER_PREFIX)) {
                hyper.put(key.substring(HYPER_PREFIX.length()), Double.parseDouble(value));
            }
        });
        Map<String, Tensor> buffers = new LinkedHashMap<>();
        tensors.forEach((key, t) -> {
            if (key.startsWith(TENSOR_PREFIX)) {
                buffers.put(key.substring(TENSOR_PREFIX.length()), t);
            }
        });
        return new OptimizerState(type, hyper, stepCounts, buffers);
    }
}
