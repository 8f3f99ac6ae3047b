package minietcd.tutorial;

import java.util.Arrays;
import java.util.List;
import minietcd.kit.grader.Progress;

/**
 * The tutorial as a process: {@code TutorialMain --reference DIRS --mine DIRS --traces DIR --progress DIR --labs DIR
 * [--port 7070] [--host 127.0.0.1]}, DIRS the compiled classes of labs 1 to 5 (separated as a class
 * path is), the reference's and the learner's; the folder of the self-checks' traces and of the
 * learner's progress database; prints its address.
 */
public final class TutorialMain {
    private TutorialMain() {}

    public static void main(String[] args) throws InterruptedException {
        System.setProperty("org.slf4j.simpleLogger.log.io.javalin.Javalin", "off"); // a failed start is said in one line below, not as a log
        List<String> a = Arrays.asList(args);
        String host = value(a, "--host", "127.0.0.1");
        int port;
        try {
            port = Integer.parseInt(value(a, "--port", "7070"));
        } catch (NumberFormatException e) {
            System.err.println("--port takes a number, not " + value(a, "--port", ""));
            System.exit(2);
            return;
        }
        TutorialServer server;
        try {
            ClassLoader kit = TutorialMain.class.getClassLoader();
            server = new TutorialServer(List.of(LabCode.of(LabCode.REFERENCE, folders(value(a, "--reference", "")), kit),
                    LabCode.of(LabCode.YOURS, folders(value(a, "--mine", "")), kit)),
                    java.nio.file.Path.of(value(a, "--traces", "traces")), new Progress(java.nio.file.Path.of(value(a, "--progress", "progress"))),
                    java.nio.file.Path.of(value(a, "--labs", "labs"))).start(host, port);
        } catch (IllegalStateException e) {
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        }
        System.out.println("The tutorial: http://" + host + ":" + server.port() + "/  (stop with Ctrl-C)");
        if (!host.equals("127.0.0.1") && !host.equals("localhost")) System.out.println("Note: listening on " + host + ": other machines can reach the tutorial (it has no login).");
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        Thread.currentThread().join();
    }

    private static List<java.nio.file.Path> folders(String list) {
        return Arrays.stream(list.split(java.io.File.pathSeparator)).filter(s -> !s.isBlank()).map(java.nio.file.Path::of).toList();
    }

    private static String value(List<String> args, String name, String absent) {
        int i = args.indexOf(name);
        return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : absent;
    }
}
