package dev.autodiff.nn.optim;

import dev.autodiff.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An optimizer's state for a checkpoint, as {@code torch.optim.Optimizer.state_dict()}:
 * the optimizer's type, its parameter groups (each one's hyper-parameters and number of
 * parameters, as {@code param_groups}), the step count of each parameter and its state
 * buffers keyed {@code index.name} ({@code 0.exp_avg}, {@code 1.momentum_buffer}).
 *
 * <p>{@link #tensors()} and {@link #metadata()} split it into what a safetensors file holds
 * (tensors named {@code state.0.exp_avg}; strings for the rest) and {@link #from} joins them.
 *
 * @param groups the parameter groups, whose sizes add up to the number of parameters
 */
public record OptimizerState(String optimizer, List<Group> groups, long[] steps, Map<String, Tensor> buffers) {

    private static final String TENSOR_PREFIX = "state.";
    private static final String TYPE_KEY = "optimizer";
    private static final String STEPS_KEY = "optimizer.steps";
    /** The hyper-parameters of a single group: {@code optimizer.hp.lr}. */
    private static final String HYPER_PREFIX = "optimizer.hp.";
    /** With several groups: their sizes, comma-separated, and each one's hyper-parameters as {@code optimizer.group.1.lr}. */
    private static final String GROUPS_KEY = "optimizer.groups";
    private static final String GROUP_PREFIX = "optimizer.group.";

    /**
     * One parameter group: its hyper-parameters by PyTorch's names ({@code lr} first) and how
     * many parameters it holds (the next ones in order).
     */
    public record Group(Map<String, Double> hyperParameters, int size) {
        /** Copies the map; the size must not be negative. */
        public Group {
            hyperParameters = Collections.unmodifiableMap(new LinkedHashMap<>(hyperParameters));
            if (size < 0) {
                throw new IllegalArgumentException("OptimizerState.Group: negative size " + size);
            }
        }
    }

    /** Checks that the groups' sizes add up to the number of step counts. */
    public OptimizerState {
        groups = List.copyOf(groups);
        int total = groups.stream().mapToInt(Group::size).sum();
        if (groups.isEmpty() || total != steps.length) {
            throw new IllegalArgumentException("OptimizerState: parameter groups of " + groups.stream().map(Group::size)
                    .toList() + " parameters for " + steps.length + " step counts");
        }
    }

    /** The state of an optimizer of one parameter group. */
    public OptimizerState(String optimizer, Map<String, Double> hyperParameters, long[] steps, Map<String, Tensor> buffers) {
        this(optimizer, List.of(new Group(hyperParameters, steps.length)), steps, buffers);
    }

    /** The hyper-parameters of the first group (of every parameter, with one group). */
    public Map<String, Double> hyperParameters() {
        return groups.getFirst().hyperParameters();
    }

    /** The buffers named {@code state.<index>.<name>}. */
    public Map<String, Tensor> tensors() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        buffers.forEach((key, t) -> out.put(TENSOR_PREFIX + key, t));
        return out;
    }

    /**
     * Type, step counts (comma-separated) and hyper-parameters as strings: {@code optimizer.hp.lr}
     * with one group; with several, {@code optimizer.groups} (their sizes) and
     * {@code optimizer.group.<g>.lr}.
     */
    public Map<String, String> metadata() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(TYPE_KEY, optimizer);
        out.put(STEPS_KEY, joined(Arrays.stream(steps).mapToObj(Long::toString).toList()));
        if (groups.size() == 1) {
            hyperParameters().forEach((name, v) -> out.put(HYPER_PREFIX + name, Double.toString(v)));
        } else {
            out.put(GROUPS_KEY, joined(groups.stream().map(g -> Integer.toString(g.size())).toList()));
            for (int g = 0; g < groups.size(); g++) {
                String prefix = GROUP_PREFIX + g + ".";
                groups.get(g).hyperParameters().forEach((name, v) -> out.put(prefix + name, Double.toString(v)));
            }
        }
        return out;
    }

    private static String joined(List<String> values) {
        return String.join(",", values);
    }

    /** Joins the output of {@link #tensors()} and {@link #metadata()}; other entries are ignored. */
    public static OptimizerState from(Map<String, Tensor> tensors, Map<String, String> metadata) {
        String type = metadata.get(TYPE_KEY);
        String steps = metadata.get(STEPS_KEY);
        if (type == null || steps == null) {
            throw new IllegalArgumentException("OptimizerState: metadata lacks '" + TYPE_KEY + "' or '" + STEPS_KEY + "'");
        }
        long[] stepCounts = steps.isEmpty() ? new long[0]
                : Arrays.stream(steps.split(",")).mapToLong(Long::parseLong).toArray();
        Map<String, Tensor> buffers = new LinkedHashMap<>();
        tensors.forEach((key, t) -> {
            if (key.startsWith(TENSOR_PREFIX)) {
                buffers.put(key.substring(TENSOR_PREFIX.length()), t);
            }
        });
        String sizes = metadata.get(GROUPS_KEY);
        if (sizes == null) {
            return new OptimizerState(type, hyperParameters(metadata, HYPER_PREFIX), stepCounts, buffers);
        }
        List<Group> groups = new ArrayList<>();
        String[] each = sizes.split(",");
        for (int g = 0; g < each.length; g++) {
            groups.add(new Group(hyperParameters(metadata, GROUP_PREFIX + g + "."), Integer.parseInt(each[g].trim())));
        }
        return new OptimizerState(type, groups, stepCounts, buffers);
    }

    private static Map<String, Double> hyperParameters(Map<String, String> metadata, String prefix) {
        Map<String, Double> hyper = new LinkedHashMap<>();
        metadata.forEach((key, value) -> {
            String name = key.startsWith(prefix) ? key.substring(prefix.length()) : null;
            if (name != null && !name.contains(".")) {
                hyper.put(name, Double.parseDouble(value));
            }
        });
        return hyper;
    }
}
