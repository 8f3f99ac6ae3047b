package minietcd.kit.mvcc;

import java.util.function.LongSupplier;
import minietcd.kit.lab.LabClass;

/**
 * Opens lab 3's store by name ({@link LabClass}), so the same kit runs a learner's
 * {@code minietcd.mvcc.MvccStore} or the reference solution's, whichever is on the classpath.
 */
public final class Stores {
    public static final LabClass<KV> STORE = new LabClass<>(3, "minietcd.mvcc.MvccStore", KV.class);

    private Stores() {}

    /** Opens the store on {@code backend}; {@code clock} is lease time in milliseconds. */
    public static KV open(Backend backend, LongSupplier clock) {
        return STORE.create(new Class<?>[] {Backend.class, LongSupplier.class}, backend, clock);
    }
}
