package minietcd.kit.components;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import minietcd.kit.controlplane.ApiMessage;
import minietcd.kit.controlplane.ObjectJson;
import minietcd.kit.controlplane.StatusException;
import minietcd.kit.node.Context;
import minietcd.kit.node.Message;
import minietcd.kit.node.Node;
import minietcd.kit.node.Timer;

/**
 * A component's connection to the API server in the simulator: an {@link ApiTransport} that is a
 * client node of its own, its requests and watch streams {@link ApiMessage}s to the API server's
 * node, so a lost message, a cut link, a restarted API server or a paused process reach the
 * component as they would over HTTP. Deterministic: the simulation's clock, no thread.
 * <ul>
 *   <li>A request unanswered after {@value #TIMEOUT_MS} ms fails with 504 (a lost message costs that
 *       much, as it costs a call of the store's simulated client).</li>
 *   <li>Every second each stream asks the server how many lines it has sent; a stream the server no
 *       longer has (it restarted), a line missing in the sequence, or a server silent for three
 *       seconds ends the stream, and the component watches again.</li>
 *   <li>{@link #pause} stops the process as a long collection or a SIGSTOP would: what arrives waits,
 *       nothing times out, until {@link #resume}, which takes in what waited in order.</li>
 * </ul>
 */
public final class SimApiClient implements Node, ApiTransport {
    static final long TIMEOUT_MS = 3_000;
    private static final long TICK_MS = 100, CHECK_MS = 1_000, SILENCE_MS = 3_000;

    private record Tick() implements Timer {
        @Override public boolean routine() { return true; }
    }

    private record Call(CompletableFuture<ObjectNode> done, long deadline, String what) {}

    private final class Stream implements Watching {
        final long id;
        final Consumer<String> line;
        final Consumer<String> ended;
        long received, heardAt, checkedAt;

        Stream(long id, Consumer<String> line, Consumer<String> ended) {
            this.id = id;
            this.line = line;
            this.ended = ended;
            this.heardAt = ctx.now();
            this.checkedAt = ctx.now();
        }

        @Override
        public void close() {
            if (streams.remove(id) != null) ctx.send(server, new ApiMessage.Close(id));
        }

        void end(String why) {
            if (streams.remove(id) == null) return;
            ctx.send(server, new ApiMessage.Close(id)); // in case the server still has it
            ended.accept(why);
        }
    }

    private final Context ctx;
    private final int server;
    private final Map<Long, Call> calls = new LinkedHashMap<>();
    private final Map<Long, Stream> streams = new LinkedHashMap<>();
    private final List<Object[]> waiting = new ArrayList<>();
    private long nextId = 1;
    private boolean paused;

    /** @param server the API server's node */
    public SimApiClient(Context ctx, int server) {
        this.ctx = ctx;
        this.server = server;
    }

    @Override
    public void start() {
        ctx.setTimer(new Tick(), TICK_MS);
    }

    @Override
    public CompletableFuture<ObjectNode> send(String method, String pathAndQuery, JsonNode body, Map<String, String> headers) {
        long id = nextId++;
        CompletableFuture<ObjectNode> done = new CompletableFuture<>();
        calls.put(id, new Call(done, ctx.now() + TIMEOUT_MS, method + " " + pathAndQuery));
        ctx.send(server, new ApiMessage.Request(id, method, pathAndQuery, body == null ? null : body.toString(), headers));
        return done;
    }

    @Override
    public Watching watch(String pathAndQuery, Consumer<String> line, Consumer<String> ended) {
        Stream s = new Stream(nextId++, line, ended);
        streams.put(s.id, s);
        ctx.send(server, new ApiMessage.Watch(s.id, pathAndQuery));
        return s;
    }

    /** The process stops: messages wait and no timer of this connection fires until {@link #resume}. */
    public void pause() {
        paused = true;
    }

    /** The process goes on: what arrived meanwhile is taken in, in order, then the timers go on. */
    public void resume() {
        paused = false;
        List<Object[]> arrived = List.copyOf(waiting);
        waiting.clear();
        for (Object[] m : arrived) onMessage((Integer) m[0], (Message) m[1]);
        for (Stream s : streams.values()) s.heardAt = Math.max(s.heardAt, ctx.now() - CHECK_MS); // the server had no chance to be heard
        for (Map.Entry<Long, Call> e : calls.entrySet()) if (e.getValue().deadline < ctx.now()) e.setValue(new Call(e.getValue().done, ctx.now() + TICK_MS, e.getValue().what));
    }

    @Override
    public void onMessage(int from, Message message) {
        if (paused) {
            waiting.add(new Object[] {from, message});
            return;
        }
        if (from != server || !(message instanceof ApiMessage m)) return;
        if (m instanceof ApiMessage.Response r) answered(r);
        else if (m instanceof ApiMessage.Line l) {
            Stream s = streams.get(l.stream());
            if (s == null) return;
            s.heardAt = ctx.now();
            if (l.seq() != s.received + 1) {
                s.end("line " + (s.received + 1) + " of the watch was lost");
                return;
            }
            s.received = l.seq();
            s.line.accept(l.line());
        } else if (m instanceof ApiMessage.End e) {
            Stream s = streams.get(e.stream());
            if (s != null) s.end(e.why());
        } else if (m instanceof ApiMessage.Open o) {
            Stream s = streams.get(o.stream());
            if (s == null) return;
            s.heardAt = ctx.now();
            if (o.sent() > s.received) s.end("the API server sent " + o.sent() + " lines, " + s.received + " came");
        } else if (m instanceof ApiMessage.Gone g) {
            Stream s = streams.get(g.stream());
            if (s != null) s.end("the API server no longer has the watch");
        } // requests go the other way
    }

    private void answered(ApiMessage.Response r) {
        Call c = calls.remove(r.id());
        if (c == null) return; // it timed out already
        ObjectNode body;
        try {
            body = ObjectJson.parse(r.body());
        } catch (RuntimeException bad) {
            c.done.completeExceptionally(StatusException.internal("the API server answered " + r.code() + " with what is not a JSON object"));
            return;
        }
        if (r.code() >= 300) c.done.completeExceptionally(new StatusException(r.code(), body.path("reason").asText("Unknown"), body.path("message").asText(r.body()), null, null));
        else c.done.complete(body);
    }

    @Override
    public void onTimer(Timer timer) {
        ctx.setTimer(timer, TICK_MS);
        if (paused) return;
        long now = ctx.now();
        List<Call> expired = new ArrayList<>();
        for (Iterator<Call> it = calls.values().iterator(); it.hasNext(); ) {
            Call c = it.next();
            if (c.deadline <= now) {
                it.remove();
                expired.add(c);
            }
        }
        for (Call c : expired) c.done.completeExceptionally(new StatusException(504, "Timeout", "the API server did not answer " + c.what + " in " + TIMEOUT_MS + " ms", null, null));
        for (Stream s : List.copyOf(streams.values())) {
            if (now - s.heardAt >= SILENCE_MS) s.end("the API server was silent for " + (now - s.heardAt) + " ms");
            else if (now - s.checkedAt >= CHECK_MS) {
                s.checkedAt = now;
                ctx.send(server, new ApiMessage.Check(s.id));
            }
        }
    }
}
