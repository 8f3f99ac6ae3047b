package minietcd.kit.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finding the etcd to compare with, and installing Debian's {@code etcd-server} package (etcd
 * 3.4.23 on Debian 12) when there is none.
 */
public final class EtcdInstall {
    /** The etcd release the kit's gateway is modelled on. */
    public static final String VERSION = "3.4.23";
    static final List<String> INSTALL = List.of("apt-get", "install", "-y", "etcd-server");
    private static final Pattern VERSION_LINE = Pattern.compile("etcd Version:\\s*(\\S+)");

    private EtcdInstall() {}

    /**
     * The etcd executable to run. {@code etcd} is a path (with a slash: used as it is, and it must
     * exist) or a command name looked up on the PATH. When the name {@code etcd} is not on the PATH,
     * it says so on {@code log} and runs {@code apt-get install -y etcd-server} (as root: it does not
     * use sudo), showing apt's output on {@code log}; if the package lists have never been fetched it
     * runs {@code apt-get update} once and tries again. Throws {@link IllegalStateException} with what
     * to do by hand when etcd cannot be found or installed. A version other than 3.4.23 is allowed,
     * with a warning on {@code log}.
     */
    public static Path ensure(String etcd, PrintStream log) throws IOException, InterruptedException {
        Path found;
        if (etcd.contains("/")) {
            found = Path.of(etcd).toAbsolutePath();
            if (!Files.isExecutable(found)) throw new IllegalStateException("the etcd given, " + found + ", is not an executable file");
        } else {
            Optional<Path> onPath = onPath(etcd);
            if (onPath.isEmpty()) {
                if (!etcd.equals("etcd")) throw new IllegalStateException("'" + etcd + "' is not on the PATH");
                install(log);
                onPath = onPath(etcd);
                if (onPath.isEmpty()) throw new IllegalStateException("apt-get installed etcd-server, but 'etcd' is still not on the PATH (" + System.getenv("PATH") + ")");
            }
            found = onPath.get();
        }
        String version = version(found);
        if (!VERSION.equals(version))
            log.println("warning: " + found + " is etcd " + version + ", not " + VERSION + " (the release the kit is modelled on); comparing with it anyway");
        return found;
    }

    /** The version {@code etcd --version} prints ({@code 3.4.23}), or {@code "unknown"}. */
    public static String version(Path etcd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(etcd.toString(), "--version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        Matcher m = VERSION_LINE.matcher(out);
        return m.find() ? m.group(1) : "unknown";
    }

    /** The first executable called {@code name} in the PATH's directories. */
    public static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) return Optional.empty();
        for (String d : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(d.isEmpty() ? "." : d, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) return Optional.of(candidate.toAbsolutePath());
        }
        return Optional.empty();
    }

    private static void install(PrintStream log) throws IOException, InterruptedException {
        if (onPath("apt-get").isEmpty())
            throw new IllegalStateException("etcd is not on the PATH and this machine has no apt-get to install it with: install etcd "
                    + VERSION + " yourself (https://github.com/etcd-io/etcd/releases/tag/v" + VERSION + ") and put 'etcd' on the PATH, or pass its path");
        log.println("etcd is not on the PATH: installing Debian's etcd-server package (etcd " + VERSION + ") with: " + String.join(" ", INSTALL));
        Run first = run(INSTALL, log);
        if (first.status == 0) return;
        if (first.output.contains("Unable to locate package")) {
            log.println("apt does not know etcd-server yet; fetching the package lists with: apt-get update");
            if (run(List.of("apt-get", "update"), log).status == 0 && run(INSTALL, log).status == 0) return;
        }
        String why = first.output.contains("Permission denied") || first.output.contains("are you root")
                ? " (it must run as root; this JVM runs as " + System.getProperty("user.name") + ")" : "";
        throw new IllegalStateException("could not install etcd: '" + String.join(" ", INSTALL) + "' failed" + why
                + ". Install it yourself (sudo " + String.join(" ", INSTALL) + ") and run this again.");
    }

    private record Run(int status, String output) {}

    /** Runs a command with its output copied to {@code log}, line by line; keeps the output too. */
    private static Run run(List<String> command, PrintStream log) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
        Process p = pb.start();
        p.getOutputStream().close();
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                lines.add(line);
                log.println("  " + line);
            }
        }
        return new Run(p.waitFor(), String.join("\n", lines));
    }
}
