package dev.autodiff.nn;

import java.util.List;

/**
 * A state dict that does not fit a module: every missing, unexpected and mis-shaped
 * entry by name, in one message, as PyTorch's {@code load_state_dict} reports them.
 */
public final class StateDictException extends IllegalArgumentException {
    private final List<String> missing;
    private final List<String> unexpected;
    private final List<String> mismatched;

    /** A report for {@code module} of the given problems (each list may be empty). */
    public StateDictException(String module, List<String> missing, List<String> unexpected, List<String> mismatched) {
        super(message(module, missing, unexpected, mismatched));
        this.missing = List.copyOf(missing);
        this.unexpected = List.copyOf(unexpected);
        this.mismatched = List.copyOf(mismatched);
    }

    private static String message(String module, List<String> missing, List<String> unexpected, List<String> mismatched) {
        StringBuilder sb = new StringBuilder("Error(s) in loading state dict for ").append(module).append(':');
        if (!missing.isEmpty()) {
            sb.append("\n  missing keys: ").append(String.join(", ", missing));
        }
        if (!unexpected.isEmpty()) {
            sb.append("\n  unexpected keys: ").append(String.join(", ", unexpected));
        }
        if (!mismatched.isEmpty()) {
            sb.append("\n  size mismatch: ").append(String.join("; ", mismatched));
        }
        return sb.toString();
    }

    /** The problems on one line, for a message that also names the file. */
    public String problems() {
        return getMessage().substring(getMessage().indexOf(':') + 1).strip().replace("\n  ", "; ");
    }

    /** Names the module has and the state dict lacks. */
    public List<String> missing() {
        return missing;
    }

    /** Names the state dict has and the module lacks. */
    public List<String> unexpected() {
        return unexpected;
    }

    /** Entries whose shapes differ, each as {@code name: checkpoint [..], model [..]}. */
    public List<String> mismatched() {
        return mismatched;
    }
}
