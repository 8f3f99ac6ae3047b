package minietcd.tutorial;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A live demo: one simulation in the kit's simulator, run by the labs' classes (the reference's or
 * the learner's), and the list of actions taken on it. Its seed and its actions replay it exactly:
 * each action is recorded with the simulated time it was taken at, and a step right after a step is
 * recorded as one longer step (the simulator runs the same events either way, and a link to the run
 * stays short). Not thread-safe: the {@link Demos} registry hands a demo to one request at a time.
 */
abstract sealed class Demo permits ElectionDemo, StoreDemo, ControlPlaneDemo {
    /** The longest step one action may ask for, in simulated milliseconds. */
    static final long MAX_STEP_MS = 10_000;
    /** The most simulated time a replay may run: what one request may cost is bounded (a live demo runs on, a step at a time). */
    static final long MAX_REPLAY_MS = 3_600_000;

    /**
     * An action, taken at a simulated time ({@code at}, set when it is taken). {@code arg} is a
     * number (milliseconds, a node, a revision, a message), {@code key} and {@code value} text where
     * the action takes some (a store demo's puts and watches, a partition's side).
     */
    record Action(long at, String kind, long arg, String key, String value) {
        public Action {
            key = key == null ? "" : key;
            value = value == null ? "" : value;
            if (key.length() > 64 || value.length() > 256) throw new IllegalArgumentException("a demo's key takes at most 64 characters and a value 256");
        }
    }

    /** The learner's labs reached a TODO: the demo cannot run their classes yet. */
    static final class NotDone extends RuntimeException {
        NotDone(String labs, String todo) {
            super("your " + labs + " are not done yet, so the demo cannot run your classes: " + todo
                    + ". Run their self-checks (./jbang lab-log, lab-election, ...), or choose the reference's classes");
        }
    }

    private final long seed;
    private final LabCode code;
    private final String labs;
    private final List<Action> actions = new ArrayList<>();

    /** @param labs the labs whose classes it runs, as a learner is told when they are not done ("labs 1 and 2") */
    Demo(long seed, LabCode code, String labs) {
        this.seed = seed;
        this.code = code;
        this.labs = labs;
    }

    /** Which demo it is, as {@code POST /api/demos} names it: {@code election}, {@code store}, {@code controlplane}. */
    abstract String kind();

    /** What the page draws. */
    abstract ObjectNode state(ObjectMapper json);

    /** Takes the action on the simulation (see each demo for its actions); a bad one throws IllegalArgumentException. */
    protected abstract void act(Action a);

    /** The simulation's time now. */
    protected abstract long now();

    final long seed() { return seed; }

    /** Whose classes run it: {@link LabCode#REFERENCE} or {@link LabCode#YOURS}. */
    final String code() { return code.name(); }

    /** The actions taken so far, each with the simulated time after it. */
    final List<Action> actions() { return List.copyOf(actions); }

    /**
     * Takes one action (its {@code at} is ignored: it happens now) and records it.
     *
     * @throws IllegalArgumentException for an unknown action or a bad argument
     * @throws NotDone when the learner's labs reach a TODO
     */
    final void apply(Action a) {
        if (a.kind().equals("step") && (a.arg() < 1 || a.arg() > MAX_STEP_MS))
            throw new IllegalArgumentException("a step runs 1 to " + MAX_STEP_MS + " ms, not " + a.arg());
        run(() -> {
            act(a);
            return null;
        });
        Action done = new Action(now(), a.kind(), a.arg(), a.key(), a.value());
        int last = actions.size() - 1;
        if (done.kind().equals("step") && last >= 0 && actions.get(last).kind().equals("step") && actions.get(last).arg() + done.arg() <= MAX_STEP_MS)
            actions.set(last, new Action(done.at(), "step", actions.get(last).arg() + done.arg(), "", ""));
        else actions.add(done);
    }

    /** The demo with {@code actions} taken, one after another: a replay. A bad action is named by its place. */
    static <D extends Demo> D replay(D demo, List<Action> actions) {
        long asked = actions.stream().filter(a -> a.kind().equals("step")).mapToLong(a -> Math.max(0, a.arg())).sum();
        if (asked > MAX_REPLAY_MS)
            throw new IllegalArgumentException("a replay may run at most an hour of simulated time, and this one asks " + asked / 60_000 + " minutes: start a new demo");
        for (int i = 0; i < actions.size(); i++) {
            try {
                demo.apply(actions.get(i));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the replay's action " + (i + 1) + " (" + actions.get(i).kind() + "): " + e.getMessage(), e);
            }
        }
        return demo;
    }

    /**
     * Runs a step of the simulation with this demo's lab classes (the thread's context class loader,
     * which the kit opens lab classes through, is set for the step); a TODO reached becomes {@link NotDone}.
     */
    protected final <T> T run(Supplier<T> step) {
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
