package minietcd.kit.bench;

import minietcd.kit.harness.RaftCluster;
import minietcd.kit.raft.RaftConfig;
import minietcd.kit.sim.Faults;
import minietcd.kit.sim.Trace;

/**
 * Measures the simulator with the Raft classes on the classpath (run by {@code ./jbang bench}):
 * simulated seconds per wall second for an idle 5-node cluster and for one under client load.
 */
public final class SimBench {
    private SimBench() {}

    public static void main(String[] args) {
        long simSeconds = args.length > 0 ? Long.parseLong(args[0]) : 3_600;
        measure("idle 5-node cluster", 1, simSeconds / 10, 0); // warm-up
        System.out.printf("%-44s %14s %14s %16s%n", "scenario", "sim s / wall s", "events / s", "commits / wall s");
        print("idle 5-node cluster", measure("idle 5-node cluster", 2, simSeconds, 0));
        print("5 nodes, 100 proposals per sim second", measure("load", 3, simSeconds / 10, 10));
        print("5 nodes, 100 proposals/s, lossy network", measureLossy(4, simSeconds / 10));
    }

    private record Result(double simPerWall, double eventsPerSecond, double commitsPerSecond) {}

    private static void print(String name, Result r) {
        String commits = r.commitsPerSecond < 100 ? "-" : String.format("%.0f", r.commitsPerSecond); // idle: only no-ops
        System.out.printf("%-44s %14.0f %14.0f %16s%n", name, r.simPerWall, r.eventsPerSecond, commits);
    }

    private static Result measure(String name, long seed, long simSeconds, long proposeEveryMillis) {
        return run(new RaftCluster(seed, 5, RaftConfig.DEFAULT.withSnapshots(1_000), Faults.RELIABLE, Trace.off()), simSeconds, proposeEveryMillis);
    }

    private static Result measureLossy(long seed, long simSeconds) {
        return run(new RaftCluster(seed, 5, RaftConfig.DEFAULT.withSnapshots(1_000), Faults.UNRELIABLE, Trace.off()), simSeconds, 10);
    }

    private static Result run(RaftCluster c, long simSeconds, long proposeEveryMillis) {
        c.awaitLeader(20_000);
        long events0 = c.sim().eventCount(), commit0 = c.invariants().maxCommitted();
        long start = System.nanoTime();
        long end = c.sim().now() + simSeconds * 1_000;
        long n = 0;
        while (c.sim().now() < end) {
            if (proposeEveryMillis > 0) {
                int leader = c.leader();
                if (leader != 0) c.propose(leader, "p" + n++);
                c.runFor(proposeEveryMillis);
            } else {
                c.runFor(10_000);
            }
        }
        double wall = (System.nanoTime() - start) / 1e9;
        return new Result(simSeconds / wall, (c.sim().eventCount() - events0) / wall, (c.invariants().maxCommitted() - commit0) / wall);
    }
}
