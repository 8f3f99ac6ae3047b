package minietcd.kit.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Random faults over time, drawn from the simulation's seed: every so often it crashes a node,
 * restarts one, cuts the network into two sides, cuts one link one way, or heals. It never takes
 * down more than a minority at once, so a correct cluster stays live. {@link #calm()} ends it
 * (restarting every node and healing) so a scenario can check that the cluster converges.
 */
public final class Nemesis {
    private final Simulator sim;
    private final long periodMillis;
    private final boolean crashes;
    private final boolean partitions;
    private boolean active = true;

    private Nemesis(Simulator sim, long periodMillis, boolean crashes, boolean partitions) {
        this.sim = sim;
        this.periodMillis = periodMillis;
        this.crashes = crashes;
        this.partitions = partitions;
    }

    /** Starts a nemesis that acts about every {@code periodMillis}. */
    public static Nemesis start(Simulator sim, long periodMillis, boolean crashes, boolean partitions) {
        Nemesis n = new Nemesis(sim, periodMillis, crashes, partitions);
        n.next();
        return n;
    }

    private void next() {
        long delay = periodMillis / 2 + sim.random().nextLong(periodMillis + 1);
        sim.schedule(delay, "nemesis", () -> {
            if (!active) return;
            act();
            next();
        });
    }

    private void act() {
        List<Integer> up = new ArrayList<>(), down = new ArrayList<>();
        for (int id : sim.members()) (sim.isUp(id) ? up : down).add(id);
        int minority = (sim.members().size() - 1) / 2;
        int choice = sim.random().nextInt(4);
        if (crashes && choice == 0 && down.size() < minority) sim.crash(up.get(sim.random().nextInt(up.size())));
        else if (crashes && choice == 1 && !down.isEmpty()) sim.restart(down.get(sim.random().nextInt(down.size())));
        else if (partitions && choice == 2) {
            List<Integer> all = new ArrayList<>(sim.members());
            Set<Integer> side = new TreeSet<>();
            int size = 1 + sim.random().nextInt(Math.max(1, minority));
            while (side.size() < size) side.add(all.get(sim.random().nextInt(all.size())));
            sim.partition(List.of(side));
        } else if (partitions && choice == 3 && sim.random().nextBoolean()) {
            int a = 1 + sim.random().nextInt(sim.members().size()), b = 1 + sim.random().nextInt(sim.members().size());
            if (a != b) sim.blockOneWay(a, b);
        } else sim.heal();
    }

    /** Stops the faults: heals the network and restarts every crashed node. */
    public void calm() {
        active = false;
        sim.heal();
        for (int id : sim.members()) sim.restart(id);
    }
}
