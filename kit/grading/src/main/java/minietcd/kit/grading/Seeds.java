package minietcd.kit.grading;

import java.nio.file.Path;
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
    /** One run of a scenario: its seed and, when it is being replayed, a recording trace. */
    public record Run(long seed, Trace trace) {
        /** A simulated Raft cluster for this run. */
        public RaftCluster cluster(int size, RaftConfig config, Faults faults) {
            return new RaftCluster(seed, size, config, faults, trace);
        }
    }

    /** A scenario body; it fails by throwing. */
    @FunctionalInterface
    public interface Scenario {
        void run(Run run) throws Exception;
    }

    private final String testName;
    private final String replayCommand;

    Seeds(String testName, String replayCommand) {
        this.testName = testName;
        this.replayCommand = replayCommand;
    }

    /** Runs {@code scenario} for seeds 1..count (or as the system properties say). */
    public void run(int count, Scenario scenario) {
        runAtMost(count, Integer.MAX_VALUE, scenario);
    }

    /**
     * The same for a costly scenario (real disks, fsyncs): a larger {@code minietcd.seeds}, as a soak
     * asks, is cut to {@code cap}.
     */
    public void runAtMost(int count, int cap, Scenario scenario) {
        String replay = System.getProperty("minietcd.replay", "");
        if (!replay.isBlank()) {
            long seed = Long.parseLong(replay.trim());
            runOne(seed, 1, 1, scenario);
            return;
        }
        int n = Math.min(cap, Integer.getInteger("minietcd.seeds", count));
        for (long seed = 1; seed <= n; seed++) runOne(seed, seed, n, scenario);
    }

    private void runOne(long seed, long ordinal, long of, Scenario scenario) {
        Throwable first = attempt(new Run(seed, Trace.off()), scenario);
        if (first == null) return;
        if (reason(first).startsWith(NOT_IMPLEMENTED)) // nothing to replay: the lab's code is not written yet
            throw new SeedFailure(reason(first), "\n  seed " + seed + " (run " + ordinal + " of " + of + ")", first);
        Trace trace = Trace.recording();
        Throwable again = attempt(new Run(seed, trace), scenario);
        Path file = Path.of(System.getProperty("minietcd.traceDir", "traces"), testName + "-seed" + seed + ".jsonl");
        String traceNote;
        try {
            trace.writeTo(file);
            Path here = Path.of("").toAbsolutePath();
            Path shown = file.toAbsolutePath().startsWith(here) ? here.relativize(file.toAbsolutePath()) : file;
            traceNote = "trace: " + shown + " (" + trace.events().size() + " events)";
        } catch (RuntimeException e) {
            traceNote = "trace: not written (" + e.getMessage() + ")";
        }
        String reproduced = again != null && String.valueOf(reason(again)).equals(String.valueOf(reason(first)))
                ? "" : "\n  the replay did NOT fail the same way" + (again == null ? " (it passed)" : ": " + reason(again))
                        + ": the node code is not deterministic (wall clock, threads, unseeded random, or hash order?)";
        String full = String.valueOf(first.getMessage()).strip();
        String more = full.contains("\n") ? "\n  " + full.replace("\n", "\n  ") : "";
        throw new SeedFailure(reason(first), more + "\n  seed " + seed + " (run " + ordinal + " of " + of + ")"
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

    /** A scenario failed on a seed: the one-line reason, then the seed, the replay command and the trace. */
    static final class SeedFailure extends AssertionError {
        private final String reason;

        SeedFailure(String reason, String rest, Throwable cause) {
            super(reason + rest, cause);
            this.reason = reason;
        }
    }
}
