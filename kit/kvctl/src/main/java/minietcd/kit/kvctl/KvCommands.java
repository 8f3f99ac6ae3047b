package minietcd.kit.kvctl;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The key-value commands: {@code put}, {@code get}, {@code del}, {@code txn} and
 * {@code compaction}, with etcdctl 3.4's names, flags and checks. Put, get and del also build the
 * operations of a txn script (see {@link TxnScript}), so each builds its request apart from
 * sending it; a request builder throws {@link IllegalArgumentException}, in etcdctl's words, for
 * arguments that do not fit together.
 */
final class KvCommands {
    private KvCommands() {}

    /** An empty JSON object to build a request in. */
    static ObjectNode request() {
        return Gateway.JSON.createObjectNode();
    }

    @Command(name = "put", mixinStandardHelpOptions = true, description = "Puts the given key into the store.",
            footer = "When <value> is left out it is read from stdin; a value starting with '-' needs '--' before the key.")
    static final class Put implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Parameters(index = "0", paramLabel = "<key>") String key;
        @Parameters(index = "1", arity = "0..1", paramLabel = "<value>") String value;
        @Option(names = "--lease", defaultValue = "0", paramLabel = "HEXID", description = "lease ID (in hexadecimal) to attach to the key") String lease;
        @Option(names = "--prev-kv", description = "return the previous key-value pair before modification") boolean prevKv;
        @Option(names = "--ignore-value", description = "update the key using its current value") boolean ignoreValue;
        @Option(names = "--ignore-lease", description = "update the key using its current lease") boolean ignoreLease;

        /** The {@code kv/put} request; {@code stdin} supplies a missing value (null in a txn, where there is none). */
        ObjectNode request(InputStream stdin) {
            if (ignoreValue && value != null) throw new IllegalArgumentException("put command needs only 1 argument when 'ignore-value' is set");
            byte[] v = new byte[0];
            if (!ignoreValue) {
                if (value != null) v = value.getBytes(StandardCharsets.UTF_8);
                else if (stdin != null) v = readAll(stdin);
                if (value == null && v.length == 0) throw new IllegalArgumentException("put command needs 1 argument and input from stdin or 2 arguments");
            }
            long id = LeaseCommands.parseId(lease);
            ObjectNode r = KvCommands.request().put("key", Gateway.base64(key.getBytes(StandardCharsets.UTF_8)));
            if (v.length > 0) r.put("value", Gateway.base64(v));
            if (id != 0) r.put("lease", String.valueOf(id));
            if (prevKv) r.put("prev_kv", true);
            if (ignoreValue) r.put("ignore_value", true);
            if (ignoreLease) r.put("ignore_lease", true);
            return r;
        }

        @Override
        public Integer call() {
            KvCtl.Session s = KvCtl.session(spec);
            ObjectNode req = KvCtl.usage(spec, () -> request(s.io().in()));
            s.output().put(s.gateway().call("kv/put", req));
            return 0;
        }

