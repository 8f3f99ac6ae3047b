package minietcd.kit.testing;

import static org.assertj.core.api.Assertions.assertThat;

import minietcd.kit.sim.NodeFailure;
import org.junit.jupiter.api.Test;

class LearnerStackTest {
    private static StackTraceElement frame(String cls, String method) {
        return new StackTraceElement(cls, method, cls.substring(cls.lastIndexOf('.') + 1) + ".java", 10);
    }

    @Test
    void showsWhereTheLabsCodeThrewUnderTheKitsWrapper() {
        NullPointerException npe = new NullPointerException("x is null");
        npe.setStackTrace(new StackTraceElement[] {frame("java.util.Objects", "requireNonNull"), frame("minietcd.raft.Replication", "onAppendEntries"),
                frame("minietcd.kit.raft.RaftNode", "onMessage"), frame("minietcd.raft.Election", "step"), frame("minietcd.raft.ReplicationTest", "basicAgreement")});
        String stack = Seeds.learnerStack(new NodeFailure(3, "handling AppendEntries", 956, npe));
        assertThat(stack).startsWith("java.lang.NullPointerException: x is null")
                .contains("at java.util.Objects.requireNonNull", "at minietcd.raft.Replication.onAppendEntries", "at minietcd.raft.Election.step")
                .doesNotContain("RaftNode", "ReplicationTest", "NodeFailure");
    }

    @Test
    void nothingForATodoOrABrokenRule() {
        assertThat(Seeds.learnerStack(new UnsupportedOperationException("TODO(lab 1 part A): keep the entries"))).isEmpty();
        assertThat(Seeds.learnerStack(new AssertionError("Log Matching broken"))).isEmpty();
    }
}
