package minietcd.kit.raft;

/**
 * A state machine snapshot that replaces the log up to and including {@code index}.
 *
 * @param index the last log index the snapshot covers (0: no snapshot)
 * @param term  the term of that entry
 * @param data  the state machine's state after applying that entry
 */
public record Snapshot(long index, long term, String data) {
    public static final Snapshot NONE = new Snapshot(0, 0, "");

    @Override
    public String toString() {
        return "Snapshot[" + index + "@" + term + ", " + data.length() + " chars]";
    }
}
