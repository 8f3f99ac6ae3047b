package minietcd.kit.raft;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import minietcd.kit.node.Context;

/**
 * One Raft node's parts, wired together: what the labs' classes are given. It holds the shared
 * {@link RaftState}, the three lab parts, the storage and the state machine, and it is their only
 * way to the world. It also enforces two rules as they happen, so a broken one is named at once:
 * <ul>
 *   <li>Durability: a node sends nothing but AppendEntries and InstallSnapshot while it has unsynced writes;</li>
 *   <li>Apply order: entries are applied in index order, each exactly once, and only when committed.</li>
 * </ul>
 */
public final class Raft {
    private final Context ctx;
    private final RaftConfig config;
    private final RaftState state = new RaftState();
    private final RaftStorage storage;
    private final StateMachine stateMachine;
    private final RaftListener listener;
    private final List<Integer> peers;
    private final Map<Integer, Long> lastHeard = new TreeMap<>();
    private final Map<Long, Long> pendingReads = new TreeMap<>();
    Log log;
    Replicator replication;
    Elector election;

    Raft(Context ctx, RaftConfig config, RaftStorage storage, StateMachine stateMachine, RaftListener listener) {
        this.ctx = ctx;
        this.config = config;
        this.storage = storage;
        this.stateMachine = stateMachine;
        this.listener = listener;
        List<Integer> others = new ArrayList<>(ctx.members());
        others.remove(Integer.valueOf(ctx.id()));
        this.peers = List.copyOf(others);
    }

    public int id() { return ctx.id(); }
    /** Every member, this node included. */
    public List<Integer> members() { return ctx.members(); }
    /** Every member but this node. */
    public List<Integer> peers() { return peers; }
    /** How many members make a majority. */
    public int quorum() { return ctx.members().size() / 2 + 1; }
    public RaftConfig config() { return config; }
    public RaftState state() { return state; }
    public Log log() { return log; }
    public Replicator replication() { return replication; }
    public Elector election() { return election; }
    public RaftStorage storage() { return storage; }
    /** The node's seeded random generator: the only randomness allowed. */
    public RandomGenerator random() { return ctx.random(); }
    /** Virtual time in milliseconds. */
    public long now() { return ctx.now(); }

    /** When a message from {@code peer} last arrived, or {@code Long.MIN_VALUE} if none did in this incarnation. */
    public long lastHeard(int peer) {
        return lastHeard.getOrDefault(peer, Long.MIN_VALUE);
    }

    void heardFrom(int peer) {
        lastHeard.put(peer, ctx.now());
    }

    /** Writes term and vote to storage (not yet synced). */
    public void persistHardState() {
        storage.saveHardState(new HardState(state.term, state.votedFor));
    }

    /** Sends a Raft message, holding the node to the Durability rule. */
    public void send(int to, RaftMessage m) {
        if (!RaftMessage.mayPrecedeSync(m) && storage.dirty())
            throw new RuleViolation("Durability", "node " + id() + " sent " + m + " before syncing its writes (sync the storage first)");
        ctx.send(to, m);
    }

    /** Applies the entry at {@code lastApplied + 1}, which must be committed. */
    public void apply(Entry entry) {
        if (entry.index() != state.lastApplied + 1)
            throw new RuleViolation("Apply order", "node " + id() + " applied entry " + entry.index() + " after " + state.lastApplied);
        if (entry.index() > state.commitIndex)
            throw new RuleViolation("Apply order", "node " + id() + " applied entry " + entry.index() + " beyond its commit index " + state.commitIndex);
        stateMachine.apply(entry);
        state.lastApplied = entry.index();
        listener.applied(id(), entry);
    }

    /** The state machine's state now, for a snapshot at {@code lastApplied}. */
    public String snapshotData() {
        return stateMachine.snapshot();
    }

    /** Replaces the state machine's state with a snapshot's (a follower installing the leader's snapshot). */
    public void restore(Snapshot snapshot) {
        stateMachine.restore(snapshot.data());
        state.lastApplied = snapshot.index();
        state.commitIndex = Math.max(state.commitIndex, snapshot.index());
    }

    /** Lab 2 part C: the read {@code requestId} may be served once this node has applied {@code readIndex}. */
    public void readReady(long requestId, long readIndex) {
        pendingReads.put(requestId, readIndex);
        serveReads();
    }

    /** Lab 2 part C: the read {@code requestId} cannot be served here (not the leader, or leadership lost). */
    public void readFailed(long requestId) {
        listener.readDone(id(), requestId, -1, false);
    }

    void serveReads() {
        pendingReads.entrySet().removeIf(e -> {
            if (e.getValue() > state.lastApplied) return false;
            listener.readDone(id(), e.getKey(), e.getValue(), true);
            return true;
        });
    }
}
