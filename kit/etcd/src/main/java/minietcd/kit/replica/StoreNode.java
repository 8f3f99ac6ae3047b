package minietcd.kit.replica;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import minietcd.kit.etcd.EtcdReply;
import minietcd.kit.etcd.EtcdRequest;
import minietcd.kit.etcd.GatewayRpc;
import minietcd.kit.etcd.Header;
import minietcd.kit.mvcc.Backend;
import minietcd.kit.mvcc.EtcdException;
import minietcd.kit.mvcc.KV;
import minietcd.kit.mvcc.Stores;
import minietcd.kit.node.Context;
import minietcd.kit.node.Disk;
import minietcd.kit.node.Message;
import minietcd.kit.node.Node;
import minietcd.kit.node.Timer;
import minietcd.kit.raft.Entry;
import minietcd.kit.raft.RaftConfig;
import minietcd.kit.raft.RaftListener;
import minietcd.kit.raft.RaftMessage;
import minietcd.kit.raft.RaftNode;
import minietcd.kit.raft.Role;
import minietcd.kit.raft.Snapshot;
import minietcd.kit.raft.StateMachine;
import minietcd.kit.watch.Watchable;
import minietcd.kit.watch.Watchers;

/**
 * One member of the replicated store: lab 1 and 2's Raft carrying etcd's requests, applied to lab 3
 * and 4's watchable store. A deterministic event handler like every node; a client's request comes in
 * through {@link #submit} and its answer goes out through the callback given, both on the node's own
 * thread.
 *
 * <ul>
 *   <li>Writes (put, delete, txn, compaction, lease grant, revoke and keep-alive) become log entries
 *       (a {@link Command}); a follower forwards its client's write to the leader. Every member applies
 *       every entry, and the member that holds the client's request answers it with what its own
 *       store said. The store's backend records the index of the last applied entry (the consistent
 *       index) in the same commit as the entry's writes, so after a restart nothing is applied twice.</li>
 *   <li>Linearizable reads wait for a read index from the leader (ReadIndex: lab 2 part C) and are then
 *       served by the member's own store; serializable reads are served at once, even without a leader.</li>
 *   <li>Leases are kept on the entries' clock: the leader proposes a revoke for each lease whose time is
 *       up, and a new leader first gives every lease a whole TTL (as etcd's lessor promotion does).</li>
 *   <li>A request that has not ended after {@code requestTimeoutMillis} ends with etcd's timeout errors.</li>
 *   <li>Watches are served by the member's own store ({@link #store()}).</li>
 *   <li>In the simulator, client nodes send their requests and watches as {@link ClientMessage}s,
 *       served the same way.</li>
 * </ul>
 */
public final class StoreNode implements Node, StateMachine, RaftListener {
    /**
     * @param raft                 Raft's knobs
     * @param requestTimeoutMillis how long a request may wait for the log or a read index (etcd: 5 s + 2 election timeouts)
     */
    public record Config(RaftConfig raft, long requestTimeoutMillis) {
        public static final Config DEFAULT = new Config(RaftConfig.DEFAULT.withPreVoteAndCheckQuorum().withSnapshots(10_000), 7_000);
    }

    /** What the status RPC reports; {@code leader} is 0 when this member knows no leader. */
    public record Status(long memberId, long leaderMemberId, long raftTerm, long raftIndex, long appliedIndex, long revision) {}

    /** Hears what the runtime (or a test) must act on; also hears every applied entry. */
    public interface Listener extends RaftListener {
        /** The store object was replaced (a snapshot from the leader was installed): its watchers are gone. */
        default void storeReplaced() {}

        /** A peer's message was dropped because no correct member could have sent it (see {@link PeerChecks}); the runtime logs it. */
        default void refused(int from, Message message, String why) {}
    }

    private record StoreTick() implements Timer {}

    /** A client's write this member holds: its command, until it is applied (or times out), and when it was last sent to a leader. */
    private static final class Pending {
        final Command command;
        final Consumer<Outcome> reply;
        final long deadline;
        long sentAt = Long.MIN_VALUE;

        Pending(Command command, Consumer<Outcome> reply, long deadline) {
            this.command = command;
            this.reply = reply;
            this.deadline = deadline;
        }
    }

    private static final long TICK_MS = 100, FORWARD_RETRY_MS = 1_000;

