package minietcd.kit.watch;

import minietcd.kit.lab.LabClass;
import minietcd.kit.mvcc.KV;

/** Opens lab 4's {@code minietcd.watch.WatchableStore} over a store ({@link LabClass}), whichever is on the classpath. */
public final class Watchers {
    public static final LabClass<Watchable> WATCHABLE = new LabClass<>(4, "minietcd.watch.WatchableStore", Watchable.class);

    private Watchers() {}

    public static Watchable open(KV store) {
        return WATCHABLE.create(new Class<?>[] {KV.class}, store);
    }
}
