package minietcd.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import minietcd.kit.check.History;
import minietcd.kit.check.Linearizability;
import minietcd.kit.harness.SimClients;
import minietcd.kit.harness.StoreCluster;
import minietcd.kit.replica.StoreNode;
import minietcd.kit.sim.Faults;
import minietcd.kit.sim.Nemesis;
import minietcd.kit.sim.Trace;
import org.junit.jupiter.api.Test;

/**
 * Jepsen's kind of test, in the simulator: concurrent clients (put, get, delete, compare-and-set),
 * each a typed client that is a node of the simulator (its calls cross the simulated network, and
 * it moves on from a member silent for 3 s), against the whole replicated store over the reference solutions, while the network loses,
 * duplicates and delays messages and a nemesis crashes members (losing their unsynced writes) and
 * cuts the network. Then the faults stop, and:
 * <ul>
 *   <li>the clients' history must be linearizable, key by key (a check that runs out of budget fails);</li>
 *   <li>every member must hold the same history, revision by revision, and the Raft invariants hold throughout;</li>
 *   <li>every member's watcher must have streamed exactly that history (ordered, unique, atomic, nothing missing).</li>
 * </ul>
 * Each seed is one reproducible run: {@code -Dminietcd.seeds=N} runs seeds 1..N, {@code
 * -Dminietcd.replay=S} runs seed S alone.
 */
class JepsenSimTest {
    private static final List<String> KEYS = List.of("x", "y", "z");

    @Test
    void concurrentClientsUnderCrashesPartitionsAndLossSeeALinearizableStoreAndEveryMemberEndsTheSame() {
        forEachSeed(40, seed -> scenario(seed, 3, Faults.UNRELIABLE, 40_000));
    }

    @Test
    void fiveMembersUnderHarshFaultsStayLinearizable() {
        forEachSeed(10, seed -> scenario(seed, 5, Faults.HARSH, 120_000));
    }

    @Test
    void withSnapshotsEveryFiftyEntriesMembersThatFallBehindInstallTheLeadersStore() {
        StoreNode.Config snapshots = new StoreNode.Config(StoreNode.Config.DEFAULT.raft().withSnapshots(50), StoreNode.Config.DEFAULT.requestTimeoutMillis());
        int[] installed = {0};
        forEachSeed(300, seed -> installed[0] += scenario(seed, 3, Faults.UNRELIABLE, 40_000, snapshots).snapshotsInstalled());
        assertThat(installed[0]).as("snapshots installed from the leader over the seeds (the path this test is for)").isGreaterThan(0);
    }

    private static void scenario(long seed, int size, Faults faults, long millis) {
        scenario(seed, size, faults, millis, StoreNode.Config.DEFAULT);
    }

    /** One run; returns the cluster for what else the caller wants to know of it. */

    private static StoreCluster scenario(long seed, int size, Faults faults, long millis, StoreNode.Config config) {
        StoreCluster cluster = new StoreCluster(seed, size, config, faults, Trace.off());
        History history = new History();
        SimClients clients = new SimClients(cluster, history, 16, KEYS, 3_000);
        Nemesis nemesis = Nemesis.start(cluster.sim(), 3_000, true, true);
        cluster.sim().runFor(millis);
        nemesis.calm();
        clients.stop();
        cluster.sim().runFor(15_000); // calls under way end, by answer or by timeout
        cluster.checkConverged(60_000);

        long ok = history.ops().stream().filter(o -> o.result() instanceof History.Result.Ok).count();
        assertThat(ok).as("seed %d: enough calls answered for the check to mean something", seed).isGreaterThanOrEqualTo(50);
        Linearizability.Verdict verdict = Linearizability.check(history.ops());
        if (!verdict.ok())
            throw new AssertionError("seed " + seed + ": " + verdict.describe() + "\n(replay: mvn -pl kit/integration-tests -am test -Dtest=JepsenSimTest -Dsurefire.failIfNoSpecifiedTests=false -Dminietcd.replay=" + seed + ")");
        return cluster;
    }

    private interface SeedRun {
        void run(long seed);
    }

    private static void forEachSeed(int count, SeedRun run) {
        String replay = System.getProperty("minietcd.replay", "");
        if (!replay.isBlank()) {
            run.run(Long.parseLong(replay.trim()));
            return;
        }
        int n = Integer.getInteger("minietcd.seeds", count);
        for (long seed = 1; seed <= n; seed++) run.run(seed);
    }
}
