package minietcd.kit.cluster;

import java.util.concurrent.BlockingQueue;

/**
 * Takes from a queue, spinning a little before blocking. A thread that blocks must be woken by the
 * operating system when work arrives, which on a virtual machine with idle processors can take a
 * millisecond or more; a Raft round trip is several such hand-offs in a row (a message arrives, the
 * member's loop runs it, a sender posts the answer). Spinning for a few tens of microseconds first
 * catches the next event of a busy exchange without that wake-up, for a little processor time.
 */
final class Spin {
    private static final long SPIN_NANOS = 50_000;

    private Spin() {}

    static <T> T take(BlockingQueue<T> queue) throws InterruptedException {
        T next = queue.poll();
        if (next != null) return next;
        long until = System.nanoTime() + SPIN_NANOS;
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
            next = queue.poll();
            if (next != null) return next;
        }
        return queue.take();
    }
}
