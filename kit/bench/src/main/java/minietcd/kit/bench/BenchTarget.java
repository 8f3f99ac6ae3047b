package minietcd.kit.bench;

import java.util.List;

/**
 * A system the benchmark drives: something that starts a cluster of 1 or more members on this
 * machine, hands back its client URLs, and stops it again.
 *
 * <p>Contract: {@link #start} is called at most once per instance and returns only when every member
 * answers {@code GET /health} with {@code true}; it returns one {@code http://host:port} per member,
 * in member order. {@link #close} stops every process the target started, removes what it wrote, and
 * may be called whether or not {@code start} succeeded, and more than once.
 */
public sealed interface BenchTarget extends AutoCloseable permits EtcdTarget, CommandTarget {
    /** A short name for the table and the progress lines ({@code etcd}, {@code ours}). */
    String name();

    /** Starts a cluster of {@code members} members and returns their client URLs once all are healthy. */
    List<String> start(int members) throws Exception;

    /** Kills member {@code member} (from 1, in the order of {@link #start}'s URLs) with SIGKILL, as a crash would. */
    void kill(int member);

    @Override
    void close();
}
