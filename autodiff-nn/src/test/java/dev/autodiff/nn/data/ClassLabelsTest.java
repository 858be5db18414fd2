package dev.autodiff.nn.data;

import org.junit.jupiter.api.Test;

import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ClassLabelsTest {
    private static final IntFunction<String> RECORD = i -> "labels: record " + i;

    @Test
    void theClassesAreTheLabelsWhenNoneIsMissing() {
        assertEquals(3, ClassLabels.count(new int[] {2, 0, 1, 1, 0}, RECORD));
    }

    @Test
    void aStrayLabelIsNamedByItsRecordInsteadOfAddingClasses() {
        int[] labels = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 200, 3};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClassLabels.count(labels, RECORD));
        assertEquals("labels: record 11: label 200, but no example has label 10 (nor any up to 199): labels must number "
                + "the classes 0 to K-1 without gaps", e.getMessage());
        // A label of a million among a few examples fails the same way, without an array of a million classes.
        e = assertThrows(IllegalArgumentException.class, () -> ClassLabels.count(new int[] {0, 1_000_000, 1}, RECORD));
        assertEquals("labels: record 1: label 1000000, but no example has label 2 (nor any up to 999999): labels must "
                + "number the classes 0 to K-1 without gaps", e.getMessage());
    }

    @Test
    void oneClassIsNotEnough() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClassLabels.count(new int[] {0, 0}, RECORD));
        assertEquals("labels: record 0: every label is 0: a classifier needs at least two classes", e.getMessage());
    }

    @Test
    void aTestLabelOutsideTheTrainingClassesIsNamed() {
        ClassLabels.requireBelow(new int[] {0, 9}, 10, RECORD);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClassLabels.requireBelow(new int[] {0, 9, 10}, 10, RECORD));
        assertEquals("labels: record 2: label 10 is not one of the 10 classes 0 to 9", e.getMessage());
    }
}
