package minietcd.tutorial;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import minietcd.kit.harness.RaftCluster;
import minietcd.kit.raft.RaftConfig;
import minietcd.kit.raft.RaftNode;
import minietcd.kit.sim.Faults;
import minietcd.kit.sim.Trace;

/**
 * One live demo of chapter 2: a five-node Raft cluster in the kit's simulator, run by the labs'
 * classes (the reference's unless the tutorial was started with the learner's). What happens to it
 * is its seed and the list of actions taken, each at a simulated time, so the same seed and actions
 * replay it exactly ({@link Demo#replay}). Not thread-safe: the {@link Demos} registry hands it to one
 * request at a time.
 */
final class ElectionDemo extends Demo {
    static final int SIZE = 5;
    /** How long "delay" holds a message back. */
    static final long DELAY_MS = 200;
    /** How many of a log's last entries the view shows. */
    static final int TAIL = 8;

    private final RaftCluster cluster;
    private long puts;

    /** @throws Demo.NotDone if the code's labs 1 and 2 are not finished (a TODO was reached) */
    ElectionDemo(long seed, LabCode code) {
        super(seed, code, "labs 1 and 2");
        this.cluster = run(() -> new RaftCluster(seed, SIZE, RaftConfig.DEFAULT, Faults.RELIABLE, Trace.off()));
    }

    @Override String kind() { return "election"; }
    @Override protected long now() { return cluster.sim().now(); }

    /**
     * Takes one action. {@code step}: run {@code arg} ms (1 to {@value #MAX_STEP_MS}); {@code kill},
     * {@code restart}, {@code isolate}: node {@code arg} (0 for the leader); {@code heal}: every link
     * back; {@code partition}: the nodes listed in {@code key} ("1,2") on one side, the others on the
     * other; {@code drop}: lose the message {@code arg} on its way; {@code delay}: hold it back
     * {@value #DELAY_MS} ms; {@code put}: a command proposed to the leader.
     *
     * @throws IllegalArgumentException for an unknown action or a bad argument
     */
    @Override
    protected void act(Action a) {
        long arg = a.arg();
        switch (a.kind()) {
            case "step" -> cluster.runFor(arg);
            case "kill" -> cluster.crash(node(arg));
            case "restart" -> cluster.restart(node(arg));
            case "isolate" -> cluster.isolate(node(arg));
            case "heal" -> cluster.sim().heal();
            case "partition" -> cluster.sim().partition(sides(a.key()));
            case "drop" -> {
                if (!cluster.sim().drop(arg)) throw new IllegalArgumentException("message " + arg + " is not on its way any more");
            }
            case "delay" -> {
                if (!cluster.sim().delay(arg, DELAY_MS)) throw new IllegalArgumentException("message " + arg + " is not on its way any more");
            }
            case "put" -> {
                int leader = cluster.leader();
                if (leader <= 0) throw new IllegalArgumentException("no leader to take the put just now: step on until one is elected");
                cluster.propose(leader, "put " + (++puts));
            }
            default -> throw new IllegalArgumentException("no action " + a.kind() + " (step, kill, restart, isolate, heal, partition, drop, delay, put)");
        }
    }

    /** The two sides of a partition: the nodes named in {@code side} ("1,2"), and the others. */
    private static List<java.util.Set<Integer>> sides(String side) {
        java.util.Set<Integer> one = new java.util.TreeSet<>(), other = new java.util.TreeSet<>();
        try {
            for (String n : side.split(",")) if (!n.isBlank()) one.add(Integer.parseInt(n.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a side is a list of nodes, as 1,2: not " + side);
        }
        for (int id = 1; id <= SIZE; id++) if (!one.contains(id)) other.add(id);
        for (int id : one) if (id < 1 || id > SIZE) throw new IllegalArgumentException("no node " + id + " (1 to " + SIZE + ")");
        if (one.isEmpty() || other.isEmpty())
            throw new IllegalArgumentException("choose some of the nodes 1 to " + SIZE + " for one side, not all: " + side);
        return List.of(one, other);
    }

    private int node(long arg) {
        if (arg == 0) {
            int leader = cluster.leader();
            if (leader <= 0) throw new IllegalArgumentException("there is no leader just now");
            return leader;
        }
        if (arg < 1 || arg > SIZE) throw new IllegalArgumentException("no node " + arg + " (1 to " + SIZE + ")");
        return (int) arg;
    }

    /** What the view draws: the time, and each node's role, term, vote, log length, its last entries' terms and commit index (or down). */
    @Override
    ObjectNode state(ObjectMapper json) {
        ObjectNode s = json.createObjectNode().put("demo", kind()).put("seed", seed()).put("code", code()).put("now", cluster.sim().now());
        ArrayNode nodes = s.putArray("nodes");
        for (int id = 1; id <= SIZE; id++) {
            ObjectNode n = nodes.addObject().put("id", id);
            if (!cluster.sim().isUp(id)) {
                n.put("up", false);
                continue;
            }
            RaftNode r = cluster.node(id);
            n.put("up", true).put("role", r.state().role.name()).put("term", r.state().term).put("votedFor", r.state().votedFor)
                    .put("lastIndex", r.log().lastIndex()).put("commitIndex", r.state().commitIndex)
                    .put("snapshotIndex", r.log().firstIndex() - 1); // entries up to it are in the snapshot, no longer in the log
            ArrayNode terms = n.putArray("tail"); // the terms of the log's last entries, oldest first: what the view draws
            for (long i = Math.max(r.log().firstIndex(), r.log().lastIndex() - TAIL + 1); i <= r.log().lastIndex(); i++) terms.add(r.log().term(i));
            ArrayNode cut = n.putArray("cutFrom");
            for (int other = 1; other <= SIZE; other++) if (other != id && !cluster.sim().canReach(id, other)) cut.add(other);
        }
        ArrayNode messages = s.putArray("messages"); // between the nodes, on their way now: what the view draws on the links
        for (var m : cluster.sim().inFlight()) {
            if (m.from() < 1 || m.from() > SIZE || m.to() < 1 || m.to() > SIZE) continue;
            String detail = String.valueOf(m.message());
            messages.addObject().put("id", m.id()).put("from", m.from()).put("to", m.to()).put("kind", m.message().getClass().getSimpleName())
                    .put("sentAt", m.sentAt()).put("arrivesAt", m.arrivesAt()).put("detail", detail.length() > 200 ? detail.substring(0, 200) + "..." : detail);
        }
        return s;
    }
}
