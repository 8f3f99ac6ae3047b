package minietcd.kit.client;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import minietcd.kit.etcd.EtcdReply;
import minietcd.kit.etcd.EtcdRequest;
import minietcd.kit.mvcc.EtcdException;
import minietcd.kit.node.Context;
import minietcd.kit.node.Message;
import minietcd.kit.node.Node;
import minietcd.kit.node.Timer;
import minietcd.kit.replica.ClientMessage;
import minietcd.kit.replica.Outcome;
import minietcd.kit.watch.WatchRequest;

/**
 * An {@link EtcdClient} that is a node of the simulator (add it with
 * {@code sim.addClient(ctx -> new SimEtcdClient(ctx, endpoints, timeout))}): its requests and watch
 * streams go to a store member as {@link ClientMessage}s over the simulated network, so a member's
 * crash, a cut link or a lost message reaches it as it reaches a real client. Deterministic: no
 * clock but the simulation's, no thread.
 *
 * <ul>
 *   <li>Calls go to one member at a time; a call unanswered after the timeout fails with
 *       "context deadline exceeded" (code 4), and the client moves on to the next member, as etcd's
 *       client balancer does with an endpoint that stopped answering.</li>
 *   <li>Each watch is a stream of its own on the member the client uses when it opens it. Every
 *       second the client asks the member how many messages the stream has sent; a stream the member
 *       no longer has, a message missing in the sequence, or a member silent for three seconds ends
 *       the stream with {@link WatchListener#broken}; a member silent that long is passed over, as one
 *       that let a call time out is.</li>
 * </ul>
 */
public final class SimEtcdClient implements Node, EtcdClient {
    private static final long TICK_MS = 100, CHECK_MS = 1_000, SILENCE_MS = 3_000;

    private record Tick() implements Timer {
        @Override public boolean routine() { return true; }
    }

    private record Call(CompletableFuture<EtcdReply> done, long deadline) {}

    private final class Stream implements Watch {
        final long id;
        final int member;
        final WatchListener listener;
        long received;
        long heardAt, checkedAt;

        Stream(long id, int member, WatchListener listener) {
            this.id = id;
            this.member = member;
            this.listener = listener;
            this.heardAt = ctx.now();
            this.checkedAt = ctx.now();
        }

        @Override
        public void cancel() {
            if (streams.remove(id) != null) ctx.send(member, new ClientMessage.CloseStream(id));
        }

        void broken(String why) {
            if (streams.remove(id) == null) return;
            ctx.send(member, new ClientMessage.CloseStream(id)); // in case the member still has it
            listener.broken(why);
        }
    }

    private final Context ctx;
    private final List<Integer> endpoints;
    private final long timeoutMillis;
    private int current;
    private long nextId = 1;
    private final Map<Long, Call> calls = new LinkedHashMap<>();
    private final Map<Long, Stream> streams = new LinkedHashMap<>();

    /**
     * @param endpoints     the members it may use, the first one first
     * @param timeoutMillis how long a call waits for its answer
     */
    public SimEtcdClient(Context ctx, List<Integer> endpoints, long timeoutMillis) {
        if (endpoints.isEmpty()) throw new IllegalArgumentException("no endpoint given");
        this.ctx = ctx;
        this.endpoints = List.copyOf(endpoints);
        this.timeoutMillis = timeoutMillis;
    }

    /** The member calls go to now. */
    public int endpoint() {
        return endpoints.get(current);
    }

    @Override
    public void start() {
        ctx.setTimer(new Tick(), TICK_MS);
    }

    @Override
    public CompletableFuture<EtcdReply> call(EtcdRequest request) {
        long id = nextId++;
        CompletableFuture<EtcdReply> done = new CompletableFuture<>();
        calls.put(id, new Call(done, ctx.now() + timeoutMillis));
        ctx.send(endpoint(), new ClientMessage.Call(id, request));
        return done;
    }

    @Override
    public Watch watch(WatchRequest request, WatchListener listener) {
        Stream s = new Stream(nextId++, endpoint(), listener);
        streams.put(s.id, s);
        ctx.send(s.member, new ClientMessage.Watch(s.id, request));
        return s;
    }

    @Override
    public void onMessage(int from, Message message) {
        if (message instanceof ClientMessage.Answer a) {
            Call c = calls.remove(a.id());
            if (c == null) return; // it timed out already
            if (a.outcome() instanceof Outcome.Answer ok) c.done.complete(ok.reply());
            else c.done.completeExceptionally(((Outcome.Refused) a.outcome()).error());
        } else if (message instanceof ClientMessage.Sent m) {
            Stream s = streams.get(m.stream());
            if (s == null || s.member != from) return;
            s.heardAt = ctx.now();
            if (m.seq() != s.received + 1) {
                s.broken("message " + (s.received + 1) + " of the stream was lost");
                return;
            }
            s.received = m.seq();
            if (m.response().canceled()) streams.remove(s.id);
            s.listener.onResponse(m.response());
        } else if (message instanceof ClientMessage.Open o) {
            Stream s = streams.get(o.stream());
            if (s == null || s.member != from) return;
            s.heardAt = ctx.now();
            if (o.seq() > s.received) s.broken("the member sent " + o.seq() + " messages, " + s.received + " came");
        } else if (message instanceof ClientMessage.Gone g) {
            Stream s = streams.get(g.stream());
            if (s != null && s.member == from) s.broken("member " + from + " no longer has the stream");
        }
    }

    @Override
    public void onTimer(Timer timer) {
        ctx.setTimer(timer, TICK_MS);
        long now = ctx.now();
        boolean timedOut = false;
        List<Call> expired = new ArrayList<>();
        for (Iterator<Call> it = calls.values().iterator(); it.hasNext(); ) {
            Call c = it.next();
            if (c.deadline <= now) {
                it.remove();
                expired.add(c);
                timedOut = true;
            }
        }
        if (timedOut) current = (current + 1) % endpoints.size();
        for (Call c : expired) c.done.completeExceptionally(new EtcdException(EtcdException.DEADLINE_EXCEEDED, "context deadline exceeded"));
        for (Stream s : List.copyOf(streams.values())) {
            if (now - s.heardAt >= SILENCE_MS) {
                if (s.member == endpoint()) current = (current + 1) % endpoints.size(); // as after a call that timed out
                s.broken("member " + s.member + " was silent for " + (now - s.heardAt) + " ms");
            }
            else if (now - s.checkedAt >= CHECK_MS) {
                s.checkedAt = now;
                ctx.send(s.member, new ClientMessage.Check(s.id));
            }
        }
    }
}
