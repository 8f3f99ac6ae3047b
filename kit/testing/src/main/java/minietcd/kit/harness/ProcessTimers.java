package minietcd.kit.harness;

import minietcd.kit.controlplane.Timers;
import minietcd.kit.sim.Simulator;

/**
 * {@link Timers} of one simulated process whose clock runs at {@code rate} times the simulation's
 * (0.5: half as fast) from {@code offsetMillis} (a clock set anywhere), and which can be killed: after
 * {@link #kill}, nothing it scheduled runs; or paused: between {@link #pause} and {@link #resume}
 * nothing it scheduled runs, and what fell due meanwhile runs at the resume, in order, while its
 * clock went on all along (a long collection, a SIGSTOP). {@link SimTimers} is the same at rate 1
 * without a kill or a pause.
 */
public final class ProcessTimers implements Timers {
    private final Simulator sim;
    private final String label;
    private final double rate;
    private final long offsetMillis;
    private boolean dead;
    private boolean paused;
    private final java.util.List<Runnable> due = new java.util.ArrayList<>();

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
            if (canceled[0] || dead) return;
            if (paused) due.add(() -> { if (!canceled[0] && !dead) action.run(); });
            else action.run();
        });
        return () -> canceled[0] = true;
    }

    /** The process is gone: nothing it scheduled runs any more. */
    public void kill() {
        dead = true;
    }

    /** The process stops: nothing it scheduled runs until {@link #resume}. */
    public void pause() {
        paused = true;
    }

    /** The process goes on: what fell due while it was paused runs now, in order, each as an event of its own. */
    public void resume() {
        paused = false;
        for (Runnable r : due) sim.schedule(0, label, r);
        due.clear();
    }

    public boolean paused() {
        return paused;
    }

    public boolean dead() {
        return dead;
    }

    public double rate() {
        return rate;
    }
}