        private static byte[] readAll(InputStream in) {
            try {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Gets the key or a range of keys.")
    static final class Get implements Callable<Integer> {
        /** etcdctl's --sort-by names and the RangeRequest.SortTarget each stands for. */
        private static final Map<String, String> SORT_TARGETS = Map.of("KEY", "KEY", "CREATE", "CREATE", "MODIFY", "MOD", "VALUE", "VALUE", "VERSION", "VERSION");

        @Spec CommandSpec spec;
        @Parameters(index = "0", paramLabel = "<key>") String key;
        @Parameters(index = "1", arity = "0..1", paramLabel = "<range_end>") String rangeEnd;
        @Option(names = "--consistency", defaultValue = "l", description = "Linearizable(l) or Serializable(s)") String consistency;
        @Option(names = "--order", defaultValue = "", description = "order of results; ASCEND or DESCEND (ASCEND by default)") String order;
        @Option(names = "--sort-by", defaultValue = "", description = "sort target; CREATE, KEY, MODIFY, VALUE, or VERSION") String sortBy;
        @Option(names = "--prefix", description = "get keys with matching prefix") boolean prefix;
        @Option(names = "--from-key", description = "get keys that are greater than or equal to the given key using byte compare") boolean fromKey;
        @Option(names = "--rev", defaultValue = "0", description = "specify the kv revision") long rev;
        @Option(names = "--limit", defaultValue = "0", description = "maximum number of results") long limit;
        @Option(names = "--keys-only", description = "get only the keys") boolean keysOnly;
        @Option(names = "--print-value-only", description = "only write values when using the \"simple\" output format") boolean printValueOnly;

        /** The {@code kv/range} request. */
        ObjectNode request() {
            ObjectNode r = KvCommands.request();
            KeyRange.of(key, rangeEnd, prefix, fromKey).into(r);
            if (limit != 0) r.put("limit", String.valueOf(limit));
            if (rev != 0) r.put("revision", String.valueOf(rev));
            switch (consistency) {
                case "l" -> { }
                case "s" -> r.put("serializable", true);
                default -> throw new IllegalArgumentException("unknown consistency flag \"" + consistency + "\"");
            }
            String ord = order.toUpperCase(Locale.ROOT);
            if (!ord.isEmpty() && !ord.equals("ASCEND") && !ord.equals("DESCEND")) throw new IllegalArgumentException("bad sort order " + order);
            String target = SORT_TARGETS.get(sortBy.toUpperCase(Locale.ROOT));
            if (!sortBy.isEmpty() && target == null) throw new IllegalArgumentException("bad sort target " + sortBy);
            // as etcd's client does: results come sorted by key ascending anyway, so that order is not asked for
            if ((target == null || target.equals("KEY")) && ord.equals("ASCEND")) ord = "";
            if (!ord.isEmpty()) r.put("sort_order", ord);
            if (target != null && !target.equals("KEY")) r.put("sort_target", target);
            if (keysOnly) r.put("keys_only", true);
            return r;
        }

        @Override
        public Integer call() {
            KvCtl.Session s = KvCtl.session(spec);
            ObjectNode req = KvCtl.usage(spec, this::request);
            s.output().get(s.gateway().call("kv/range", req), printValueOnly);
            return 0;
        }
    }

    @Command(name = "del", mixinStandardHelpOptions = true, description = "Removes the specified key or range of keys [key, range_end).")
    static final class Del implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Parameters(index = "0", paramLabel = "<key>") String key;
        @Parameters(index = "1", arity = "0..1", paramLabel = "<range_end>") String rangeEnd;
        @Option(names = "--prefix", description = "delete keys with matching prefix") boolean prefix;
        @Option(names = "--prev-kv", description = "return deleted key-value pairs") boolean prevKv;
        @Option(names = "--from-key", description = "delete keys that are greater than or equal to the given key using byte compare") boolean fromKey;

        /** The {@code kv/deleterange} request. */
        ObjectNode request() {
            ObjectNode r = KvCommands.request();
            KeyRange.of(key, rangeEnd, prefix, fromKey).into(r);
            if (prevKv) r.put("prev_kv", true);
            return r;
        }

        @Override
        public Integer call() {
            KvCtl.Session s = KvCtl.session(spec);
            ObjectNode req = KvCtl.usage(spec, this::request);
            s.output().del(s.gateway().call("kv/deleterange", req));
            return 0;
        }
    }

    @Command(name = "txn", mixinStandardHelpOptions = true, description = "Txn processes all the requests in one transaction.",
            footer = {"", "The script comes on stdin: compares, a blank line, success requests, a blank line, failure requests.",
                    "  value(\"k\") = \"v\"    mod(\"k\") > \"3\"    create(\"k\") = \"0\"    version(\"k\") != \"1\"    lease(\"k\") = \"694d\"",
                    "  put k v [--prev-kv] [--lease=HEXID]    get k [flags]    del k [flags]"})
    static final class Txn implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Option(names = {"-i", "--interactive"}, description = "prompt for each part of the script") boolean interactive;

        @Override
        public Integer call() {
            KvCtl.Session s = KvCtl.session(spec);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.io().in(), StandardCharsets.UTF_8));
            ObjectNode req = TxnScript.read(in, interactive ? s.io().out() : null);
            s.output().txn(s.gateway().call("kv/txn", req));
            return 0;
        }
    }

    @Command(name = "compaction", mixinStandardHelpOptions = true, description = "Compacts the event history in etcd.")
    static final class Compaction implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Parameters(index = "0", paramLabel = "<revision>") long revision;
        @Option(names = "--physical", description = "wait for the compaction to remove all old revisions physically") boolean physical;

        @Override
        public Integer call() {
            KvCtl.Session s = KvCtl.session(spec);
            ObjectNode req = request().put("revision", String.valueOf(revision));
            if (physical) req.put("physical", true);
            s.gateway().call("kv/compaction", req);
            s.output().compaction(revision);
            return 0;
        }
    }
}
