package minietcd.kit.raft;

/**
 * The state Raft must persist before answering: the current term and the vote cast in it.
 *
 * @param term     the latest term this node has seen
 * @param votedFor the candidate voted for in {@code term}, or 0 for none
 */
public record HardState(long term, int votedFor) {
    public static final HardState INITIAL = new HardState(0, 0);
}
