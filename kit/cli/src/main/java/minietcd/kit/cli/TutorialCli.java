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
    @Option(names = "--port", description = "the port on 127.0.0.1 (default ${DEFAULT-VALUE})") int port = 7070;

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
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-cp",
                String.join(java.io.File.pathSeparator, cp), "minietcd.tutorial.TutorialMain", "--port", String.valueOf(port),
                "--reference", String.join(java.io.File.pathSeparator, theirs), "--mine", String.join(java.io.File.pathSeparator, mine),
                "--traces", layout.traces().toString(), "--progress", layout.progress().toString()).inheritIO().start();
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroy));
        return p.waitFor();
    }
}
