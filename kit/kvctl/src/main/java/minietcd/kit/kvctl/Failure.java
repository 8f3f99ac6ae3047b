package minietcd.kit.kvctl;

import java.util.List;

/**
 * Why a command could not finish. Each kind knows the line kvctl prints for it (as
 * {@code Error: <message>} on stderr, the way etcdctl reports errors) and the exit code.
 * Usage mistakes are not failures: they are picocli's {@code ParameterException}s and exit 2.
 */
sealed interface Failure permits Failure.Etcd, Failure.Unreachable, Failure.TimedOut, Failure.BadReply, Failure.BadInput,
        Failure.Unsupported, Failure.Unhealthy, Failure.WatchCanceled {

    /** The text after {@code Error: }. */
    String message();

    /** The process exit code. */
    default int exitCode() {
        return 1;
    }

    /** This failure as an exception to throw out of a command. */
    default Raised raise() {
        return new Raised(this);
    }

    /** The server refused the request with etcd's error body {@code {"error","message","code"}}; {@code code} is the gRPC code. */
    record Etcd(int code, String message) implements Failure {}

    /**
     * No endpoint took the connection.
     *
     * @param attempts one entry per endpoint tried, as {@code endpoint (reason)}
     */
    record Unreachable(List<String> attempts) implements Failure {
        public Unreachable {
            attempts = List.copyOf(attempts);
        }

        @Override
        public String message() {
            return attempts.size() == 1 ? "cannot reach " + attempts.get(0) : "cannot reach any endpoint: " + String.join(", ", attempts);
        }
    }

    /** The command timeout ran out before the answer came; etcdctl says it in Go's words. */
    record TimedOut() implements Failure {
        @Override
        public String message() {
            return "context deadline exceeded";
        }
    }

    /** The endpoint answered, but not as an etcd gateway answers (a wrong port, a proxy's error page). */
    record BadReply(String endpoint, int status, String body) implements Failure {
        @Override
        public String message() {
            String first = body.strip().lines().findFirst().orElse("");
            if (first.length() > 200) first = first.substring(0, 200) + "...";
            return "unexpected answer from " + endpoint + ": HTTP " + status + (first.isEmpty() ? "" : " " + first);
        }
    }

    /** Input read from stdin that the command cannot use (a malformed txn line); etcdctl exits 3 ("invalid input"). */
    record BadInput(String message) implements Failure {
        @Override
        public int exitCode() {
            return 3;
        }
    }

    /** An output format the command has no printer for ({@code -w table} outside endpoint and member commands); etcdctl exits 4. */
    record Unsupported(String format) implements Failure {
        @Override
        public String message() {
            return format + " not supported as output format";
        }

        @Override
        public int exitCode() {
            return 4;
        }
    }

    /** {@code endpoint health} found an endpoint unhealthy (each is reported on stderr before this). */
    record Unhealthy() implements Failure {
        @Override
        public String message() {
            return "unhealthy cluster";
        }
    }

    /** The server ended a watch; etcdctl exits 5 (its "interrupted" code) with this message. */
    record WatchCanceled() implements Failure {
        @Override
        public String message() {
            return "watch is canceled by the server";
        }

        @Override
        public int exitCode() {
            return 5;
        }
    }

    /** The exception that carries a failure out of a command to {@link KvCtl}, which prints it. */
    final class Raised extends RuntimeException {
        private final transient Failure failure;

        Raised(Failure failure) {
            super(failure.message(), null, false, false);
            this.failure = failure;
        }

        Failure failure() {
            return failure;
        }
    }
}
