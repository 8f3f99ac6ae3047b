package minietcd.kit.cluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.concurrent.locks.ReentrantLock;
import minietcd.kit.backend.H2Backend;
import minietcd.kit.mvcc.Backend;
import minietcd.kit.etcd.EtcdRequest;
import minietcd.kit.replica.MemberIds;
import minietcd.kit.replica.Outcome;
import minietcd.kit.replica.StoreNode;
import minietcd.kit.server.GatewayServer;
import minietcd.kit.server.Replica;
import minietcd.kit.watch.Watchable;

/**
 * One member of a local cluster, as its own process: its Raft log in {@code member-n/raft} (a
 * {@link FileDisk}), its store in H2 files in {@code member-n/store}, peers over HTTP on its peer port
 * ({@code POST /peer/FROM}) and etcd's JSON gateway on its client port. Runs until stopped; a clean
 * stop (SIGTERM) commits the store and closes the files, a SIGKILL loses nothing acknowledged.
 *
 * <p>Usage: {@code MemberMain --member N --size S --base-port P --data-dir DIR} (see {@link ClusterSpec}).
 */
public final class MemberMain implements Replica, AutoCloseable {
    /** The system property with the seconds between two corruption checks of the leader's (0: none; 60 unless set). */
    public static final String CORRUPT_CHECK_PROPERTY = "minietcd.corruptCheckSeconds";

    private final int n;
    private final ClusterSpec spec;
    private final FileDisk disk;
    private final Backend backend;
    private final PeerTransport peers;
    private final MemberLoop loop;
    private final StoreNode node;
    private final String secret;
    /** Whether {@link MemberHistory} knows this member has run with its own files. Loop thread. */
    private boolean historyNoted;
    private PeerServer peerServer;
    private GatewayServer gateway;

    /**
     * Member {@code n} of {@code spec}, not yet started; {@code clock} is its time in milliseconds
     * (timers still fire in real time: a test moves the clock on to make time pass faster).
     */
    public MemberMain(ClusterSpec spec, int n, java.util.function.LongSupplier clock) {
        this(spec, n, clock, StoreNode.Config.DEFAULT);
    }

    /** The same, with the store's and Raft's knobs given (a test compacting the log often, say). */
    public MemberMain(ClusterSpec spec, int n, java.util.function.LongSupplier clock, StoreNode.Config config) {
        this.n = n;
        this.spec = spec;
        MemberHistory.check(spec, n);
        this.disk = new FileDisk(spec.memberDir(n).resolve("raft"));
        this.backend = H2Backend.open(spec.memberDir(n).resolve("store"), false);
        TreeMap<Integer, Integer> peerPorts = new TreeMap<>();
        for (int m : spec.members()) peerPorts.put(m, spec.peerPort(m));
        this.secret = PeerSecret.load(spec.dataDir());
        this.peers = new PeerTransport(n, peerPorts, secret);
        this.loop = new MemberLoop(n, spec.members(), disk, peers, clock);
        this.node = new StoreNode(loop, config, backend, new StoreNode.Listener() {
            @Override
            public void refused(int from, minietcd.kit.node.Message message, String why) {
                System.err.println("member " + n + ": refused a message from member " + from + ": " + why + ": " + abbreviated(message));
            }
        });
        node.batchProposals();
        loop.endOfBatch(() -> {
            node.endOfBatch();
            if (!historyNoted) historyNoted = MemberHistory.started(spec, n); // once its log has a file
        });
    }

    /** Recovers from the files, then listens on the peer and client ports. */
    public MemberMain start() {
        loop.start(node);
        try {
            peerServer = new PeerServer(spec.peerPort(n), secret, loop::deliver);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot listen on the peer port " + spec.peerPort(n), e);
        }
        gateway = new GatewayServer(this).start(spec.clientPort(n));
        long every = Long.getLong(CORRUPT_CHECK_PROPERTY, 60);
        if (every > 0) gateway.checkCorruptionEvery(java.time.Duration.ofSeconds(every));
        return this;
    }

    /** The member's gateway (its corruption check among the rest), once started. */
    public GatewayServer gateway() {
        return gateway;
    }

    private static String abbreviated(Object message) {
        String text = String.valueOf(message);
        return text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }

    // ---- Replica, for the gateway ----

    @Override public ReentrantLock lock() { return loop.lock(); }
    @Override public Watchable store() { return node.store(); }
    @Override public StoreNode.Status status() { return node.status(); }
    @Override public long memberId() { return MemberIds.member(n); }
    @Override public long raftTerm() { return node.raft().state().term; } // a racy read of one long: at worst a term just past

    @Override
    public List<Peer> members() {
        List<Peer> all = new ArrayList<>();
        for (int m : spec.members()) all.add(new Peer(MemberIds.member(m), "m" + m, spec.peerUrl(m), spec.clientUrl(m)));
        return all;
    }

    @Override
    public void submit(EtcdRequest request, Consumer<Outcome> reply) {
        loop.submit(() -> node.submit(request, outcome -> loop.afterSync(() -> reply.accept(outcome))));
    }

    @Override
    public void close() {
        if (gateway != null) gateway.close();
        if (peerServer != null) peerServer.close();
        loop.close();
        peers.close();
        loop.lock().lock();
        try {
            node.flush();
            backend.close();
            disk.close();
        } catch (RuntimeException e) {
            // H2 may have closed itself at exit already; the log holds everything applied
        } finally {
            loop.lock().unlock();
        }
    }

    public static void main(String[] args) {
        int member = 0, size = 0, basePort = 2379;
        Path dataDir = null;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--member" -> member = Integer.parseInt(args[++i]);
                    case "--size" -> size = Integer.parseInt(args[++i]);
                    case "--base-port" -> basePort = Integer.parseInt(args[++i]);
                    case "--data-dir" -> dataDir = Path.of(args[++i]);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (member < 1 || member > size || dataDir == null) throw new IllegalArgumentException("--member, --size and --data-dir are required, with 1 <= member <= size");
        } catch (RuntimeException e) {
            System.err.println("usage: MemberMain --member N --size S [--base-port P] --data-dir DIR (" + e.getMessage() + ")");
            System.exit(2);
            return;
        }
        ClusterSpec spec = new ClusterSpec(size, basePort, dataDir);
        MemberMain m;
        try {
            m = new MemberMain(spec, member, System::currentTimeMillis);
            m.loop.haltOnFailure = true;
            m.start();
        } catch (RuntimeException e) {
            System.err.println("member " + member + " cannot start (data directory " + spec.memberDir(member) + "): " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(m::close));
        System.out.println("member " + member + " client " + spec.clientUrl(member) + " peer " + spec.peerUrl(member) + " data " + spec.memberDir(member));
    }
}
