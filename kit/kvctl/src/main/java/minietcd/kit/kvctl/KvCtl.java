package minietcd.kit.kvctl;

import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * kvctl: a command-line client in the style of etcdctl 3.4 for any etcd 3.4 HTTP/JSON gateway (the
 * kit's {@code GatewayServer}, or a real etcd), over HTTP and JSON rather than gRPC.
 *
 * <p>The commands, their flags and their output follow etcdctl's: {@code put}, {@code get},
 * {@code del}, {@code txn}, {@code compaction}, {@code watch}, {@code lease ...}, {@code endpoint
 * status|health}, {@code member list} and {@code alarm list}. The global options ({@code --endpoints},
 * {@code --write-out}, {@code --dial-timeout}, {@code --command-timeout}, {@code --hex}) may come
 * before or after the command, and take their defaults from etcdctl's environment variables
 * ({@code ETCDCTL_ENDPOINTS} and so on).
 *
 * <p>Exit codes: 0 on success; 1 when the server refuses a request (stderr gets
 * {@code Error: <etcd's message>}), when no endpoint can be reached, or when the command timeout
 * runs out; 2 for a usage mistake ({@code Error: } and picocli's message, then the command's
 * synopsis, on stderr); and
 * etcdctl's own codes where it has one: 3 for a malformed txn script, 4 for an output format the
 * command cannot print, 5 when the server ends a watch.
 */
@Command(name = "kvctl", mixinStandardHelpOptions = true, version = "kvctl (mini-etcd) for the etcd 3.4 API",
        description = "A command-line client in etcdctl's style for an etcd 3.4 HTTP/JSON gateway.",
        subcommands = {KvCommands.Get.class, KvCommands.Put.class, KvCommands.Del.class, KvCommands.Txn.class, KvCommands.Compaction.class,
                WatchCommand.class, LeaseCommands.class, ClusterCommands.Endpoint.class, ClusterCommands.Member.class, ClusterCommands.Alarm.class})
public final class KvCtl {
    @Option(names = "--endpoints", split = ",", scope = ScopeType.INHERIT, paramLabel = "URL",
            defaultValue = "${env:ETCDCTL_ENDPOINTS:-127.0.0.1:2379}", description = "gateway endpoints, tried in turn (default: ${DEFAULT-VALUE})")
    List<String> endpoints;

    @Option(names = {"-w", "--write-out"}, scope = ScopeType.INHERIT, paramLabel = "FORMAT", defaultValue = "${env:ETCDCTL_WRITE_OUT:-simple}",
            description = "output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    Output.Format writeOut;

    @Option(names = "--dial-timeout", scope = ScopeType.INHERIT, converter = Durations.class, paramLabel = "DURATION",
            defaultValue = "${env:ETCDCTL_DIAL_TIMEOUT:-2s}", description = "time to connect to an endpoint (default: ${DEFAULT-VALUE})")
    Duration dialTimeout;

    @Option(names = "--command-timeout", scope = ScopeType.INHERIT, converter = Durations.class, paramLabel = "DURATION",
            defaultValue = "${env:ETCDCTL_COMMAND_TIMEOUT:-5s}", description = "time for a request's answer, watches excluded (default: ${DEFAULT-VALUE})")
    Duration commandTimeout;

    @Option(names = "--hex", scope = ScopeType.INHERIT, description = "print keys and values as hex-escaped bytes")
    boolean hex;

    private Io io;
    private Session session;

    /** The process's standard streams, or a test's. */
    record Io(InputStream in, PrintStream out, PrintStream err) {}

    /** What a command works with: the gateway at the chosen endpoints, the printer for the chosen format, and the streams. */
    record Session(Gateway gateway, Output output, Io io) {}

    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err));
    }

    /**
     * Runs one kvctl command line and returns its exit code; everything it prints goes to {@code out}
     * and {@code err}, and {@code txn} (or {@code put} without a value) reads {@code in}. Safe to call
     * from several threads at once: each call has its own state.
     */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        KvCtl root = new KvCtl();
        root.io = new Io(in, out, err);
        PrintWriter usageOut = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        PrintWriter usageErr = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
        CommandLine cli = new CommandLine(root)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExpandAtFiles(false) // etcdctl has no @file arguments: "@x" is a key like any other
                .setOut(usageOut)
                .setErr(usageErr)
                .setParameterExceptionHandler(KvCtl::usageError)
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    if (e instanceof Failure.Raised r) {
                        err.println("Error: " + r.getMessage());
                        return r.failure().exitCode();
                    }
                    err.println("Error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
                    return 1;
                });
        try {
            return cli.execute(args);
        } finally {
            usageOut.flush();
            usageErr.flush();
            out.flush();
            err.flush();
        }
    }

    /**
     * A usage mistake, reported as etcdctl does ({@code Error: } and the reason, here in picocli's
     * words), then the command's synopsis and where to read more; exit 2.
     */
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("Error: " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.print(cmd.getHelp().fullSynopsis());
        err.printf("Try '%s --help' for more information.%n", cmd.getCommandSpec().qualifiedName());
        err.flush();
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** The session of the command line {@code spec} belongs to, made on first use. */
    static Session session(CommandSpec spec) {
        return ((KvCtl) spec.root().userObject()).open(spec);
    }

    private Session open(CommandSpec command) {
        if (session == null) {
            if (dialTimeout.isNegative() || dialTimeout.isZero() || commandTimeout.isNegative() || commandTimeout.isZero())
                throw new CommandLine.ParameterException(command.commandLine(), "--dial-timeout and --command-timeout must be longer than 0s");
            Gateway gateway;
            try {
                gateway = new Gateway(endpoints, dialTimeout, commandTimeout);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(command.commandLine(), "bad --endpoints: " + e.getMessage());
            }
            session = new Session(gateway, new Output(io.out(), writeOut, hex), io);
        }
        return session;
    }

    /**
     * Runs {@code check}, turning the {@link IllegalArgumentException} it throws for arguments that
     * do not fit together into picocli's usage error for {@code spec}'s command (exit 2).
     */
    static <T> T usage(CommandSpec spec, java.util.function.Supplier<T> check) {
        try {
            return check.get();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
