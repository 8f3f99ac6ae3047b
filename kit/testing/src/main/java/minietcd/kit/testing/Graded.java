package minietcd.kit.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A graded test: a JUnit test that belongs to one part of one lab and is worth some points.
 * The description is what a learner reads in the results table, so it says what the rule is,
 * in one line. A graded test may take a {@link Seeds} parameter to run a scenario over many seeds.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Test
@ExtendWith(SeedsExtension.class)
public @interface Graded {
    /** The lab number, from 1. */
    int lab();

    /** The part of the lab: "A", "B", ... */
    String part();

    /** What passing is worth. */
    int points();

    /** One line a learner understands: the rule this test checks. */
    String value();
}
