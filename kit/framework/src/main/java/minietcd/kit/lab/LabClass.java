package minietcd.kit.lab;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The one way the kit opens a class that a lab writes, by its name, so the same kit runs a learner's
 * class or the reference solution's, whichever is on the classpath (the build puts it there: the
 * lab's module, or the reference artifact {@code solution-N-name}). A thread whose context class
 * loader is set to another (the web tutorial's, which runs the reference's and the learner's
 * classes side by side) opens them through that loader.
 *
 * @param lab       the lab's number, for the messages
 * @param className the class's full name, e.g. {@code minietcd.raft.Election}
 * @param type      the contract it implements
 */
public record LabClass<T>(int lab, String className, Class<T> type) {
    /**
     * A new instance, made with the public constructor taking {@code params}. What the constructor
     * throws is thrown as it is (a learner's TODO, for instance).
     *
     * @throws IllegalStateException naming the lab and what to do when the class is missing, has no
     *                               such constructor, or does not implement the contract
     */
    public T create(Class<?>[] params, Object... args) {
        Constructor<?> c;
        try {
            ClassLoader context = Thread.currentThread().getContextClassLoader();
            c = Class.forName(className, true, context != null ? context : LabClass.class.getClassLoader()).getConstructor(params);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the class " + className + " of lab " + lab + " is not on the classpath: run with lab " + lab
                    + "'s reference classes (./jbang lab-NAME does unless told --mine " + lab + "), or build lab " + lab + " (mvn -DskipTests test-compile)", e);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(className + " (lab " + lab + ") needs a public constructor taking ("
                    + Arrays.stream(params).map(Class::getSimpleName).collect(Collectors.joining(", ")) + ")", e);
        }
        Object made;
        try {
            made = c.newInstance(args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create " + className + " (lab " + lab + ")", e);
        }
        if (!type.isInstance(made)) throw new IllegalStateException(className + " (lab " + lab + ") must implement " + type.getName());
        return type.cast(made);
    }
}
