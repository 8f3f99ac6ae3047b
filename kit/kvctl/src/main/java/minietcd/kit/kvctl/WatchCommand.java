package minietcd.kit.kvctl;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code watch}: opens one {@code /v3/watch} stream and prints its events as they come, as etcdctl
 * prints them (simple form: the event type, then the previous key and value with
 * {@code --prev-kv}, then the key and value), until the process is interrupted or, with
 * {@code --max-events N} (kvctl's own flag, for scripts and tests), until N events have been
 * printed; exactly N, even when the server sends more in one message.
 *
 * <p>When the server cancels the watch (a start revision already compacted, say) it prints
 * {@code watch was canceled (<reason>)} on stderr and fails with "watch is canceled by the server"
 * and exit code 5, as etcdctl does; the same happens if the server ends the stream.
 */
@Command(name = "watch", mixinStandardHelpOptions = true, description = "Watches events stream on keys or prefixes.")
final class WatchCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Parameters(index = "0", paramLabel = "<key>", description = "the key, or the prefix with --prefix") String key;
    @Parameters(index = "1", arity = "0..1", paramLabel = "<range_end>") String rangeEnd;
    @Option(names = "--prefix", description = "watch on a prefix if prefix is set") boolean prefix;
    @Option(names = "--rev", defaultValue = "0", description = "revision to start watching") long rev;
    @Option(names = "--prev-kv", description = "get the previous key-value pair before the event happens") boolean prevKv;
    @Option(names = "--progress-notify", description = "get periodic watch progress notification from server") boolean progressNotify;
    @Option(names = "--max-events", defaultValue = "0", paramLabel = "N", description = "stop after N events (kvctl's own; default: never)") int maxEvents;

    @Override
    public Integer call() {
        KvCtl.Session s = KvCtl.session(spec);
        if (s.output().format() == Output.Format.TABLE) throw new Failure.Unsupported("table").raise(); // say so before waiting
        ObjectNode create = KvCommands.request();
        KvCtl.usage(spec, () -> KeyRange.of(key, rangeEnd, prefix, false)).into(create);
        if (rev != 0) create.put("start_revision", String.valueOf(rev));
        if (prevKv) create.put("prev_kv", true);
        if (progressNotify) create.put("progress_notify", true);
        int printed = 0;
        try (Gateway.Messages stream = s.gateway().stream("watch", KvCommands.request().set("create_request", create), false)) {
            for (ObjectNode m; (m = stream.next()) != null; ) {
                if (m.path("created").asBoolean() && m.path("events").isEmpty()) continue; // etcdctl shows no "created" message
                if (m.path("canceled").asBoolean()) {
                    s.io().err().println("watch was canceled (" + reason(m) + ")");
                    s.output().watch(m);
                    break;
                }
                int events = m.path("events").size();
                if (maxEvents > 0 && printed + events > maxEvents) m = keepFirst(m, maxEvents - printed);
                s.output().watch(m);
                s.io().out().flush();
                printed += m.path("events").size();
                if (maxEvents > 0 && printed >= maxEvents) return 0;
            }
        }
        throw new Failure.WatchCanceled().raise();
    }

    /** Why the server canceled, in etcd's client's words. */
    private static String reason(ObjectNode m) {
        if (Gateway.int64(m.get("compact_revision")) != 0) return "etcdserver: mvcc: required revision has been compacted";
        String given = m.path("cancel_reason").asText();
        return given.isEmpty() ? "etcdserver: mvcc: required revision is a future revision" : given;
    }

    /** A copy of the message with only its first {@code n} events. */
    private static ObjectNode keepFirst(ObjectNode m, int n) {
        ObjectNode copy = m.deepCopy();
        ArrayNode events = (ArrayNode) copy.get("events");
        while (events.size() > n) events.remove(events.size() - 1);
        return copy;
    }
}
