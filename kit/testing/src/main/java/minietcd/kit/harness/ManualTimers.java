package minietcd.kit.harness;

import java.util.PriorityQueue;
import minietcd.kit.controlplane.Timers;

/** {@link Timers} that a test moves by hand: {@link #advance} runs what falls due, in time order (ties in the order they were set). */
public final class ManualTimers implements Timers {
    private record Due(long at, long seq, Runnable action, boolean[] canceled) {}

    private final PriorityQueue<Due> due = new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
    private long now, seq;

    @Override
    public long now() {
        return now;
    }

    @Override
    public Cancel after(long delayMillis, Runnable action) {
        boolean[] canceled = new boolean[1];
        due.add(new Due(now + Math.max(0, delayMillis), seq++, action, canceled));
        return () -> canceled[0] = true;
    }

    /** Moves the clock {@code millis} on, running every action due by then (and those they set that fall due too). */
    public void advance(long millis) {
        long until = now + millis;
        while (!due.isEmpty() && due.peek().at <= until) {
            Due d = due.poll();
            now = d.at;
            if (!d.canceled[0]) d.action.run();
        }
        now = until;
    }

    /** How many actions are set and not yet run or canceled. */
    public int pending() {
        return (int) due.stream().filter(d -> !d.canceled[0]).count();
    }
}
