package minietcd.kit.raft;

import minietcd.kit.lab.LabClass;

/**
 * Lab 1's and lab 2's classes, opened by name ({@link LabClass}), so the same kit runs a learner's
 * classes or the reference solution's: {@code minietcd.raft.RaftLog} (lab 1 A),
 * {@code minietcd.raft.Replication} (lab 1 B, C) and {@code minietcd.raft.Election} (lab 2).
 */
public final class LabClasses {
    public static final LabClass<Log> LOG = new LabClass<>(1, "minietcd.raft.RaftLog", Log.class);
    public static final LabClass<Replicator> REPLICATION = new LabClass<>(1, "minietcd.raft.Replication", Replicator.class);
    public static final LabClass<Elector> ELECTION = new LabClass<>(2, "minietcd.raft.Election", Elector.class);

    private LabClasses() {}

    public static Log newLog(RaftStorage storage, RaftStorage.Recovered recovered) {
        return LOG.create(new Class<?>[] {RaftStorage.class, RaftStorage.Recovered.class}, storage, recovered);
    }

    public static Replicator newReplicator(Raft raft) {
        return REPLICATION.create(new Class<?>[] {Raft.class}, raft);
    }

    public static Elector newElector(Raft raft) {
        return ELECTION.create(new Class<?>[] {Raft.class}, raft);
    }
}
