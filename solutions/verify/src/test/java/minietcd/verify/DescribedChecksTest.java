package minietcd.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import minietcd.kit.grader.Layout;
import minietcd.kit.testing.Lab;
import org.junit.jupiter.api.Test;

/**
 * The guides promise that a failing visible test's first line is the check that failed, its
 * description in brackets: so every assertion of every lab's visible tests carries {@code .as(...)}.
 */
class DescribedChecksTest {
    @Test
    void everyAssertionOfTheVisibleTestsSaysWhatItChecks() throws Exception {
        List<String> bare = new ArrayList<>();
        int checked = 0;
        for (Lab lab : Lab.values()) {
            Path tests = Layout.current().labTestSources(lab);
            List<Path> files;
            try (Stream<Path> walk = Files.walk(tests)) {
                files = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
            }
            for (Path f : files) {
                String code = Files.readString(f).replaceAll("//[^\n]*", "");
                for (String statement : code.split(";")) {
                    if (!statement.matches("(?s).*\\bassertThat(ThrownBy)?\\(.*")) continue;
                    checked++;
                    if (!statement.contains(".as(") && !statement.contains("describedAs("))
                        bare.add(tests.relativize(f) + ": " + statement.strip().replaceAll("\\s+", " "));
                }
            }
        }
        assertThat(checked).as("assertions found in the visible tests").isGreaterThan(200);
        assertThat(bare).as("assertions without a description (.as(\"...\")): a learner would see bare assertion text").isEmpty();
    }
}
