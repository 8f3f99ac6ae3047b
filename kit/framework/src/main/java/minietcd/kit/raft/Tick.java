package minietcd.kit.raft;

import minietcd.kit.node.Timer;

/** The one timer of a Raft node: it fires every {@link RaftConfig#tickMillis()}, and the node counts ticks. */
public record Tick() implements Timer {
    @Override
    public boolean routine() {
        return true;
    }
}
