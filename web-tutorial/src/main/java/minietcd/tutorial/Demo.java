package minietcd.tutorial;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.Supplier;

/**
 * A live demo: one simulation in the kit's simulator, run by the labs' classes (the reference's or
 * the learner's), and the list of actions taken on it. Its seed and its actions replay it exactly.
 * Not thread-safe: the {@link Demos} registry hands a demo to one request at a time.
 */
sealed interface Demo permits ElectionDemo, StoreDemo, ControlPlaneDemo {
    /**
     * An action, taken at a simulated time ({@code at}, set when it is taken). {@code arg} is a
     * number (milliseconds, a node, a revision), {@code key} and {@code value} text where the action
     * takes some (a store demo's puts and watches).
     */
    record Action(long at, String kind, long arg, String key, String value) {
        public Action {
            key = key == null ? "" : key;
            value = value == null ? "" : value;
            if (key.length() > 64 || value.length() > 256) throw new IllegalArgumentException("a demo's key takes at most 64 characters and a value 256");
        }
    }

    /** Which demo it is, as {@code POST /api/demos} names it: {@code election}, {@code store}, {@code controlplane}. */
    String kind();

    long seed();

    /** Whose classes run it: {@link LabCode#REFERENCE} or {@link LabCode#YOURS}. */
    String code();

    /** The actions taken so far, with the simulated time each was taken at. */
    List<Action> actions();

    /**
     * Takes one action (its {@code at} is ignored: it happens now).
     *
     * @throws IllegalArgumentException for an unknown action or a bad argument
     * @throws NotDone when the learner's labs reach a TODO
     */
    void apply(Action action);

    /** What the page draws. */
    ObjectNode state(ObjectMapper json);

    /**
     * Adds an action just taken to {@code actions}; a step right after a step becomes one longer step
     * (up to {@code maxStep} ms): the simulator runs the same events either way, and a link to the run
     * stays short.
     */
    static void record(List<Action> actions, Action done, long maxStep) {
        int last = actions.size() - 1;
        if (done.kind().equals("step") && last >= 0 && actions.get(last).kind().equals("step") && actions.get(last).arg() + done.arg() <= maxStep)
            actions.set(last, new Action(done.at(), "step", actions.get(last).arg() + done.arg(), "", ""));
        else actions.add(done);
    }

    /** The learner's labs reached a TODO: the demo cannot run their classes yet. */
    final class NotDone extends RuntimeException {
        NotDone(String labs, String todo) {
            super("your " + labs + " are not done yet, so the demo cannot run your classes: " + todo
                    + ". Run their self-checks (./jbang lab-log, lab-election, ...), or choose the reference's classes");
        }
    }

    /**
     * Runs a step of a simulation with {@code code}'s lab classes (the thread's context class loader,
     * which the kit opens lab classes through, is set for the step); a TODO reached becomes {@link NotDone}.
     */
    static <T> T run(LabCode code, String labs, Supplier<T> step) {
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(code.loader());
        try {
            return step.get();
        } catch (RuntimeException | LinkageError e) {
            for (Throwable c = e; c != null; c = c.getCause())
                if (c instanceof UnsupportedOperationException todo && String.valueOf(todo.getMessage()).startsWith("TODO(")) throw new NotDone(labs, todo.getMessage());
            throw e;
        } finally {
            t.setContextClassLoader(before);
        }
    }
}
