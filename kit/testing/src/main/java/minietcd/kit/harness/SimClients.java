package minietcd.kit.harness;

import java.util.List;
import minietcd.kit.check.History;
import minietcd.kit.replica.Outcome;
import minietcd.kit.sim.Simulator;

/**
 * Clients of the simulated store, each doing one operation at a time on a few shared keys (put,
 * linearizable get, delete, compare-and-set, with values never used twice) against a member chosen
 * at random, and recording every call and answer in a {@link History}. A client that gets no
 * answer within {@code timeoutMillis} (its member crashed, say) records the call as unknown and goes
 * on. All choices come from the simulation's seed.
 */
public final class SimClients {
    private final StoreCluster cluster;
    private final History history;
    private final List<String> keys;
    private final long timeoutMillis;
    private final long[] sequence;
    /** The value each key had in the last answered get: what a compare-and-set expects. */
    private final java.util.Map<String, String> lastRead = new java.util.HashMap<>();
    private boolean running = true;

    public SimClients(StoreCluster cluster, History history, int clients, List<String> keys, long timeoutMillis) {
        this.cluster = cluster;
        this.history = history;
        this.keys = List.copyOf(keys);
        this.timeoutMillis = timeoutMillis;
        this.sequence = new long[clients + 1];
        for (int c = 1; c <= clients; c++) next(c);
    }

    /** No client starts another call; calls under way still end. */
    public void stop() {
        running = false;
    }

    private Simulator sim() {
        return cluster.sim();
    }

    private void next(int client) {
        if (!running) return;
        sim().schedule(sim().random().nextLong(50), "client " + client, () -> call(client));
    }

    private void call(int client) {
        if (!running) return;
        History.Call call = randomCall(client);
        KvCalls.Request request = KvCalls.request(call);
        long id = history.invoke(call, sim().now());
        boolean[] ended = {false};
        int member = 1 + sim().random().nextInt(sim().members().size());
        boolean sent = cluster.submit(member, request.rpc(), request.body(), outcome -> {
            if (ended[0]) return;
            ended[0] = true;
            if (outcome instanceof Outcome.Answer a) {
                History.Result r = KvCalls.answered(call, a.json());
                if (call.kind() == History.Kind.GET) lastRead.put(call.key(), ((History.Result.Ok) r).value());
                history.complete(id, r, sim().now());
            } else history.complete(id, KvCalls.refused(call, ((Outcome.Refused) outcome).error().getMessage()), sim().now());
            next(client);
        });
        if (!sent) {
            ended[0] = true;
            history.complete(id, History.Result.failed("member " + member + " is down"), sim().now());
            next(client);
            return;
        }
        sim().schedule(timeoutMillis, "client " + client + " gives up", () -> {
            if (ended[0]) return;
            ended[0] = true;
            history.complete(id, History.Result.unknown("no answer in " + timeoutMillis + " ms"), sim().now());
            next(client);
        });
    }

    private History.Call randomCall(int client) {
        String key = keys.get(sim().random().nextInt(keys.size()));
        String value = "c" + client + "-" + (++sequence[client]);
        int dice = sim().random().nextInt(100);
        if (dice < 35) return History.Call.put(client, key, value);
        if (dice < 70) return History.Call.get(client, key);
        if (dice < 80) return History.Call.delete(client, key);
        String expected = lastRead.get(key);
        return History.Call.cas(client, key, expected, value);
    }
}
