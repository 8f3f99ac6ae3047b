package minietcd.kit.raft;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;

/**
 * Finds the labs' classes by name on the classpath, so the same kit runs a learner's classes or
 * the reference solution's: {@code minietcd.raft.RaftLog} (lab 1 A), {@code minietcd.raft.Replication}
 * (lab 1 B, C) and {@code minietcd.raft.Election} (lab 2).
 */
public final class LabClasses {
    public static final String LOG = "minietcd.raft.RaftLog";
    public static final String REPLICATION = "minietcd.raft.Replication";
    public static final String ELECTION = "minietcd.raft.Election";

    private LabClasses() {}

    public static Log newLog(RaftStorage storage, RaftStorage.Recovered recovered) {
        return create(LOG, Log.class, new Class<?>[] {RaftStorage.class, RaftStorage.Recovered.class}, storage, recovered);
    }

    public static Replicator newReplicator(Raft raft) {
        return create(REPLICATION, Replicator.class, new Class<?>[] {Raft.class}, raft);
    }

    public static Elector newElector(Raft raft) {
        return create(ELECTION, Elector.class, new Class<?>[] {Raft.class}, raft);
    }

    private static <T> T create(String name, Class<T> type, Class<?>[] params, Object... args) {
        Constructor<?> c;
        try {
            c = Class.forName(name).getConstructor(params);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the lab class " + name + " is not on the classpath", e);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(name + " needs a public constructor taking " + java.util.Arrays.toString(params), e);
        }
        try {
            return type.cast(c.newInstance(args));
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalStateException("cannot create " + name + " as a " + type.getSimpleName(), e);
        }
    }
}
