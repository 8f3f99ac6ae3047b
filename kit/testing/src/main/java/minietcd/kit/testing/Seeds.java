package minietcd.kit.testing;

import java.nio.file.Path;
import java.util.List;
import minietcd.kit.harness.RaftCluster;
import minietcd.kit.raft.RaftConfig;
import minietcd.kit.sim.Faults;
import minietcd.kit.sim.Trace;

/**
 * Runs a scenario over many seeds: seeds 1 to N, each a whole reproducible run. When one fails,
 * the seed is run again with tracing on; the failure then names the broken property, the seed,
 * the command that replays it and the trace file, and says whether the replay reproduced it
 * (if not, something in the node code is not deterministic).
 *
 * <p>System properties: {@code minietcd.seeds} overrides N, {@code minietcd.replay} runs one seed only,
 * {@code minietcd.traceDir} is where traces go (default {@code traces/}).
 */
public final class Seeds {
    /**
     * One run of a scenario: its seed, when it is being replayed a recording trace, and how its
     * clusters elect (lab 1's through the kit's appointments, so that lab 1 needs no lab 2).
     */
    public record Run(long seed, Trace trace, RaftCluster.Elections elections) {
        /** A simulated Raft cluster for this run. */
        public RaftCluster cluster(int size, RaftConfig config, Faults faults) {
            return new RaftCluster(seed, size, config, faults, trace, elections);
        }
    }

    /** A scenario body; it fails by throwing. */
    @FunctionalInterface
    public interface Scenario {
        void run(Run run) throws Exception;
    }

    private final String testName;
    private final String replayCommand;
    private final RaftCluster.Elections elections;

    Seeds(String testName, String replayCommand, RaftCluster.Elections elections) {
        this.testName = testName;
        this.replayCommand = replayCommand;
        this.elections = elections;
    }

    /**
     * Seeds for scenarios run outside a graded test (the kit's own tests of its tools), with clusters
     * that elect through lab 2's class; failures are reported, replayed and traced as a graded test's are.
     */
    public static Seeds of(String testName, String replayCommand) {
        return new Seeds(testName, replayCommand, RaftCluster.Elections.LAB_2);
    }

    /** Runs {@code scenario} for seeds 1..count (or as the system properties say). */
    public void run(int count, Scenario scenario) {
        forgetOldTraces();
        runAtMost(count, Integer.MAX_VALUE, scenario);
    }

    /**
     * The same for a costly scenario (real disks, fsyncs): a larger {@code minietcd.seeds}, as a soak
     * asks, is cut to {@code cap}.
     */
    public void runAtMost(int count, int cap, Scenario scenario) {
        forgetOldTraces();
        String replay = System.getProperty("minietcd.replay", "");
        if (!replay.isBlank()) {
            long seed = Long.parseLong(replay.trim());
            runOne(seed, 1, 1, scenario);
            return;
        }
        int n = Math.min(cap, Integer.getInteger("minietcd.seeds", count));
        if (n < 1) throw new IllegalArgumentException("minietcd.seeds is " + n + ": a scenario run on no seed proves nothing");
        for (long seed = 1; seed <= n; seed++) runOne(seed, seed, n, scenario);
    }

    /** Deletes this test's traces from earlier runs: what is left in the trace folder is about now. */
    private void forgetOldTraces() {
        Path dir = Path.of(System.getProperty("minietcd.traceDir", "traces"));
        if (!java.nio.file.Files.isDirectory(dir)) return;
        try (var files = java.nio.file.Files.newDirectoryStream(dir, testName + "-seed*.jsonl")) {
            for (Path f : files) java.nio.file.Files.deleteIfExists(f);
        } catch (java.io.IOException e) {
            // an old trace that stays is no harm
        }
    }