    private final Context ctx;
    private final Config config;
    private final DeferredCommitBackend backend;
    private final Listener listener;
    private final RaftNode raft;
    private KV kv;
    private Watchable store;
    /** The store's clock: the applied entry's time while applying, this node's time while reading. */
    private long clock;
    /** The last log index whose writes are in the backend. */
    private long consistentIndex;
    /**
     * The next request or read id. It starts at a random point in each incarnation: an answer or an
     * entry meant for a request of an earlier incarnation must not be taken for one of this one's.
     */
    private long nextId;
    private final Map<Long, Pending> writes = new TreeMap<>();
    private final LinearizableReads reads;
    private final LeaseDeadlines leases = new LeaseDeadlines();
    private boolean leading;
    private boolean batching;
    private final List<String> proposals = new ArrayList<>();
    /** The client commands this node knows are in its log: a leader appends each at most once (see {@link ProposedCommands}). */
    private final ProposedCommands inLog = new ProposedCommands();
    /** The simulated clients' calls and watch streams. */
    private final ClientSessions clients;
    /** The leader this node knew after the last event, 0 for none. */
    private int leaderSeen;
    /**
     * This node's clock when it last started or installed a snapshot, and its next request id then:
     * what it knows of the commands in its log may miss those compacted into a snapshot before that
     * (see {@link #appendable}).
     */
    private long memorySince, ownIdsSince;

    public StoreNode(Context ctx, Config config, Backend backend, Listener listener) {
        this.ctx = ctx;
        this.config = config;
        this.backend = new DeferredCommitBackend(backend);
        this.listener = listener;
        this.raft = new RaftNode(new SnapshotSending(ctx), config.raft(), this, this);
        this.clients = new ClientSessions(ctx, () -> store, this::submit);
        this.reads = new LinearizableReads(ctx, raft, this::serve, () -> nextId++);
    }

    public StoreNode(Context ctx, Config config, Backend backend) {
        this(ctx, config, backend, new Listener() {});
    }

    @Override
    public void start() {
        nextId = ctx.random().nextLong(1L << 62);
        clock = ctx.now();
        memorySince = clock;
        ownIdsSince = nextId;
        openStore();
        raft.start();
        ctx.setTimer(new StoreTick(), TICK_MS);
        afterEvent();
    }

    // ---- the runtime's calls ----

    /**
     * A client's request, which the edge that took it has checked ({@link GatewayRpc#decode} for
     * the JSON gateway). The reply comes exactly once, now or in a later event.
     */
    public void submit(EtcdRequest request, Consumer<Outcome> reply) {
        long deadline = ctx.now() + config.requestTimeoutMillis();
        if (request.isRead()) {
            if (request.isSerializable()) {
                reply.accept(serve(request));
            } else {
                reads.add(request, reply, deadline);
            }
        } else {
            long id = nextId++;
            Pending p = new Pending(new Command(ctx.id(), id, ctx.now(), leaseIdChosen(request)), reply, deadline);
            writes.put(id, p);
            send(p);
        }
        afterEvent();
    }

    @Override
    public void onMessage(int from, Message message) {
        if (message instanceof ClientMessage m && !ctx.members().contains(from)) { // a simulated client's
            clients.onMessage(from, m);
            afterEvent();
            return;
        }
        String implausible = PeerChecks.implausible(raft, ctx.members(), ctx.id(), from, message);
        if (implausible != null) {
            listener.refused(from, message, implausible);
            return;
        }
        if (message instanceof StoreMessage.Forward f) {
            // A follower's write: appended once however often it comes (the follower sends it again
            // while it goes unanswered); a node that does not lead drops it, and the follower sends it
            // to the next leader.
            if (raft.isLeader() && appendable(Command.decode(f.command()))) leaderPropose(f.command());
        } else if (message instanceof StoreMessage.ReadIndexAsk a) {
            reads.asked(from, a.readId());
        } else if (message instanceof StoreMessage.ReadIndexAnswer a) {
            reads.known(a.readId(), a.index(), a.ok());
        } else {
            raft.onMessage(from, message);
        }
        afterEvent();
    }

    @Override
    public void onTimer(Timer timer) {
        if (timer instanceof StoreTick) {
            ctx.setTimer(timer, TICK_MS);
            tick();
        } else {
            raft.onTimer(timer);
        }
        afterEvent();
    }

    /** The member's watchable store: watches are served from it, under the runtime's one thread or lock. */
    public Watchable store() {
        return store;
    }

    public Status status() {
        int leader = raft.state().leader;
        return new Status(MemberIds.member(ctx.id()), leader == 0 ? 0 : MemberIds.member(leader), raft.state().term,
                raft.log().lastIndex(), raft.state().lastApplied, kv.currentRevision());
    }

    /** The response header this member gives at {@code revision}. */
    public Header header(long revision) {
        return new Header(MemberIds.CLUSTER, MemberIds.member(ctx.id()), revision, raft.state().term);
    }

    public RaftNode raft() {
        return raft;
    }

    /** Writes the applied entries to the backend durably (a runtime closing the member cleanly). */
    public void flush() {
        backend.flush();
    }

