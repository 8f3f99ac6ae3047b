package minietcd.kit.mvcc;

import java.lang.reflect.InvocationTargetException;
import java.util.function.LongSupplier;

/**
 * Opens lab 3's store by name, so the same kit runs a learner's {@code minietcd.mvcc.MvccStore} or
 * the reference solution's, whichever is on the classpath.
 */
public final class Stores {
    public static final String STORE = "minietcd.mvcc.MvccStore";

    private Stores() {}

    /** Opens the store on {@code backend}; {@code clock} is lease time in milliseconds. */
    public static KV open(Backend backend, LongSupplier clock) {
        try {
            return (KV) Class.forName(STORE).getConstructor(Backend.class, LongSupplier.class).newInstance(backend, clock);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalStateException("cannot open the lab class " + STORE + " (a public constructor taking Backend and LongSupplier, implementing KV)", e);
        }
    }
}
