package minietcd.kit.harness;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import minietcd.kit.client.EtcdClient;
import minietcd.kit.controlplane.Components;
import minietcd.kit.controlplane.Fence;
import minietcd.kit.controlplane.LeaderElector;
import minietcd.kit.controlplane.LeaseRecord;
import minietcd.kit.controlplane.ListOptions;
import minietcd.kit.controlplane.ObjectJson;
import minietcd.kit.controlplane.ObjectList;
import minietcd.kit.controlplane.ObjectStore;
import minietcd.kit.controlplane.Preconditions;
import minietcd.kit.controlplane.Resource;
import minietcd.kit.controlplane.StatusException;
import minietcd.kit.controlplane.WatchOptions;
import minietcd.kit.sim.Faults;
import minietcd.kit.sim.Trace;
import minietcd.kit.mvcc.Event;

/**
 * Lab 5 part D's leader election in the simulator: the replicated store and candidates, each a
 * process of its own (a client node, a clock of its own rate and setting, an elector over the Lease
 * {@code kube-system/kube-scheduler}). A candidate that leads acts: every {@link #ACT_EVERY_MS} on its
 * clock it creates an Event named after itself, through a fenced client or not.
 *
 * <p>Two checks. What each candidate believed: the times (simulated) it led, from its callbacks; two
 * candidates alive and leading at once is a double leader. What the store shows: one etcd watch of
 * {@code /registry/} from revision 1, in revision order; an Event written by a candidate while the
 * Lease named someone else is a double-acting write.
 */
public final class ElectionRig {
    public static final String NAMESPACE = "kube-system", LEASE = "kube-scheduler";
    /** How often a leader acts, on its own clock. */
    public static final long ACT_EVERY_MS = 250;

    /** One candidate process. */
    public final class Candidate {
        public final String identity;
        public final ProcessTimers timers;
        public final LeaderElector elector;
        final int node;
        /** The simulated times it started and stopped leading (a stop of -1: leading still). */
        final List<long[]> led = new ArrayList<>();
        boolean leaseOutage, leaseHang;
        int acts, refused, leaseCalls;

        Candidate(String identity, double rate, long offsetMillis, LeaderElector.Config config, boolean fenced) {
            this.identity = identity;
            ApiStorage.Client c = storage.client();
            this.node = c.id();
            this.timers = new ProcessTimers(storage.sim(), identity, rate, offsetMillis);
            ObjectStore leases = outageable(c.store(Resource.LEASES));
            LeaderElector[] made = new LeaderElector[1];
            EtcdClient writes = fenced ? Components.fencedClient(c.etcd(), () -> made[0].fence()) : c.etcd();
            ObjectStore events = Components.objectStore(writes, Resource.EVENTS);
            made[0] = Components.leaderElector(leases, config, timers, new LeaderElector.Callbacks() {
                @Override public void onStartedLeading() {
                    if (timers.dead()) return; // an answer reaching a dead process
                    led.add(new long[] {storage.sim().now(), -1});
                    timers.after(ACT_EVERY_MS, () -> act(events));
                }
                @Override public void onStoppedLeading() {
                    if (timers.dead()) return;
                    led.get(led.size() - 1)[1] = storage.sim().now();
                }
            });
            this.elector = made[0];
        }

        private void act(ObjectStore events) {
            if (!elector.isLeader()) return;
            ObjectNode event = ObjectJson.MAPPER.createObjectNode().put("apiVersion", "v1").put("kind", "Event");
            event.putObject("metadata").put("namespace", NAMESPACE).put("name", identity + "." + (++acts));
            event.put("reason", "Acted").put("message", identity);
            events.create(event).whenComplete((r, e) -> {
                if (e != null && StatusException.fromStore(e, "").code() == 403) refused++;
            });
            timers.after(ACT_EVERY_MS, () -> act(events));
        }

        /** The Lease store as the elector sees it: while {@link #leaseOutage(boolean)} is on, every call fails with a timeout (504). */
        private ObjectStore outageable(ObjectStore real) {
            return new ObjectStore() {
                private <T> CompletableFuture<T> call(java.util.function.Supplier<CompletableFuture<T>> c) {
                    leaseCalls++;
                    if (leaseHang) return new CompletableFuture<>();
                    return leaseOutage ? CompletableFuture.failedFuture(new StatusException(504, "Timeout", "the Lease's API is not answering", null, null)) : c.get();
                }
                @Override public Resource resource() { return real.resource(); }
                @Override public CompletableFuture<ObjectNode> create(ObjectNode o) { return call(() -> real.create(o)); }
                @Override public CompletableFuture<ObjectNode> get(String ns, String name, String rv) { return call(() -> real.get(ns, name, rv)); }
                @Override public CompletableFuture<ObjectNode> update(String ns, String name, Preconditions p, UnaryOperator<ObjectNode> f) { return call(() -> real.update(ns, name, p, f)); }
                @Override public CompletableFuture<ObjectNode> delete(String ns, String name, Preconditions p) { return call(() -> real.delete(ns, name, p)); }
                @Override public CompletableFuture<ObjectList> list(String ns, ListOptions o) { return call(() -> real.list(ns, o)); }
                @Override public Watch watch(String ns, WatchOptions o, Listener l) { return real.watch(ns, o, l); }
            };
        }