    // ---- writes ----

    /** A grant that leaves the id to the server gets one here, so every member grants the same id. */
    private EtcdRequest leaseIdChosen(EtcdRequest request) {
        if (!(request instanceof EtcdRequest.LeaseGrant g) || g.id() != 0) return request;
        long id = 0;
        while (id == 0) id = ctx.random().nextLong() & Long.MAX_VALUE;
        return new EtcdRequest.LeaseGrant(g.ttl(), id);
    }

    /**
     * Whether the leader may append client command {@code c}: not if its log holds it already, and not
     * if it may have been compacted away before this node last started or installed a snapshot (where
     * this node's memory of its log has a hole): a command proposed before then, by this node or by
     * another (the members' clocks are one machine's), is left to time out rather than risk being
     * applied twice.
     */
    private boolean appendable(Command c) {
        boolean afterHole = c.proposer() == ctx.id() ? c.requestId() >= ownIdsSince : c.time() > memorySince;
        return afterHole && inLog.add(c);
    }

    /**
     * Puts a pending write on its way: a leader appends it unless its log has it already; a follower
     * forwards it to the leader it knows; without a leader it waits for one (see {@link #afterEvent}).
     */
    private void send(Pending p) {
        int leader = raft.state().leader;
        if (raft.isLeader()) {
            if (appendable(p.command)) leaderPropose(p.command.encode());
        } else if (leader != 0 && leader != ctx.id()) {
            ctx.send(leader, new StoreMessage.Forward(p.command.encode()));
        } else {
            return;
        }
        p.sentAt = ctx.now();
    }

    /**
     * The leader proposes a command: at once, or, when the runtime runs events in batches, with the
     * other commands of the batch in one entry at {@link #endOfBatch()}: one append and one round of
     * messages for all of them instead of one each.
     */
    private void leaderPropose(String encoded) {
        if (batching) proposals.add(encoded);
        else raft.propose(encoded);
    }

    /**
     * Called by a runtime that runs several events back to back (see {@link #batchProposals}), after
     * the last of them: proposes the commands they brought, in one entry.
     */
    public void endOfBatch() {
        if (proposals.isEmpty()) return;
        List<String> all = List.copyOf(proposals);
        proposals.clear();
        if (raft.isLeader()) raft.propose(all.size() == 1 ? all.get(0) : Command.batch(all)); // else lost, as a proposal to a deposed leader is
        afterEvent();
    }

    /** From now on, proposals wait for {@link #endOfBatch()}. */
    public void batchProposals() {
        batching = true;
    }

    @Override
    public void apply(Entry entry) {
        List<Command> commands = ProposedCommands.commands(entry); // text that is no command holds none: every member skips it alike
        for (Command c : commands) inLog.add(c); // also for an entry the backend already holds (a restart): it is in the log all the same
        if (commands.isEmpty() || entry.index() <= consistentIndex) return; // a no-op, or already in the backend
        consistentIndex = entry.index();
        backend.putMeta(Backend.CONSISTENT_INDEX, entry.index()); // committed with the entry's writes
        for (Command c : commands) apply(c);
    }

    /**
     * Applies one committed command. Whatever the command makes the store or the codec throw, it
     * ends as that command's failed result, on every member alike (the same entry throws the same
     * way everywhere), and the member goes on: a request must never be able to stop the members
     * that apply it, now and again at every restart, since the entry stays in the log.
     */
    private void apply(Command c) {
        clock = c.time();
        Outcome outcome;
        try {
            outcome = answer(GatewayRpc.run(store, c.request()));
            leases.applied(c);
        } catch (EtcdException e) {
            outcome = new Outcome.Refused(e);
        } catch (RuntimeException | StackOverflowError e) {
            outcome = new Outcome.Refused(new EtcdException(EtcdException.INTERNAL, "etcdserver: the entry could not be applied: " + e));
        }
        if (c.proposer() == ctx.id()) {
            Pending p = writes.remove(c.requestId());
            if (p != null) p.reply.accept(outcome);
        }
    }

    /** The answer to a client, under this member's header for its revision. */
    private Outcome answer(EtcdReply reply) {
        return new Outcome.Answer(header(reply.revision()), reply);
    }

    // ---- reads ----

    @Override
    public void applied(int node, Entry entry) {
        listener.applied(node, entry);
    }

    @Override
    public void readDone(int node, long requestId, long index, boolean ok) {
        reads.readDone(requestId, index, ok);
    }

    private Outcome serve(EtcdRequest request) {
        clock = ctx.now();
        try {
            return answer(GatewayRpc.run(store, request));
        } catch (EtcdException e) {
            return new Outcome.Refused(e);
        }
    }

    // ---- time ----

