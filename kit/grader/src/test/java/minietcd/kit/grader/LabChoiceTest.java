package minietcd.kit.grader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import minietcd.kit.testing.Lab;

class LabChoiceTest {
    @TempDir Path root;

    @Test
    void mineNamesLabsByNumberOrNameOrAll() {
        assertThat(LabChoice.parse("1, election")).containsExactlyInAnyOrder(Lab.LOG, Lab.ELECTION);
        assertThat(LabChoice.parse("all")).containsExactlyInAnyOrder(Lab.values());
        assertThat(LabChoice.parse(null)).isEmpty();
        assertThatThrownBy(() -> LabChoice.parse("1,7")).hasMessageContaining("no lab '7'").hasMessageContaining("1 (log)");
    }

    @Test
    void aLabWithoutShippedReferenceRunsOnTheLearnersClassesAndSaysSo() throws IOException {
        Layout layout = new Layout(root);
        Files.createDirectories(layout.shippedReference(Lab.ELECTION));
        LabChoice choice = new LabChoice(layout, Set.of(Lab.LOG));
        assertThat(choice.classes(Lab.LOG)).isEqualTo(layout.labClasses(Lab.LOG));
        assertThat(choice.classes(Lab.ELECTION)).isEqualTo(layout.shippedReference(Lab.ELECTION));
        assertThat(choice.isMine(Lab.MVCC)).as("no reference for lab 3 here").isTrue();
        assertThat(choice.notes(List.of(Lab.values()))).anyMatch(n -> n.startsWith("lab 3 (mvcc) runs on your own classes"))
                .noneMatch(n -> n.startsWith("lab 1") || n.startsWith("lab 2"));
    }

    @Test
    void aLabThatStillThrowsItsTodoIsNotDone() throws IOException {
        Layout layout = new Layout(root);
        Path source = layout.labSources(Lab.MVCC).resolve("minietcd/mvcc/KeyIndex.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, "class KeyIndex {\n  void put() {\n    throw new UnsupportedOperationException(\"TODO(lab 3 part A): append\");\n  }\n}\n");
        Files.createDirectories(layout.labSources(Lab.WATCH));
        LabChoice choice = new LabChoice(layout, Set.of(Lab.MVCC, Lab.WATCH));
        assertThat(choice.unfinished(List.of(Lab.MVCC, Lab.WATCH)))
                .containsExactly("lab 3 (mvcc) is not done yet: labs/3-mvcc/src/main/java/minietcd/mvcc/KeyIndex.java:3 still throws TODO(lab 3 part A)");
    }
}