        /** Its Lease calls fail (time out) from now until this is turned off; everything else it does goes through. */
        public void leaseOutage(boolean on) { leaseOutage = on; }

        /** Its Lease calls get no answer at all from now until this is turned off (a hung connection). */
        public void leaseHang(boolean on) { leaseHang = on; }

        /** The process dies: its timers stop, its node is cut off; a leader stays in the Lease until it expires. */
        public void kill() {
            timers.kill();
            storage.sim().isolate(node);
            if (!led.isEmpty() && led.get(led.size() - 1)[1] < 0) led.get(led.size() - 1)[1] = storage.sim().now();
        }

        /** Cuts it off from the store (both ways), or heals every partition. */
        public void isolate() { storage.sim().isolate(node); }

        public boolean leads() { return !timers.dead() && elector.isLeader(); }
        /** Events it created while leading, and how many of them its fence refused. */
        public int acts() { return acts; }
        public int refused() { return refused; }
        public int leaseCalls() { return leaseCalls; }
        /** The simulated time it last started leading, -1 if never. */
        public long ledSince() { return led.isEmpty() ? -1 : led.get(led.size() - 1)[0]; }
        public long lastStopped() { return led.isEmpty() ? -1 : led.get(led.size() - 1)[1]; }
    }

    private final ApiStorage storage;
    private final ApiStorage.Client admin;
    public final ObjectStore leases;
    public final List<Candidate> candidates = new ArrayList<>();
    /** The Lease's holder at each revision it changed, and the double-acting writes seen, from the rig's watch. */
    private String holder = "";
    private long holderSince;
    private final List<String> storeViolations = new ArrayList<>();
    private int writesSeen;

    public ElectionRig(long seed, Faults faults, Trace trace) {
        storage = new ApiStorage(seed, faults, trace);
        admin = storage.client();
        leases = admin.store(Resource.LEASES);
        RegistryWatch.follow(storage, admin.etcd(), this::see);
    }

    public ApiStorage storage() { return storage; }

    /** A candidate with Kubernetes' default timings, a clock at rate 1 from 0, writing unfenced; started at once. */
    public Candidate candidate(String identity) {
        return candidate(identity, 1.0, 0, LeaderElector.Config.defaults(NAMESPACE, LEASE, identity), false);
    }

    /** A candidate with its own clock ({@code rate}, {@code offsetMillis}) and timings, fenced or not; started at once. */
    public Candidate candidate(String identity, double rate, long offsetMillis, LeaderElector.Config config, boolean fenced) {
        Candidate c = new Candidate(identity, rate, offsetMillis, config, fenced);
        candidates.add(c);
        c.elector.start();
        return c;
    }

    private void see(Event e) {
        long revision = e.kv().modRevision();
        String key = e.kv().key().utf8();
        if (key.equals(Fence.of(NAMESPACE, LEASE, 0).leaseKey())) {
            String now = e.type() == Event.Type.DELETE ? "" : LeaseRecord.of(ObjectJson.fromStorage(e.kv(), revision)).holderIdentity();
            if (!now.equals(holder)) holderSince = revision;
            holder = now;
        } else if (key.startsWith(Resource.EVENTS.keyPrefix()) && e.type() == Event.Type.PUT) {
            writesSeen++;
            String author = ObjectJson.fromStorage(e.kv(), revision).path("message").asText();
            if (!author.equals(holder) && storeViolations.size() < 10)
                storeViolations.add(author + " acted at revision " + revision + " while the Lease was held by "
                        + (holder.isEmpty() ? "nobody" : holder) + " (since revision " + holderSince + ")");
        }
    }

    /** Double-acting writes: Events the store shows written by a candidate while the Lease named someone else. */
    public List<String> storeViolations() {
        return List.copyOf(storeViolations);
    }

    /** Events the store showed written, by anyone. */
    public int writesSeen() {
        return writesSeen;
    }

    /** Double leaders: two candidates alive and leading at the same simulated time. */
    public List<String> beliefViolations() {
        List<String> out = new ArrayList<>();
        long now = storage.sim().now();
        for (Candidate a : candidates)
            for (Candidate b : candidates) {
                if (a.identity.compareTo(b.identity) >= 0) continue;
                for (long[] x : a.led)
                    for (long[] y : b.led) {
                        long from = Math.max(x[0], y[0]), to = Math.min(x[1] < 0 ? now : x[1], y[1] < 0 ? now : y[1]);
                        if (from < to) out.add(a.identity + " and " + b.identity + " both led from " + from + " ms to " + to + " ms");
                    }
            }
        return out;
    }

    /** The candidates leading now. */
    public List<String> leaders() {
        return candidates.stream().filter(Candidate::leads).map(c -> c.identity).toList();
    }

    /** Runs until exactly one candidate leads, or {@code maxMillis} pass; the leader. */
    public Optional<Candidate> awaitLeader(long maxMillis) {
        storage.sim().runUntil(() -> leaders().size() == 1, maxMillis);
        return candidates.stream().filter(Candidate::leads).findFirst();
    }

    /** The Lease as the store has it now. */
    public ObjectNode lease() {
        return storage.awaitPersistently(() -> leases.get(NAMESPACE, LEASE, ""));
    }

    public LeaseRecord record() {
        return LeaseRecord.of(lease());
    }
}
