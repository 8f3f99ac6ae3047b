package minietcd.kit.harness;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import minietcd.kit.client.EtcdClient;
import minietcd.kit.client.SimEtcdClient;
import minietcd.kit.controlplane.ObjectStore;
import minietcd.kit.controlplane.Components;
import minietcd.kit.controlplane.Resource;
import minietcd.kit.controlplane.StatusException;
import minietcd.kit.replica.StoreNode;
import minietcd.kit.sim.Faults;
import minietcd.kit.sim.Simulator;
import minietcd.kit.sim.Trace;

/**
 * Lab 5's storage layer in the simulator: a 3-member replicated store ({@link StoreCluster}) and
 * API server clients, each a {@link SimEtcdClient} node of its own whose calls cross the simulated
 * network, with the lab's {@link ObjectStore} over it. A test drives the stores from its own code
 * and waits on their futures with {@link #await}, which runs the simulation until they complete.
 */
public final class ApiStorage {
    /** How long a call may take in simulated time before the test gives up on it. */
    public static final long CALL_LIMIT_MS = 60_000;

    /** One API server's view of the store: its client node (and its id in the simulator) and an object store per resource. */
    public record Client(int id, EtcdClient etcd, SimEtcdClient node) {
        public ObjectStore store(Resource resource) {
            return Components.objectStore(etcd, resource);
        }

        /** The same object stores over another client (a wrapper that counts, say) of this node. */
        public Client through(EtcdClient wrapper) {
            return new Client(id, wrapper, node);
        }
    }

    private final StoreCluster cluster;

    public ApiStorage(long seed, Faults faults, Trace trace) {
        this.cluster = new StoreCluster(seed, 3, StoreNode.Config.DEFAULT, faults, trace);
        cluster.awaitLeader(30_000);
    }

    public StoreCluster cluster() { return cluster; }
    public Simulator sim() { return cluster.sim(); }

    /** A client that uses the members in this order (the first until it stops answering). */
    public Client client(List<Integer> endpoints, long timeoutMillis) {
        SimEtcdClient[] made = new SimEtcdClient[1];
        int id = sim().addClient(ctx -> made[0] = new SimEtcdClient(ctx, endpoints, timeoutMillis));
        return new Client(id, made[0], made[0]);
    }

    /** Ids as the API server makes them (32 hex digits), drawn from the simulation's seeded random: names and uids for {@link minietcd.kit.controlplane.PodControl#of}. */
    public java.util.function.Supplier<String> ids() {
        java.util.random.RandomGenerator random = sim().random();
        return () -> new java.util.UUID(random.nextLong(), random.nextLong()).toString().replace("-", "");
    }

    /** A client that starts at the leader. */
    public Client client() {
        return client(endpoints(), 3_000);
    }

    /** The members, the leader first (waiting for one). */
    public List<Integer> endpoints() {
        int leader = cluster.awaitLeader(30_000);
        return List.of(leader, leader % 3 + 1, (leader + 1) % 3 + 1);
    }

    /**
     * Runs the simulation until {@code f} completes and returns its result; a failure is thrown as
     * it is (a {@link StatusException} for the storage layer's), unwrapped.
     */
    public <T> T await(CompletableFuture<T> f) {
        if (!sim().runUntil(f::isDone, CALL_LIMIT_MS))
            throw new AssertionError("seed " + sim().seed() + ": a call of the storage layer did not complete in " + CALL_LIMIT_MS + " ms of simulated time");
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw e;
        }
    }

    /**
     * The call's result, the call made again (up to 100 times) while it fails with a timeout (504):
     * on a lossy network a call or its answer may be lost, many times over. Other failures are thrown.
     */
    public <T> T awaitPersistently(java.util.function.Supplier<CompletableFuture<T>> call) {
        for (int tries = 1; ; tries++) {
            try {
                return await(call.get());
            } catch (StatusException e) {
                if (e.code() != 504 || tries == 100) throw e;
            }
        }
    }

    /** The {@link StatusException} {@code f} fails with; an AssertionError if it succeeds or fails otherwise. */
    public StatusException failure(CompletableFuture<?> f) {
        return failure("the call", f);
    }

    /** The same, {@code what} naming the call in the message when it does not fail. */
    public StatusException failure(String what, CompletableFuture<?> f) {
        Object result;
        try {
            result = await(f);
        } catch (StatusException e) {
            return e;
        } catch (RuntimeException e) {
            throw new AssertionError("seed " + sim().seed() + ": " + what + ": expected a Kubernetes Status error (StatusException), got " + e, e);
        }
        throw new AssertionError("seed " + sim().seed() + ": " + what + ": expected a Kubernetes Status error, got a result: " + result);
    }
}
