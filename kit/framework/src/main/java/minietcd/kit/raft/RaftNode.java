package minietcd.kit.raft;

import minietcd.kit.node.Context;
import minietcd.kit.node.Message;
import minietcd.kit.node.Node;
import minietcd.kit.node.Timer;
import minietcd.kit.raft.RaftMessage.AppendEntries;
import minietcd.kit.raft.RaftMessage.AppendEntriesReply;
import minietcd.kit.raft.RaftMessage.InstallSnapshot;
import minietcd.kit.raft.RaftMessage.InstallSnapshotReply;
import minietcd.kit.raft.RaftMessage.RequestVote;
import minietcd.kit.raft.RaftMessage.RequestVoteReply;

/**
 * A Raft node as a deterministic event handler: it recovers from its disk, counts ticks and routes
 * each message to the lab part that handles it, after {@link Elector#step} has applied the term
 * rules. The routing is the kit's; the rules are the labs'.
 */
public final class RaftNode implements Node {
    private static final Tick TICK = new Tick();
    private final Context ctx;
    private final Raft raft;
    private final java.util.function.Function<Raft, Elector> electors;

    /** A node whose elector is lab 2's class. */
    public RaftNode(Context ctx, RaftConfig config, StateMachine stateMachine, RaftListener listener) {
        this(ctx, config, stateMachine, listener, LabClasses::newElector);
    }

    /** A node whose elector {@code electors} makes, once the node has recovered its log (lab 1's scenarios use the kit's own). */
    public RaftNode(Context ctx, RaftConfig config, StateMachine stateMachine, RaftListener listener, java.util.function.Function<Raft, Elector> electors) {
        this.ctx = ctx;
        this.raft = new Raft(ctx, config, new WalStorage(ctx.disk()), stateMachine, listener);
        this.electors = electors;
    }

    @Override
    public void start() {
        RaftStorage.Recovered recovered = raft.storage().load();
        raft.state().term = recovered.hardState().term();
        raft.state().votedFor = recovered.hardState().votedFor();
        raft.log = LabClasses.newLog(raft.storage(), recovered);
        if (recovered.snapshot().index() > 0) raft.restore(recovered.snapshot());
        raft.replication = LabClasses.newReplicator(raft);
        raft.election = electors.apply(raft);
        // Nodes' clocks are not aligned: each incarnation ticks at its own phase, so randomized
        // timeouts counted in whole ticks do not collide more often than they would in real life.
        ctx.setTimer(TICK, 1 + ctx.random().nextLong(raft.config().tickMillis()));
    }

    @Override
    public void onTimer(Timer timer) {
        if (!(timer instanceof Tick)) return;
        raft.election.tick();
        ctx.setTimer(TICK, raft.config().tickMillis());
        raft.serveReads();
    }

    @Override
    public void onMessage(int from, Message message) {
        if (!(message instanceof RaftMessage m)) return;
        raft.heardFrom(from);
        if (!raft.election.step(from, m)) return;
        if (m instanceof RequestVote v) raft.election.onRequestVote(from, v);
        else if (m instanceof RequestVoteReply r) raft.election.onRequestVoteReply(from, r);
        else if (m instanceof AppendEntries a) {
            raft.election.onLeaderContact(from);
            raft.replication.onAppendEntries(from, a);
        } else if (m instanceof InstallSnapshot s) {
            raft.election.onLeaderContact(from);
            raft.replication.onInstallSnapshot(from, s);
        } else if (m instanceof AppendEntriesReply r) {
            raft.replication.onAppendEntriesReply(from, r);
            if (r.readContext() != 0 && r.term() == raft.state().term) raft.election.onReadAck(from, r.readContext());
        } else if (m instanceof InstallSnapshotReply r) raft.replication.onInstallSnapshotReply(from, r);
        raft.serveReads();
    }

    /** A client's command. Returns its log index, or -1 if this node is not the leader. */
    public long propose(String command) {
        long index = raft.replication.propose(command);
        raft.serveReads();
        return index;
    }

    /** A client's linearizable read; the answer comes through {@link RaftListener#readDone}. */
    public void read(long requestId) {
        raft.election.readIndex(requestId);
        raft.serveReads();
    }

    public int id() { return ctx.id(); }
    public RaftState state() { return raft.state(); }
    public Log log() { return raft.log; }
    public boolean isLeader() { return raft.state().role == Role.LEADER; }
}
