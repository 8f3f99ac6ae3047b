package minietcd.kit.components;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import minietcd.kit.controlplane.Timers;

/**
 * The one thread a real component runs on, and its {@link Timers} (the wall clock): the lab's
 * classes are written for one thread, as in the simulator, so every timer, every answer from the
 * API server and every watch event is handed to this thread before they see it.
 */
public final class ComponentThread implements Timers {
    private final ScheduledExecutorService executor;

    public ComponentThread(String name) {
        ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> new Thread(r, name));
        e.setExecuteExistingDelayedTasksAfterShutdownPolicy(false); // a stopped component's timers never fire
        e.setRemoveOnCancelPolicy(true);
        executor = e;
    }

    @Override
    public long now() {
        return System.currentTimeMillis();
    }

    @Override
    public Cancel after(long delayMillis, Runnable action) {
        if (executor.isShutdown()) return () -> { };
        ScheduledFuture<?> f = executor.schedule(() -> run(action), Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
        return () -> f.cancel(false);
    }

    /** Runs {@code action} on this thread, soon (never once the thread is shut down). */
    public void execute(Runnable action) {
        if (!executor.isShutdown()) executor.execute(() -> run(action));
    }

    /** {@code f}, completed on this thread. */
    public <T> CompletableFuture<T> here(CompletableFuture<T> f) {
        CompletableFuture<T> out = new CompletableFuture<>();
        f.whenComplete((r, e) -> execute(() -> {
            if (e != null) out.completeExceptionally(e);
            else out.complete(r);
        }));
        return out;
    }

    /** Stops the thread once what is queued now has run (timers set for later never fire), waiting for it up to {@code millis}. */
    public void shutDown(long millis) {
        executor.shutdown();
        try {
            executor.awaitTermination(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void run(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            System.err.println("a component's action failed: " + e);
            e.printStackTrace();
        }
    }
}
