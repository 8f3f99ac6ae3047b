package minietcd.kit.raft;

/**
 * One log entry. Index 1 is the first entry; the empty command is the no-op a new leader appends.
 *
 * @param index   position in the log, from 1
 * @param term    the leader's term when it was appended
 * @param command what the state machine applies
 */
public record Entry(long index, long term, String command) {
    public Entry {
        if (index < 1 || term < 1) throw new IllegalArgumentException("entry needs index >= 1 and term >= 1: " + index + "/" + term);
        if (command == null) throw new IllegalArgumentException("command must not be null");
    }

    @Override
    public String toString() {
        return index + "@" + term + (command.isEmpty() ? "(no-op)" : "(" + (command.length() > 40 ? command.substring(0, 40) + "…" : command) + ")");
    }
}
