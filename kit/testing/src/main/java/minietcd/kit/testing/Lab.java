package minietcd.kit.testing;

import java.util.List;
import java.util.Optional;

/**
 * The labs of the kit: their number, short name (as in {@code ./jbang lab-<name>}), folder under
 * {@code labs/} and {@code solutions/}, and parts.
 */
public enum Lab {
    LOG(1, "log", "1-log", List.of("A", "B", "C"), "the Raft log: storage, replication and commit, snapshots"),
    ELECTION(2, "election", "2-election", List.of("A", "B", "C"), "leader election: terms and votes, leader change, PreVote, CheckQuorum and ReadIndex"),
    MVCC(3, "mvcc", "3-mvcc", List.of("A", "B", "C", "D"), "etcd's versioned store: revisions and the key index, txn, compaction and recovery, leases"),
    WATCH(4, "watch", "4-watch", List.of("A", "B", "C"), "etcd's watch: live watchers, catch-up from history and compaction, progress and slow consumers"),
    CONTROLPLANE(5, "controlplane", "5-controlplane", List.of("A", "B", "C", "D"), "the control plane over the store: the API server's storage layer, the informer and work queue, the scheduler, the ReplicaSet and node lifecycle controllers, leader election with Leases");

    public final int number;
    public final String shortName;
    public final String folder;
    public final List<String> parts;
    public final String title;

    Lab(int number, String shortName, String folder, List<String> parts, String title) {
        this.number = number;
        this.shortName = shortName;
        this.folder = folder;
        this.parts = parts;
        this.title = title;
    }

    /**
     * The labs whose classes this lab's tests run on (its module's test dependencies say the same).
     * No two labs build on each other: lab 1's scenarios take their leaders from the kit, not lab 2.
     */
    public List<Lab> buildsOn() {
        return switch (this) {
            case LOG, MVCC -> List.of();
            case ELECTION -> List.of(LOG);
            case WATCH -> List.of(MVCC);
            case CONTROLPLANE -> List.of(LOG, ELECTION, MVCC, WATCH);
        };
    }

    /** The labs a member of the replicated store runs (lab 5's components are the store's clients). */
    public static List<Lab> store() {
        return List.of(LOG, ELECTION, MVCC, WATCH);
    }

    public static Optional<Lab> byNumber(int number) {
        for (Lab l : values()) if (l.number == number) return Optional.of(l);
        return Optional.empty();
    }

    public static Optional<Lab> byName(String name) {
        for (Lab l : values()) if (l.shortName.equalsIgnoreCase(name) || l.folder.equalsIgnoreCase(name) || String.valueOf(l.number).equals(name))
            return Optional.of(l);
        return Optional.empty();
    }
}
