package minietcd.kit.grader;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs graded tests in a separate JVM, so that code which loops, exits or throws cannot take the
 * grader down. A test that reports nothing for its time limit is cut off (the JVM is killed) and
 * scores 0; a JVM that dies mid-test scores that test 0; either way the remaining tests run in a
 * fresh JVM. What the tests print goes to {@code test-output.log} in the trace folder.
 *
 * @param classpath    what the test JVM runs with: the kit, its libraries, the lab classes
 * @param testRoots    folders of compiled test classes to search for graded tests
 * @param properties   system properties for the test JVM (seeds, replay, trace folder)
 * @param timeoutSeconds a test's time limit
 */
public record ForkedTests(List<Path> classpath, List<Path> testRoots, Map<String, String> properties, long timeoutSeconds) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Which tests to run: a lab (0 for all), parts and test names (empty for all). */
    public record Selection(int lab, List<String> parts, List<String> tests) {}

    /** The selected tests, without running them (each as PLANNED). */
    public List<TestResult> plan(Selection selection) {
        Map<String, TestResult> results = new LinkedHashMap<>();
        Outcome o = fork(selection, true, List.of(), results, r -> {});
        if (!o.finished) throw new IllegalStateException("could not list the tests: " + o.why);
        return new ArrayList<>(results.values());
    }

    /** Runs the selected tests; {@code progress} sees each result as it comes. Returns every result, in plan order. */
    public List<TestResult> run(Selection selection, Consumer<TestResult> progress) {
        Map<String, TestResult> results = new LinkedHashMap<>();
        List<String> skip = new ArrayList<>();
        for (int attempt = 0; attempt < 1000; attempt++) {
            Outcome o = fork(selection, false, skip, results, progress);
            if (o.finished) break;
            if (o.current == null) { // died before starting a test: nothing we can blame
                results.values().stream().filter(r -> "PLANNED".equals(r.status())).forEach(r -> {
                    TestResult failed = r.withOutcome("CRASHED", "the test JVM failed to start: " + o.why, o.why);
                    results.put(r.id(), failed);
                    progress.accept(failed);
                });
                break;
            }
            TestResult cut = o.current.withOutcome(o.timedOut ? "TIMED_OUT" : "CRASHED", o.why, o.why);
            results.put(cut.id(), cut);
            progress.accept(cut);
            skip.clear();
            results.values().stream().filter(r -> !"PLANNED".equals(r.status())).forEach(r -> skip.add(r.id()));
            if (results.values().stream().noneMatch(r -> "PLANNED".equals(r.status()))) break;
        }
        return new ArrayList<>(results.values());
    }

    private record Outcome(boolean finished, TestResult current, boolean timedOut, String why) {}

    private Outcome fork(Selection selection, boolean listOnly, List<String> skip, Map<String, TestResult> results, Consumer<TestResult> progress) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-Xss4m");
        properties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-cp");
        List<Path> cp = new ArrayList<>(classpath);
        cp.addAll(testRoots);
        cmd.add(String.join(java.io.File.pathSeparator, cp.stream().map(Path::toString).toList()));
        cmd.add(TestMain.class.getName());
        if (selection.lab() != 0) { cmd.add("--lab"); cmd.add(String.valueOf(selection.lab())); }
        for (String p : selection.parts()) { cmd.add("--part"); cmd.add(p); }
        for (String t : selection.tests()) { cmd.add("--test"); cmd.add(t); }
        for (String s : skip) { cmd.add("--skip"); cmd.add(s); }
        if (listOnly) cmd.add("--list");
        cmd.add("--timeout");
        cmd.add(String.valueOf(timeoutSeconds));
        testRoots.forEach(r -> cmd.add(r.toString()));
        Process p;
        try {
            java.io.File log = Path.of(properties.getOrDefault("minietcd.traceDir", "traces"), "test-output.log").toFile();
            log.getParentFile().mkdirs();
            p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(log)).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) if (line.startsWith(TestMain.MARK)) lines.add(line.substring(TestMain.MARK.length()));
            } catch (IOException ignored) {
                // the process died; the main loop notices
            } finally {
                lines.add("");
            }
        }, "test-jvm-reader");
        reader.setDaemon(true);
        reader.start();
        TestResult current = null;
        try {
            while (true) {
                String line = lines.poll(timeoutSeconds + 30, TimeUnit.SECONDS);
                if (line == null) {
                    p.destroyForcibly();
                    return new Outcome(false, current, true, "timed out: no answer for " + (timeoutSeconds + 30) + " s (an endless loop or a deadlock?)");
                }
                if (line.isEmpty()) {
                    int code = p.waitFor();
                    if (current == null && (listOnly || results.values().stream().noneMatch(r -> "PLANNED".equals(r.status()))) && code == 0)
                        return new Outcome(true, null, false, "");
                    return new Outcome(false, current, false, "the test JVM exited with code " + code + " during the test (System.exit or a crash?)");
                }
                TestMain.Event e = JSON.readValue(line, TestMain.Event.class);
                switch (e.event()) {
                    case "plan" -> results.putIfAbsent(e.result().id(), e.result());
                    case "started" -> current = e.result();
                    default -> {
                        TestResult r = e.result();
                        if (r.reason().startsWith(TestMain.TIMED_OUT)) { // its thread may still spin: start afresh
                            p.destroyForcibly();
                            return new Outcome(false, r, true, r.reason());
                        }
                        results.put(r.id(), r);
                        progress.accept(r);
                        current = null;
                    }
                }
            }
        } catch (InterruptedException ex) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        } catch (IOException ex) {
            p.destroyForcibly();
            throw new UncheckedIOException(ex);
        }
    }
}
