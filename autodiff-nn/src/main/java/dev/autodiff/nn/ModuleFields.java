package dev.autodiff.nn;

import dev.autodiff.Tensor;

import java.lang.reflect.Field;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Registers what a {@link Module} holds in its fields but never registered, as PyTorch's
 * {@code __setattr__} registers a parameter or a submodule on assignment: a field holding a
 * leaf tensor that requires a gradient becomes a parameter, one holding a module a
 * submodule, each under the field's name. The fields are read once, at the module's first
 * use as a tree ({@link Module#parameters()}, {@link Module#stateDict()},
 * {@link Module#train()}, ...), superclass fields first, each class's in declaration order.
 *
 * <p>Skipped: static and {@code transient} fields, null values, tensors that require no
 * gradient (constants, as plain tensor attributes in PyTorch; register a buffer to save
 * one), and values already in the module's tree. Refused, with the field's name: a tensor
 * that requires a gradient but was computed (it could not be trained), and arrays,
 * collections and maps holding modules or parameters that are not registered (PyTorch drops
 * those silently; here they go in a {@link Sequential} or are registered one by one).
 */
final class ModuleFields {
    private ModuleFields() {}

    static void register(Module module) {
        List<Class<?>> chain = new ArrayList<>();
        for (Class<?> c = module.getClass(); c != Module.class; c = c.getSuperclass()) {
            chain.addFirst(c);
        }
        Set<Object> known = null;
        for (Class<?> c : chain) {
            for (Field field : c.getDeclaredFields()) {
                // A field registered under its own name (the usual explicit style) needs no reading,
                // so a module whose package is not open to this one can still register by hand.
                if (!holdsState(field) || module.hasName(field.getName())) {
                    continue;
                }
                Object value = read(module, field);
                if (value == NOT_READABLE || value == null) {
                    continue;
                }
                if (known == null) {
                    known = module.tree();
                }
                if (!known.contains(value)) {
                    registerValue(module, field, value, known);
                }
            }
        }
    }

    private static void registerValue(Module module, Field field, Object value, Set<Object> known) {
        String name = field.getName();
        if (value instanceof Module child) {
            module.registerModule(name, child);
            known.addAll(child.tree());
        } else if (value instanceof Tensor t) {
            if (!t.isRequiringGrad()) {
                return;
            }
            if (!t.isLeaf()) {
                throw new IllegalStateException(where(module, field) + " holds a tensor computed by '" + t.op()
                        + "' that requires a gradient: only a leaf can be a parameter. Create the parameter, then "
                        + "change it in place (mulInPlace, copyFrom), or store detach().requiresGrad()");
            }
            module.registerParameter(name, t);
            known.add(t);
        } else {
            long unregistered = elements(value).stream()
                    .filter(e -> e instanceof Module || (e instanceof Tensor t && t.isRequiringGrad()))
                    .filter(e -> !known.contains(e))
                    .count();
            if (unregistered > 0) {
                throw new IllegalStateException(where(module, field) + " holds " + unregistered + " modules or "
                        + "parameters that are not registered, so they would not be trained, saved or switched by "
                        + "eval(): hold modules in a Sequential field, or register each (registerModule, "
                        + "registerParameter) under a name of its own");
            }
        }
    }

    /** Whether the field's type can hold a module, a parameter, or several. */
    private static boolean holdsState(Field field) {
        int modifiers = field.getModifiers();
        if (Modifier.isStatic(modifiers) || Modifier.isTransient(modifiers) || field.isSynthetic()) {
            return false;
        }
        Class<?> type = field.getType();
        while (type.isArray()) {
            type = type.getComponentType();
        }
        return Tensor.class.isAssignableFrom(type) || Module.class.isAssignableFrom(type) || isContainer(field);
    }

    private static boolean isContainer(Field field) {
        Class<?> type = field.getType();
        return Iterable.class.isAssignableFrom(type) || Map.class.isAssignableFrom(type)
                || (type.isArray() && !type.getComponentType().isPrimitive());
    }

    private static Collection<?> elements(Object container) {
        if (container instanceof Object[] array) {
            return Arrays.stream(array)
                    .flatMap(e -> e instanceof Object[] || e instanceof Iterable<?> || e instanceof Map<?, ?>
                            ? elements(e).stream() : Stream.of(e))
                    .toList();
        }
        if (container instanceof Map<?, ?> map) {
            return map.values();
        }
        if (container instanceof Iterable<?> iterable) {
            List<Object> out = new ArrayList<>();
            iterable.forEach(out::add);
            return out;
        }
        return List.of();
    }

    /** What {@link #read} returns for a container field that cannot be read: it may hold anything, so it is left alone. */
    private static final Object NOT_READABLE = new Object();

    private static Object read(Module module, Field field) {
        try {
            field.setAccessible(true);
            return field.get(module);
        } catch (InaccessibleObjectException e) {
            if (isContainer(field)) {
                return NOT_READABLE;
            }
            String pkg = field.getDeclaringClass().getPackageName();
            String nn = Objects.requireNonNullElse(ModuleFields.class.getModule().getName(), "dev.autodiff.nn");
            throw new IllegalStateException(where(module, field) + " cannot be read to register what it holds: "
                    + field.getDeclaringClass().getModule() + " does not open package " + pkg + " to " + nn
                    + ". Add 'opens " + pkg + " to " + nn + ";' to its module-info.java, or register the value "
                    + "under the field's name ('" + field.getName() + "') yourself", e);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(where(module, field) + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static String where(Module module, Field field) {
        return module.getClass().getName() + ": field '" + field.getName() + "'";
    }
}
