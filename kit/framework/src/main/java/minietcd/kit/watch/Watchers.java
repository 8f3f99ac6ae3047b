package minietcd.kit.watch;

import java.lang.reflect.InvocationTargetException;
import minietcd.kit.mvcc.KV;

/** Opens lab 4's {@code minietcd.watch.WatchableStore} over a store, whichever is on the classpath. */
public final class Watchers {
    public static final String WATCHABLE = "minietcd.watch.WatchableStore";

    private Watchers() {}

    public static Watchable open(KV store) {
        try {
            return (Watchable) Class.forName(WATCHABLE).getConstructor(KV.class).newInstance(store);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalStateException("cannot open the lab class " + WATCHABLE + " (a public constructor taking KV, implementing Watchable)", e);
        }
    }
}
