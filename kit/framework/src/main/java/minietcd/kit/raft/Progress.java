package minietcd.kit.raft;

/**
 * What a leader knows of one follower's log (Figure 2's nextIndex and matchIndex).
 * Invariant: {@code matchIndex < nextIndex}; matchIndex never decreases within a term.
 */
public final class Progress {
    /** The index of the next entry to send to this follower. */
    public long nextIndex;
    /** The highest index known to be replicated on this follower (0 if none). */
    public long matchIndex;

    public Progress(long nextIndex) {
        this.nextIndex = nextIndex;
    }

    @Override
    public String toString() {
        return "next=" + nextIndex + " match=" + matchIndex;
    }
}
