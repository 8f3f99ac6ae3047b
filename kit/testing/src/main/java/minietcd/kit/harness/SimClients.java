package minietcd.kit.harness;

import java.util.ArrayList;
import java.util.List;
import minietcd.kit.check.History;
import minietcd.kit.client.SimEtcdClient;
import minietcd.kit.sim.Simulator;

/**
 * Clients of the simulated store, each a {@link SimEtcdClient}, a node of the simulator whose calls
 * cross the simulated network, doing one operation at a time on a few shared keys (put,
 * linearizable get, delete, compare-and-set, with values never used twice) and recording every call
 * and answer in a {@link History}. Each client starts at another member and moves on to the next
 * when a call gets no answer within {@code timeoutMillis} (its member crashed or is cut off, say):
 * the call is then recorded as unknown (a write) or failed (a read). All choices come from the
 * simulation's seed.
 */
public final class SimClients {
    private final StoreCluster cluster;
    private final History history;
    private final List<String> keys;
    private final List<SimEtcdClient> clients = new ArrayList<>();
    private final long[] sequence;
    /** The value each key had in the last answered get: what a compare-and-set expects. */
    private final java.util.Map<String, String> lastRead = new java.util.HashMap<>();
    private boolean running = true;

    public SimClients(StoreCluster cluster, History history, int clients, List<String> keys, long timeoutMillis) {
        this.cluster = cluster;
        this.history = history;
        this.keys = List.copyOf(keys);
        this.sequence = new long[clients + 1];
        List<Integer> members = sim().members();
        for (int c = 1; c <= clients; c++) {
            List<Integer> order = new ArrayList<>(members);
            java.util.Collections.rotate(order, -(c - 1) % members.size());
            SimEtcdClient[] made = new SimEtcdClient[1];
            sim().addClient(ctx -> made[0] = new SimEtcdClient(ctx, order, timeoutMillis));
            this.clients.add(made[0]);
        }
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
        long id = history.invoke(call, sim().now());
        clients.get(client - 1).call(KvCalls.typed(call)).whenComplete((reply, error) -> {
            History.Result r = error == null ? KvCalls.answered(call, reply) : KvCalls.refused(call, String.valueOf(error.getMessage()));
            if (r instanceof History.Result.Ok ok && call.kind() == History.Kind.GET) lastRead.put(call.key(), ok.value());
            history.complete(id, r, sim().now());
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
