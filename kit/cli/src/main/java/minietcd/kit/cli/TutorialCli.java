package minietcd.kit.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import minietcd.kit.grader.LabChoice;
import minietcd.kit.grader.Layout;
import minietcd.kit.testing.Lab;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./jbang tutorial}: the web tutorial on 127.0.0.1, in a process of its own, given the compiled
 * classes of every lab twice: the reference's and the learner's, which its demos run side by side.
 */
@Command(name = "tutorial", mixinStandardHelpOptions = true, version = KitCli.VERSION,
        description = "The web tutorial: chapters on etcd's role in Kubernetes and on every lab, with live demos of the simulator; prints its address.")
final class TutorialCli implements Callable<Integer> {
    @Option(names = "--port", description = "the port (default ${DEFAULT-VALUE})") int port = 7070;
    @Option(names = "--host", description = "the address to listen on (default ${DEFAULT-VALUE}: this machine only; a workshop's own network needs its address or 0.0.0.0)") String host = "127.0.0.1";
    @Option(names = "--workshop", paramLabel = "BROWSERS", description = "instead of serving: measure the tutorial under this many simulated browsers at once, playing the demos (a workshop's load), and print the table") Integer workshop;
    @Option(names = "--seconds", description = "with --workshop: how long the browsers play (default ${DEFAULT-VALUE})") int seconds = 30;
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Layout layout = Layout.current();
        List<String> cp = new ArrayList<>();
        layout.runtimeClasspath().forEach(p -> cp.add(p.toString()));
        LabChoice reference = LabChoice.reference(layout);
        List<String> theirs = new ArrayList<>(), mine = new ArrayList<>();
        for (Lab lab : Lab.values()) {
            theirs.add(reference.classes(lab).toString());
            mine.add(layout.labClasses(lab).toString());
        }
        if (port < 0 || port > 65_535) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--port takes 1 to 65535 (0: any free port), not " + port);
        if (workshop != null && workshop < 1) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--workshop takes 1 browser or more");
        if (workshop != null && seconds < 1) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--seconds takes 1 or more");
        // a workshop's measurement is not the learner's: its chapters read and traces go to a folder of its own
        Path progressDir = workshop == null ? layout.progress() : java.nio.file.Files.createTempDirectory("tutorial-workshop-progress");
        ProcessBuilder b = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-cp",
                String.join(java.io.File.pathSeparator, cp), "minietcd.tutorial.TutorialMain", "--port", String.valueOf(port), "--host", host,
                "--reference", String.join(java.io.File.pathSeparator, theirs), "--mine", String.join(java.io.File.pathSeparator, mine),
                "--traces", layout.traces().toString(), "--progress", progressDir.toString(), "--labs", layout.root().resolve("labs").toString());
        Process p = (workshop == null ? b.inheritIO() : b.redirectError(ProcessBuilder.Redirect.INHERIT)).start();
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroy));
        if (workshop == null) return p.waitFor();
        try {
            java.net.URI base = java.net.URI.create("http://" + (host.equals("0.0.0.0") ? "127.0.0.1" : host) + ":" + port + "/");
            java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()));
            String line = out.readLine(); // "The tutorial: http://...": it listens
            if (line == null || !line.startsWith("The tutorial:")) {
                System.err.println("the tutorial did not start" + (line == null ? "" : ": " + line));
                return 1;
            }
            java.time.Duration d = java.time.Duration.ofSeconds(seconds);
            double[] alone = minietcd.tutorial.WorkshopLoad.pageLoads(base, 20);
            System.out.printf("Page loads by one browser alone (every page with its style sheet and scripts, 20 rounds after one of warm-up): p50 %.1f ms, p99 %.1f ms%n", alone[0], alone[1]);
            System.out.println("Measuring the tutorial at " + base + " with " + workshop + " browsers for " + seconds + " s...");
            minietcd.tutorial.WorkshopLoad.print(System.out, minietcd.tutorial.WorkshopLoad.run(base, workshop, d), workshop, d);
            return 0;
        } finally {
            p.destroy();
            p.waitFor();
            try (var files = java.nio.file.Files.walk(progressDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
