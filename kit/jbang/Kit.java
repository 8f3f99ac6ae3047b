///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Launcher behind every {@code ./jbang} alias of {@code jbang-catalog.json} ({@code lab-log},
 * {@code grade}, {@code serve}, {@code kvctl} and the rest).
 *
 * <p>It finds the project root (the directory holding {@code jbang-catalog.json}), compiles
 * the project with Maven ({@code mvn -q -B -DskipTests test-compile}; skipped when
 * {@code MINIETCD_SKIP_BUILD=1}; skipped too for {@code kvctl}, {@code cluster stop|kill|restart|status} and {@code controlplane kill|restart},
 * commands that should start fast,
 * once a build has written a classpath with the kvctl module on it and every entry of it is in
 * place, even if sources changed since), then runs
 * {@code minietcd.kit.cli.KitCli} in a child JVM from the root, with the kit's classes and the
 * dependencies listed in {@code kit/cli/target/classpath.txt}, passing every argument
 * through. It exits with the child's exit code.
 */
class Kit {
    static final String CATALOG = "jbang-catalog.json";
    static final String MAIN_CLASS = "minietcd.kit.cli.KitCli";
    static volatile Process child;

    public static void main(String[] args) throws Exception {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Process p = child;
            if (p != null && p.isAlive()) p.destroy();
        }));
        Path root = findRoot();

        boolean client = (args.length > 0 && args[0].equals("kvctl")
                || args.length > 1 && args[0].equals("cluster") && List.of("stop", "kill", "restart", "status").contains(args[1])
                || args.length > 1 && args[0].equals("controlplane") && List.of("kill", "restart").contains(args[1])) && built(root);
        if (!client && !"1".equals(System.getenv("MINIETCD_SKIP_BUILD"))) {
            int code = build(root);
            if (code != 0) {
                System.err.println("The build failed (see the compiler's messages above); "
                        + "fix it and run the same command again.");
                System.exit(code);
            }
        }

        List<String> cmd = new ArrayList<>(List.of(javaExecutable(), "-cp", classpath(root),
                "-Dminietcd.root=" + root, MAIN_CLASS));
        cmd.addAll(List.of(args));
        System.exit(run(cmd, root));
    }

    /** The first directory holding the catalog, walking up from the working directory, then from the script. */
    static Path findRoot() {
        List<Path> starts = new ArrayList<>();
        starts.add(Path.of("").toAbsolutePath());
        String source = System.getProperty("jbang.source"); // set by newer JBang versions only
        if (source != null && !source.contains("://")) starts.add(Path.of(source).toAbsolutePath().getParent());
        String launcher = System.getenv("JBANG_LAUNCH_CMD"); // the ./jbang wrapper sits at the root
        if (launcher != null && !launcher.isBlank()) starts.add(Path.of(launcher).toAbsolutePath().getParent());
        for (Path start : starts) {
            for (Path dir = start; dir != null; dir = dir.getParent()) {
                if (Files.isRegularFile(dir.resolve(CATALOG))) return dir.normalize();
            }
        }
        fail("cannot find the project root: no " + CATALOG + " in " + starts.get(0)
                + " or any parent directory. Run this from inside the mini-etcd lab kit checkout.");
        return null;
    }

    static String classpath(Path root) throws IOException {
        Path deps = root.resolve("kit/cli/target/classpath.txt");
        if (!Files.isRegularFile(deps)) {
            fail(deps + " is missing; it is written by the Maven build"
                    + " (unset MINIETCD_SKIP_BUILD to run the build).");
        }
        String cp = root.resolve("kit/cli/target/classes").toString();
        String rest = Files.readString(deps).trim();
        return rest.isEmpty() ? cp : cp + File.pathSeparator + rest;
    }

    /** True when a build has written the classpath, every entry of it exists, and the kvctl module is on it. */
    static boolean built(Path root) {
        if (!Files.isRegularFile(root.resolve("kit/cli/target/classpath.txt"))) return false;
        try {
            String cp = classpath(root);
            return (cp.contains("kit-kvctl") || cp.contains(Path.of("kit", "kvctl").toString()))
                    && List.of(cp.split(File.pathSeparator)).stream().allMatch(entry -> Files.exists(Path.of(entry)));
        } catch (IOException e) {
            return false;
        }
    }

    static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** Compiles the kit, the labs and the solutions quietly; prints only what Maven says, without its colour codes. */
    static int build(Path root) throws InterruptedException {
        System.out.println(Files.isDirectory(root.resolve("kit/cli/target/classes"))
                ? "Compiling what changed..." : "Building the kit and the labs (the first time takes a minute or two; later, a few seconds)...");
        System.out.flush();
        List<String> cmd = List.of("mvn", "-q", "-B", "-DskipTests", "test-compile", "-f", root.resolve("pom.xml").toString());
        try {
            child = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            fail("cannot run 'mvn' (is Maven installed and on the PATH?): " + e.getMessage());
        }
        try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream()))) {
            for (String line; (line = out.readLine()) != null; ) {
                String plain = line.replaceAll("\u001B\\[[0-9;]*m", "");
                if (!plain.isBlank()) System.out.println(plain);
            }
        } catch (IOException e) {
            // the process ended; its exit code says how
        }
        try {
            return child.waitFor();
        } finally {
            child = null;
        }
    }

    /** Runs a command in {@code dir} with this process's stdin/stdout/stderr; returns its exit code. */
    static int run(List<String> cmd, Path dir) throws InterruptedException {
        try {
            child = new ProcessBuilder(cmd).directory(dir.toFile()).inheritIO().start();
        } catch (IOException e) {
            fail("cannot run '" + cmd.get(0) + "' (is it installed and on the PATH?): " + e.getMessage());
        }
        try {
            return child.waitFor();
        } finally {
            child = null;
        }
    }

    static void fail(String message) {
        System.err.println("kit: " + message);
        System.exit(2);
    }
}
