package minietcd.kit.harness;

import minietcd.kit.controlplane.Timers;
import minietcd.kit.sim.Simulator;

/** {@link Timers} on the simulation's clock: each action is an event of the simulation, at virtual time. */
public record SimTimers(Simulator sim, String label) implements Timers {
    @Override
    public long now() {
        return sim.now();
    }

    @Override
    public Cancel after(long delayMillis, Runnable action) {
        boolean[] canceled = new boolean[1];
        sim.schedule(Math.max(0, delayMillis), label, () -> {
            if (!canceled[0]) action.run();
        });
        return () -> canceled[0] = true;
    }
}