    private void runOne(long seed, long ordinal, long of, Scenario scenario) {
        Throwable first = attempt(new Run(seed, Trace.off(), elections), scenario);
        if (first == null) return;
        if (reason(first).startsWith(NOT_IMPLEMENTED)) // nothing to replay: the lab's code is not written yet
            throw new SeedFailure(reason(first), "\n  seed " + seed + " (run " + ordinal + " of " + of + ")", first);
        Trace trace = Trace.recording();
        Throwable again = attempt(new Run(seed, trace, elections), scenario);
        String stack = learnerStack(first);
        List<minietcd.kit.sim.TraceEvent> events = trace.events();
        if (again != null) trace.add(events.isEmpty() ? 0 : events.get(events.size() - 1).time(), "failure", 0, 0, reason(again) + (stack.isEmpty() ? "" : "\n" + stack));
        Path file = Path.of(System.getProperty("minietcd.traceDir", "traces"), testName + "-seed" + seed + ".jsonl");
        String traceNote;
        try {
            trace.writeTo(file);
            Path here = Path.of("").toAbsolutePath();
            Path shown = file.toAbsolutePath().startsWith(here) ? here.relativize(file.toAbsolutePath()) : file;
            traceNote = "trace: " + shown + " (" + trace.events().size() + " events); step through it in ./jbang tutorial at http://127.0.0.1:7070/traces/" + file.getFileName();
        } catch (RuntimeException e) {
            traceNote = "trace: not written (" + e.getMessage() + ")";
        }
        String reproduced = again != null && String.valueOf(reason(again)).equals(String.valueOf(reason(first)))
                ? "" : "\n  the replay did NOT fail the same way" + (again == null ? " (it passed)" : ": " + reason(again))
                        + ": the node code is not deterministic (wall clock, threads, unseeded random, or hash order?)";
        String full = String.valueOf(first.getMessage()).strip();
        String more = full.contains("\n") ? "\n  " + full.replace("\n", "\n  ") : "";
        String thrown = stack.isEmpty() ? "" : "\n  thrown in your code:\n    " + stack.replace("\n", "\n    ");
        throw new SeedFailure(reason(first), more + thrown + "\n  seed " + seed + " (run " + ordinal + " of " + of + ")"
                + "\n  replay: " + replayCommand + " --replay " + seed + "\n  " + traceNote + reproduced, first);
    }

    private static Throwable attempt(Run run, Scenario scenario) {
        try {
            scenario.run(run);
            return null;
        } catch (Throwable t) {
            if (t instanceof VirtualMachineError v && !(t instanceof StackOverflowError)) throw v;
            return t;
        }
    }

    /**
     * The one line that says what broke: a rule violation's own message, a lab's TODO for code not
     * written yet, or the exception a node threw.
     */
    public static String reason(Throwable t) {
        if (t instanceof SeedFailure f) return f.reason;
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof UnsupportedOperationException && c.getMessage() != null && c.getMessage().startsWith("TODO("))
                return NOT_IMPLEMENTED + c.getMessage();
            if (c instanceof minietcd.kit.raft.RuleViolation) return c.getMessage();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        if (t.getCause() != null && !(t instanceof AssertionError) && t.getCause().getMessage() != null && !m.contains(t.getCause().getMessage()))
            m += ": " + t.getCause().getMessage();
        String line = String.join(" ", m.strip().lines().map(String::strip).filter(l -> !l.isEmpty()).limit(4).toList());
        return line.length() <= 300 ? line : line.substring(0, 297) + "...";
    }

    private static final String NOT_IMPLEMENTED = "not implemented yet: ";

    /**
     * Where a lab's code threw, if it did: the deepest exception of the chain that passed through a
     * lab's classes (a package of {@code minietcd} outside {@code minietcd.kit}, tests aside), the
     * frame that threw it and the lab's own frames, at most 12 lines; empty for a broken rule, a
     * TODO not written yet, or a failure that no lab code threw.
     */
    public static String learnerStack(Throwable t) {
        Throwable deepest = null; // the cause the lab's code threw, under the kit's wrappers
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof UnsupportedOperationException && c.getMessage() != null && c.getMessage().startsWith("TODO(")) return "";
            if (c instanceof AssertionError || c instanceof minietcd.kit.raft.RuleViolation) continue;
            if (java.util.Arrays.stream(c.getStackTrace()).anyMatch(f -> isLabClass(f.getClassName()))) deepest = c;
        }
        if (deepest == null) return "";
        StackTraceElement[] frames = deepest.getStackTrace();
        StringBuilder out = new StringBuilder(deepest.toString());
        int shown = 0;
        for (int i = 0; i < frames.length && shown < 12; i++) {
            if (i > 0 && !isLabClass(frames[i].getClassName())) continue; // where it was thrown, then the lab's own frames
            out.append("\n  at ").append(frames[i]);
            shown++;
        }
        return out.toString();
    }

    /** A class of a lab's own code: in a lab's package (outside {@code minietcd.kit}), and not one of its tests. */
    private static boolean isLabClass(String className) {
        String outer = className.contains("$") ? className.substring(0, className.indexOf('$')) : className;
        return className.startsWith("minietcd.") && !className.startsWith("minietcd.kit.") && !outer.endsWith("Test");
    }

    /** A scenario failed on a seed: the one-line reason, then the seed, the replay command and the trace. */
    static final class SeedFailure extends AssertionError {
        private final String reason;

        SeedFailure(String reason, String rest, Throwable cause) {
            super(reason + rest, cause);
            this.reason = reason;
        }
    }
}
