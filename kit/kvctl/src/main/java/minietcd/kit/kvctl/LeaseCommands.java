package minietcd.kit.kvctl;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code lease grant|revoke|keep-alive|timetolive|list}. Lease ids are written and read in
 * hexadecimal, as etcdctl does (the gateway carries them as decimal int64 strings).
 */
@Command(name = "lease", mixinStandardHelpOptions = true, description = "Lease related commands.",
        subcommands = {LeaseCommands.Grant.class, LeaseCommands.Revoke.class, LeaseCommands.TimeToLive.class,
                LeaseCommands.ListLeases.class, LeaseCommands.KeepAlive.class})
final class LeaseCommands {

    /**
     * A lease id as etcdctl takes it: a signed 64-bit number in hexadecimal.
     *
     * @throws IllegalArgumentException in etcdctl's words if it is not one
     */
    static long parseId(String hex) {
        try {
            return Long.parseLong(hex, 16);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad lease ID arg (" + hex + "), expecting ID in Hex");
        }
    }

    private static ObjectNode id(long id) {
        return KvCommands.request().put("ID", String.valueOf(id));
    }

    @Command(name = "grant", mixinStandardHelpOptions = true, description = "Creates leases.")
    static final class Grant implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Parameters(index = "0", paramLabel = "<ttl>", description = "time to live, in seconds") long ttl;

        @Override
        public Integer call() {
            KvCtl.Session s = KvCtl.session(spec);
            s.output().grant(s.gateway().call("lease/grant", KvCommands.request().put("TTL", String.valueOf(ttl))));
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revokes leases.")
    static final class Revoke implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Parameters(index = "0", paramLabel = "<leaseID>") String lease;

        @Override
        public Integer call() {
            KvCtl.Session s = KvCtl.session(spec);
            long id = KvCtl.usage(spec, () -> parseId(lease));
            s.output().revoke(id, s.gateway().call("lease/revoke", id(id)));
            return 0;
        }
    }

    @Command(name = "timetolive", mixinStandardHelpOptions = true, description = "Get lease information.")
    static final class TimeToLive implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Parameters(index = "0", paramLabel = "<leaseID>") String lease;
        @Option(names = "--keys", description = "get keys attached to this lease") boolean keys;

        @Override
        public Integer call() {
            KvCtl.Session s = KvCtl.session(spec);
            long id = KvCtl.usage(spec, () -> parseId(lease));
            ObjectNode req = id(id);
            if (keys) req.put("keys", true);
            s.output().timeToLive(s.gateway().call("lease/timetolive", req), keys);
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List all active leases.")
    static final class ListLeases implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            KvCtl.Session s = KvCtl.session(spec);
            s.output().leases(s.gateway().call("lease/leases", KvCommands.request()));
            return 0;
        }
    }

    /**
     * {@code keep-alive}: renews the lease now and then every third of its TTL, printing each
     * renewal, until the lease is gone ({@code lease ... expired or revoked.}) or the process is
     * stopped. With {@code --once}, renews it once; a lease that is gone is then etcd's "requested
     * lease not found" error, as etcdctl reports it.
     */
    @Command(name = "keep-alive", mixinStandardHelpOptions = true, description = "Keeps leases alive (renew).")
    static final class KeepAlive implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Parameters(index = "0", paramLabel = "<leaseID>") String lease;
        @Option(names = "--once", description = "Resets the keep-alive time to its original value and exits immediately") boolean once;

        @Override
        public Integer call() throws InterruptedException {
            KvCtl.Session s = KvCtl.session(spec);
            long id = KvCtl.usage(spec, () -> parseId(lease));
            while (true) {
                ObjectNode r = renew(s.gateway(), id);
                long ttl = Gateway.int64(r.get("TTL"));
                if (ttl <= 0) {
                    if (once) throw new Failure.Etcd(5, "etcdserver: requested lease not found").raise();
                    s.output().keepAliveEnded(id);
                    return 0;
                }
                s.output().keepAlive(r);
                s.io().out().flush();
                if (once) return 0;
                Thread.sleep(Math.max(500, ttl * 1000 / 3));
            }
        }

        /** One keep-alive exchange: the stream's first (and only) message. */
        private static ObjectNode renew(Gateway gateway, long id) {
            try (Gateway.Messages stream = gateway.stream("lease/keepalive", id(id), true)) {
                ObjectNode r = stream.next();
                if (r == null) throw new Failure.BadReply(stream.endpoint(), 200, "(the keep-alive stream ended without an answer)").raise();
                return r;
            }
        }
    }
}
