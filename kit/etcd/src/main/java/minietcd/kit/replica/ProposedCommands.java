package minietcd.kit.replica;

import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import minietcd.kit.raft.Entry;
import minietcd.kit.raft.Log;

/**
 * The client commands a member knows to be in its log already (proposed by it, seen in its log's
 * tail when it became leader, or applied), by proposer and request id, so that a leader never
 * appends the same client request twice however often it is forwarded: a follower sends its pending
 * writes again when the leader changes, and again while they go unanswered, since a forward to a
 * leader that died or was deposed is lost.
 *
 * <p>Why this is enough for exactly-once: a leader that has a command in its log (committed or not)
 * finds it here; a leader that does not may append it again, and then at most one of the two copies
 * can ever be committed (a log that holds the new copy comes from a later term than the old copy's,
 * so a leader holding only the old one cannot be elected by those who hold the new one, and one
 * that commits the new one's term rules the old one out). What it may miss is a command compacted
 * away into a snapshot before a restart, which needs thousands of entries within one request's
 * timeout; the memory holds the last {@value #REMEMBERED}.
 *
 * <p>Used on the node's thread; deterministic. Commands with proposer 0 (a lease the leader expires)
 * wait for no one and are not remembered.
 */
final class ProposedCommands {
    static final int REMEMBERED = 100_000;

    private final LinkedHashSet<String> known = new LinkedHashSet<>();

    /** Notes {@code c} as in the log; returns false if it was known already. */
    boolean add(Command c) {
        if (c.proposer() == 0) return true;
        if (!known.add(c.proposer() + "/" + c.requestId())) return false;
        if (known.size() > REMEMBERED) {
            Iterator<String> oldest = known.iterator();
            oldest.next();
            oldest.remove();
        }
        return true;
    }

    /** Notes every command of entries {@code from..to} of {@code log} (a new leader's unapplied tail). */
    void addAll(Log log, long from, long to) {
        for (long i = Math.max(from, log.firstIndex()); i <= to; i++) addEntry(log.entry(i));
    }

    /** Notes every command of one entry; an entry that is not a command holds none. */
    void addEntry(Entry e) {
        for (Command c : commands(e)) add(c);
    }

    /** The commands of an entry: none for a no-op or for text that is not a command. */
    static List<Command> commands(Entry e) {
        if (e.command().isEmpty()) return List.of();
        try {
            return Command.entry(e.command());
        } catch (RuntimeException notACommand) {
            return List.of();
        }
    }
}
