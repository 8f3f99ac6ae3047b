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
 * {@code ./jbang tutorial}: the web tutorial on 127.0.0.1, in a process of its own whose class path
 * holds the labs' reference classes that its demos run.
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
        for (Lab lab : List.of(Lab.LOG, Lab.ELECTION)) cp.add(reference.classes(lab).toString());
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-cp",
                String.join(java.io.File.pathSeparator, cp), "minietcd.tutorial.TutorialMain", "--port", String.valueOf(port)).inheritIO().start();
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroy));
        return p.waitFor();
    }
}
