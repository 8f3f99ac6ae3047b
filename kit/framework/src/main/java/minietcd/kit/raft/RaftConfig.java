package minietcd.kit.raft;

/**
 * Raft's knobs, in ticks as etcd counts them. The defaults are etcd's: a 100 ms tick, a heartbeat
 * every tick, an election timeout of 10 ticks (randomized in [10, 20) ticks).
 *
 * @param tickMillis         how often {@link Elector#tick()} runs
 * @param heartbeatTicks     ticks between a leader's heartbeats
 * @param electionTicks      the base election timeout in ticks
 * @param maxEntriesPerAppend at most this many entries in one AppendEntries
 * @param snapshotEntries    compact the log when more than this many applied entries are kept (0: never)
 * @param preVote            run a pre-vote before a real election
 * @param checkQuorum        a leader steps down when it has not heard from a quorum for an election timeout
 */
public record RaftConfig(long tickMillis, int heartbeatTicks, int electionTicks, int maxEntriesPerAppend,
                         int snapshotEntries, boolean preVote, boolean checkQuorum) {
    public static final RaftConfig DEFAULT = new RaftConfig(100, 1, 10, 64, 0, false, false);

    public RaftConfig withSnapshots(int entries) {
        return new RaftConfig(tickMillis, heartbeatTicks, electionTicks, maxEntriesPerAppend, entries, preVote, checkQuorum);
    }

    public RaftConfig withMaxEntriesPerAppend(int max) {
        return new RaftConfig(tickMillis, heartbeatTicks, electionTicks, max, snapshotEntries, preVote, checkQuorum);
    }

    public RaftConfig withPreVoteAndCheckQuorum() {
        return new RaftConfig(tickMillis, heartbeatTicks, electionTicks, maxEntriesPerAppend, snapshotEntries, true, true);
    }
}
