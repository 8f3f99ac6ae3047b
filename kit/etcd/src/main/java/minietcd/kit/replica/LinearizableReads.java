package minietcd.kit.replica;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import minietcd.kit.etcd.EtcdRequest;
import minietcd.kit.node.Context;
import minietcd.kit.raft.RaftNode;

/**
 * A member's linearizable reads (Raft's ReadIndex, lab 2 part C, across members): a read asks the
 * leader for a read index (the leader asks its own Raft, which confirms its leadership with a
 * quorum), and is served from the member's own store once the member has applied that index. A read
 * asked of a member that does not lead asks again; one that is not served within its deadline ends
 * with etcd's timeout error. Deterministic; a member's node owns one.
 */
final class LinearizableReads {
    /** How long a read waits for its read index before it asks again. */
    static final long RETRY_MS = 500;

    private static final class Read {
        final EtcdRequest request;
        final Consumer<Outcome> reply;
        final long deadline;
        long index = -1;
        long askedAt = Long.MIN_VALUE;

        Read(EtcdRequest request, Consumer<Outcome> reply, long deadline) {
            this.request = request;
            this.reply = reply;
            this.deadline = deadline;
        }
    }

    private final Context ctx;
    private final RaftNode raft;
    private final Function<EtcdRequest, Outcome> serve;
    private final LongSupplier ids;
    private final Map<Long, Read> reads = new LinkedHashMap<>();
    /** On the leader: its ReadIndex request ids, to the member that asked and that member's read id. */
    private final Map<Long, long[]> asked = new TreeMap<>();

    /**
     * @param serve runs a read on the member's store
     * @param ids   the member's request numbers
     */
    LinearizableReads(Context ctx, RaftNode raft, Function<EtcdRequest, Outcome> serve, LongSupplier ids) {
        this.ctx = ctx;
        this.raft = raft;
        this.serve = serve;
        this.ids = ids;
    }

    /** A client's read; {@code reply} runs once, in this event or a later one. */
    void add(EtcdRequest request, Consumer<Outcome> reply, long deadline) {
        long id = ids.getAsLong();
        Read r = new Read(request, reply, deadline);
        reads.put(id, r);
        ask(id, r);
    }

    private void ask(long id, Read r) {
        r.askedAt = ctx.now();
        int leader = raft.state().leader;
        if (raft.isLeader()) asked(ctx.id(), id);
        else if (leader != 0 && leader != ctx.id()) ctx.send(leader, new StoreMessage.ReadIndexAsk(id));
    }

    /** On the leader: member {@code from} wants a read index for its read {@code readId}. */
    void asked(int from, long readId) {
        if (!raft.isLeader()) {
            answer(from, readId, -1, false);
            return;
        }
        long id = ids.getAsLong();
        asked.put(id, new long[] {from, readId});
        raft.read(id);
    }

    /** On the leader: its Raft's answer to read index request {@code requestId}. */
    void readDone(long requestId, long index, boolean ok) {
        long[] asker = asked.remove(requestId);
        if (asker != null) answer((int) asker[0], asker[1], index, ok);
    }

    private void answer(int to, long readId, long index, boolean ok) {
        if (to == ctx.id()) known(readId, index, ok);
        else ctx.send(to, new StoreMessage.ReadIndexAnswer(readId, index, ok));
    }

    /** The leader's answer for read {@code readId}: serve it once {@code index} is applied, or, if not ok, ask again. */
    void known(long readId, long index, boolean ok) {
        Read r = reads.get(readId);
        if (r == null || r.index >= 0) return;
        if (ok) r.index = index;
        else r.askedAt = Long.MIN_VALUE; // asked the wrong member: ask again at the next tick
    }

    /** Time passes: reads past their deadline end, reads unanswered for a while ask again. */
    void tick(long now) {
        for (Iterator<Read> it = reads.values().iterator(); it.hasNext(); ) {
            Read r = it.next();
            if (r.deadline <= now) {
                it.remove();
                r.reply.accept(Outcome.readTimedOut());
            }
        }
        for (Map.Entry<Long, Read> e : List.copyOf(reads.entrySet())) {
            Read r = e.getValue();
            if (r.index < 0 && (r.askedAt == Long.MIN_VALUE || now - r.askedAt >= RETRY_MS)) ask(e.getKey(), r);
        }
    }

    /** Serves every read whose index is at most {@code applied}. */
    void serveUpTo(long applied) {
        if (reads.isEmpty()) return;
        for (Iterator<Read> it = reads.values().iterator(); it.hasNext(); ) {
            Read r = it.next();
            if (r.index >= 0 && r.index <= applied) {
                it.remove();
                r.reply.accept(serve.apply(r.request));
            }
        }
    }
}
