package minietcd.kit.harness;

import minietcd.kit.controlplane.Timers;
import minietcd.kit.sim.Simulator;

/**
 * {@link Timers} of one simulated process whose clock runs at {@code rate} times the simulation's
 * (0.5: half as fast) from {@code offsetMillis} (a clock set anywhere), and which can be killed: after
 * {@link #kill}, nothing it scheduled runs. {@link SimTimers} is the same at rate 1 without a kill.
 */
public final class ProcessTimers implements Timers {
    private final Simulator sim;
    private final String label;
    private final double rate;
    private final long offsetMillis;
    private boolean dead;

    public ProcessTimers(Simulator sim, String label, double rate, long offsetMillis) {
        if (!(rate > 0)) throw new IllegalArgumentException("a clock rate must be positive: " + rate);
        this.sim = sim;
        this.label = label;
        this.rate = rate;
        this.offsetMillis = offsetMillis;
    }

    @Override
    public long now() {
        return offsetMillis + (long) Math.floor(sim.now() * rate);
    }

    @Override
    public Cancel after(long delayMillis, Runnable action) {
        boolean[] canceled = new boolean[1];
        sim.schedule((long) Math.ceil(Math.max(0, delayMillis) / rate), label, () -> {
            if (!canceled[0] && !dead) action.run();
        });
        return () -> canceled[0] = true;
    }

    /** The process is gone: nothing it scheduled runs any more. */
    public void kill() {
        dead = true;
    }

    public boolean dead() {
        return dead;
    }

    public double rate() {
        return rate;
    }
}
