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

    @Test
    void aCommandThatUsesSomePartsOfALabLooksAtTheirTodosOnly() throws IOException {
        Layout layout = new Layout(root);
        Path source = layout.labSources(Lab.CONTROLPLANE).resolve("minietcd/controlplane/DefaultScheduler.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, "class DefaultScheduler {\n  void start() {\n    throw new UnsupportedOperationException(\"TODO(lab 5 part C): start\");\n  }\n}\n");
        LabChoice choice = new LabChoice(layout, Set.of(Lab.CONTROLPLANE));
        assertThat(choice.unfinished(List.of(Lab.CONTROLPLANE), List.of("A"))).as("part A's TODOs, with part C still to do").isEmpty();
        assertThat(choice.unfinished(List.of(Lab.CONTROLPLANE))).as("every part's TODOs")
                .containsExactly("lab 5 (controlplane) is not done yet: labs/5-controlplane/src/main/java/minietcd/controlplane/DefaultScheduler.java:3 still throws TODO(lab 5 part C)");
    }

    @Test
    void unfinishedLabsAreToFinishOrToLeaveToTheReferenceWhereTheEditionHasIt() throws IOException {
        Layout layout = new Layout(root);
        for (Lab lab : List.of(Lab.MVCC, Lab.WATCH)) {
            Path source = layout.labSources(lab).resolve("minietcd/x/Todo.java");
            Files.createDirectories(source.getParent());
            Files.writeString(source, "class Todo {\n  void f() {\n    throw new UnsupportedOperationException(\"TODO(lab " + lab.number + " part A): f\");\n  }\n}\n");
        }
        Files.createDirectories(layout.shippedReference(Lab.WATCH)); // this edition ships lab 4's reference classes, not lab 3's
        LabChoice choice = new LabChoice(layout, Set.of(Lab.MVCC, Lab.WATCH));
        assertThat(choice.advice(List.of(Lab.MVCC, Lab.WATCH))).isEqualTo("this edition ships no reference classes for lab 3: finish it first; "
                + "finish lab 4, or leave it out of --mine to run the reference classes instead");
        assertThat(new LabChoice(layout, Set.of(Lab.WATCH)).advice(List.of(Lab.WATCH))).isEqualTo("finish lab 4, or leave it out of --mine to run the reference classes instead");
    }

    @Test
    void noTwoLabsBuildOnEachOther() {
        for (Lab lab : Lab.values())
            for (Lab base : lab.buildsOn()) assertThat(base.buildsOn()).as("lab %d builds on lab %d", lab.number, base.number).doesNotContain(lab);
        assertThat(Lab.LOG.buildsOn()).as("lab 1 elects through the kit's appointments, not lab 2").isEmpty();
    }

    @Test
    void anEditionWithoutSomeReferenceClassesSaysInWhichOrderTheLabsGo() {
        // the learners' README (kit/handout/README.md, which the student edition leaves out) says it in these words
        String readme = "Then run `./jbang lab-log` until it is green. Each lab stands alone: the labs it builds on run on their\n"
                + "reference classes (compiled, in `reference/`), so you may start at any lab.\n";
        assertThat(Handout.readme(readme, Set.of())).isEqualTo(readme);
        assertThatThrownBy(() -> Handout.readme("a README that says nothing of it", Set.of(Lab.LOG))).hasMessageContaining("update Handout.readme");
        assertThat(Handout.readme(readme, Set.of(Lab.LOG, Lab.ELECTION)))
                .contains("This edition ships no reference classes for labs 1 and 2: you build on your own.")
                .contains("lab 2 runs on your lab 1").doesNotContain("so you may start at any lab");
    }
}
