package minietcd.kit.grader;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The progress database: what is recorded reads back, and two processes can use it at once. */
class ProgressTest {
    @TempDir Path dir;

    @Test
    void whatIsRecordedReadsBackNewestResultFirstAndEachStepOnce() {
        Progress p = new Progress(dir);
        assertThat(p.read()).isEqualTo(new Progress.Snapshot(List.of(), List.of(), List.of()));
        p.chapterRead(2);
        p.chapterRead(0);
        p.chapterRead(2);
        p.tried(2, "new-leader");
        p.tried(2, "new-leader");
        p.record(new Progress.Result("lab", 1, 0, 30, 0, 9, false, 1_000));
        p.record(new Progress.Result("lab", 1, 30, 30, 9, 9, false, 2_000));
        Progress.Snapshot s = new Progress(dir).read(); // as another command would open it
        assertThat(s.chaptersRead()).containsExactly(0, 2);
        assertThat(s.tried()).singleElement().satisfies(t -> assertThat(t.step()).isEqualTo("new-leader"));
        assertThat(s.results()).extracting(Progress.Result::earned).containsExactly(30, 0);
        assertThat(Files.exists(dir.resolve("progress.mv.db"))).isTrue();
    }

    @Test
    void aResultIsMadeFromTheTestsThatRan() {
        List<TestResult> results = new ArrayList<>();
        results.add(new TestResult("1", "T", "t1", 2, "A", 3, "", "PASSED", "", ""));
        results.add(new TestResult("2", "T", "t2", 2, "A", 4, "", "FAILED", "a rule", ""));
        Progress.Result r = Progress.Result.of("grade", 2, results, true);
        assertThat(r).extracting(Progress.Result::earned, Progress.Result::possible, Progress.Result::passed, Progress.Result::tests, Progress.Result::partial)
                .containsExactly(3, 7, 1, 2, true);
    }

    /** Records {@code args[1]} results into the progress in {@code args[0]}, as a self-check in another process would. */
    public static void main(String[] args) {
        Progress p = new Progress(Path.of(args[0]));
        for (int i = 0; i < Integer.parseInt(args[1]); i++) p.record(new Progress.Result("lab", 1, i, 30, 0, 9, false, i));
    }

    @Test
    void anotherProcessRecordingAtTheSameTimeLosesNothing() throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
                ProgressTest.class.getName(), dir.toString(), "40").redirectErrorStream(true).start();
        Progress here = new Progress(dir);
        for (int i = 0; i < 40; i++) here.record(new Progress.Result("grade", 2, i, 30, 0, 9, false, i));
        String out = new String(child.getInputStream().readAllBytes());
        assertThat(child.waitFor()).as("the other process: %s", out).isZero();
        assertThat(here.read().results()).hasSize(80);
    }

    @Test
    void aProgressFileThatCannotBeWrittenIsSaidInOneLineNotThrown() throws Exception {
        Path notADir = Files.writeString(dir.resolve("file"), "x");
        var out = new java.io.ByteArrayOutputStream();
        new Progress(notADir).recordQuietly(new Progress.Result("lab", 1, 0, 1, 0, 1, false, 0), new java.io.PrintStream(out, true));
        assertThat(out.toString()).startsWith("Note: your progress was not recorded").hasLineCount(1);
    }
}