    private void tick() {
        long now = ctx.now();
        for (Iterator<Pending> it = writes.values().iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (p.deadline <= now) {
                it.remove();
                p.reply.accept(Outcome.writeTimedOut());
            } else if (now - p.sentAt >= FORWARD_RETRY_MS && !raft.isLeader()) {
                send(p); // the forward, or the leader, may have been lost: the leader appends it at most once
            }
        }
        reads.tick(now);
        clock = now;
        store.tick();
        expireLeases(now);
    }

    /** The leader proposes a revoke for each lease whose deadline passed, once it has applied its own term's entries. */
    private void expireLeases(long now) {
        if (!raft.isLeader()) return;
        long applied = raft.state().lastApplied;
        if (applied < raft.log().snapshot().index() || raft.log().term(applied) != raft.state().term) return;
        for (long id : leases.due(now)) { // a lone member applies a proposal at once, which changes the leases
            raft.propose(new Command(0, 0, now, new EtcdRequest.LeaseRevoke(id)).encode());
        }
    }

    /** After every event: notice a new leadership, serve the reads whose index is applied, commit what the event applied. */
    private void afterEvent() {
        boolean leader = raft.state().role == Role.LEADER;
        if (leader && !leading) {
            long now = ctx.now();
            leases.promoted(now);
            inLog.addAll(raft.log(), raft.state().lastApplied + 1, raft.log().lastIndex()); // what earlier leaders appended and it holds
        }
        leading = leader;
        int leaderNow = raft.state().leader;
        if (leaderNow != leaderSeen) { // a new leader (or none): writes sent to the old one may be lost with it
            leaderSeen = leaderNow;
            if (leaderNow != 0) for (Pending p : List.copyOf(writes.values())) send(p);
        }
        reads.serveUpTo(raft.state().lastApplied);
        backend.flush(); // one backend commit for the event, however many writes its entries made
    }

    // ---- the state machine's snapshot ----

    /**
     * A reference to the backend, once it holds everything applied, forced to the device: the log
     * may then forget those entries (see {@link StoreSnapshot}).
     */
    @Override
    public String snapshot() {
        long applied = raft.state().lastApplied;
        if (applied > consistentIndex) { // only no-op entries since the last write: the store stands at applied too
            consistentIndex = applied;
            backend.putMeta(Backend.CONSISTENT_INDEX, applied);
        }
        backend.flushForced();
        return StoreSnapshot.reference(applied);
    }

    @Override
    public void restore(String data) {
        long index = StoreSnapshot.index(data);
        if (index <= consistentIndex) return; // the backend already holds this much (a restart)
        if (StoreSnapshot.isReference(data))
            throw new IllegalStateException("the store's backend stands at log index " + consistentIndex + ", behind the Raft snapshot at " + index
                    + " that refers to it: the store's files were lost or replaced, and the log no longer holds what they did");
        StoreSnapshot.load(data, backend);
        backend.flush();
        memorySince = ctx.now();
        ownIdsSince = nextId;
        openStore();
        clients.storeReplaced();
        listener.storeReplaced();
    }

    private void openStore() {
        clock = ctx.now();
        kv = Stores.open(backend, () -> clock);
        store = Watchers.open(kv);
        consistentIndex = backend.meta(Backend.CONSISTENT_INDEX, 0);
        leases.reload(kv.leases(), clock);
    }

    /**
     * The context Raft sends through. The snapshot in a member's log is only a reference to its own
     * backend, so an InstallSnapshot the leader sends carries the whole store instead, as of the last
     * applied entry or the backend's consistent index, whichever is later (at or past the log's snapshot;
     * a follower takes the entries before it as matching).
     */
    private final class SnapshotSending implements Context {
        private final Context ctx;

        SnapshotSending(Context ctx) {
            this.ctx = ctx;
        }

        @Override
        public void send(int to, Message message) {
            if (message instanceof RaftMessage.InstallSnapshot m && StoreSnapshot.isReference(m.snapshot().data())) {
                // Just after a restart the backend may stand past lastApplied: Raft applies those entries again and the store skips them.
                long at = Math.max(raft.state().lastApplied, consistentIndex);
                message = new RaftMessage.InstallSnapshot(m.term(), m.leader(), new Snapshot(at, raft.log().term(at), StoreSnapshot.dump(backend, at)));
            }
            ctx.send(to, message);
        }

        @Override public int id() { return ctx.id(); }
        @Override public List<Integer> members() { return ctx.members(); }
        @Override public void setTimer(Timer timer, long delayMillis) { ctx.setTimer(timer, delayMillis); }
        @Override public long now() { return ctx.now(); }
        @Override public RandomGenerator random() { return ctx.random(); }
        @Override public Disk disk() { return ctx.disk(); }
    }
}
