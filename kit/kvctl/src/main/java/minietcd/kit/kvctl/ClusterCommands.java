package minietcd.kit.kvctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The cluster and maintenance commands: {@code endpoint status}, {@code endpoint health},
 * {@code member list} and {@code alarm list}.
 * Endpoint commands ask every endpoint of {@code --endpoints} in turn (with {@code --cluster}, every
 * client URL of the member list instead) rather than the first that answers.
 */
final class ClusterCommands {
    private ClusterCommands() {}

    @Command(name = "endpoint", mixinStandardHelpOptions = true, description = "Endpoint related commands.",
            subcommands = {Status.class, Health.class})
    static final class Endpoint {}

    @Command(name = "member", mixinStandardHelpOptions = true, description = "Membership related commands.",
            subcommands = {MemberList.class})
    static final class Member {}

    @Command(name = "alarm", mixinStandardHelpOptions = true, description = "Alarm related commands.",
            subcommands = {AlarmList.class})
    static final class Alarm {}

    /** The endpoints an endpoint command asks: those given, or with {@code cluster} the members' client URLs. */
    private static List<String> endpoints(KvCtl.Session s, boolean cluster) {
        if (!cluster) return s.gateway().endpoints();
        Set<String> urls = new LinkedHashSet<>();
        for (JsonNode m : s.gateway().call("cluster/member/list", KvCommands.request()).path("members"))
            m.path("clientURLs").forEach(u -> urls.add(u.asText()));
        return new ArrayList<>(urls);
    }

    /**
     * {@code endpoint status}: one row per endpoint (id, version, database size, leadership, raft
     * term and indexes, errors). An endpoint that does not answer is reported on stderr as
     * {@code Failed to get the status of endpoint ...}, the others are still printed, and the exit
     * code is 1.
     */
    @Command(name = "status", mixinStandardHelpOptions = true, description = "Prints out the status of endpoints specified in `--endpoints` flag.")
    static final class Status implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Option(names = "--cluster", description = "use all endpoints from the cluster member list") boolean cluster;

        @Override
        public Integer call() {
            KvCtl.Session s = KvCtl.session(spec);
            List<Output.EndpointStatus> statuses = new ArrayList<>();
            boolean failed = false;
            for (String ep : endpoints(s, cluster)) {
                try {
                    statuses.add(new Output.EndpointStatus(ep, s.gateway().only(ep).call("maintenance/status", KvCommands.request())));
                } catch (Failure.Raised e) {
                    s.io().err().printf("Failed to get the status of endpoint %s (%s)%n", ep, e.getMessage());
                    failed = true;
                }
            }
            s.output().endpointStatus(statuses);
            return failed ? 1 : 0;
        }
    }

    /**
     * {@code endpoint health}: an endpoint is healthy when it answers a read of the key
     * {@code health} (a "permission denied" counts: the request got through) and raises no alarm.
     * Unhealthy endpoints are reported on stderr and the command then fails with
     * {@code Error: unhealthy cluster}.
     */
    @Command(name = "health", mixinStandardHelpOptions = true, description = "Checks the healthiness of endpoints specified in `--endpoints` flag.")
    static final class Health implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Option(names = "--cluster", description = "use all endpoints from the cluster member list") boolean cluster;

        @Override
        public Integer call() {
            KvCtl.Session s = KvCtl.session(spec);
            List<Output.EndpointHealth> checks = new ArrayList<>();
            for (String ep : endpoints(s, cluster)) checks.add(check(s.gateway().only(ep), ep));
            s.output().endpointHealth(checks, s.io().err());
            if (checks.stream().anyMatch(h -> !h.healthy())) throw new Failure.Unhealthy().raise();
            return 0;
        }

        private static Output.EndpointHealth check(Gateway gateway, String ep) {
            long start = System.nanoTime();
            String error = null;
            try {
                gateway.call("kv/range", KvCommands.request().put("key", Gateway.base64("health".getBytes(StandardCharsets.UTF_8))));
            } catch (Failure.Raised e) {
                if (!e.getMessage().equals("etcdserver: permission denied")) error = e.getMessage();
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            if (error == null) {
                try {
                    ObjectNode alarms = gateway.call("maintenance/alarm", KvCommands.request().put("action", "GET"));
                    if (!alarms.path("alarms").isEmpty()) {
                        StringBuilder active = new StringBuilder("Active Alarm(s): ");
                        alarms.path("alarms").forEach(a -> active.append(alarmName(a.path("alarm").asText())).append(' '));
                        error = active.toString();
                    }
                } catch (Failure.Raised e) {
                    error = "Unable to fetch the alarm list";
                }
            }
            return new Output.EndpointHealth(ep, error == null, took, error);
        }

        private static String alarmName(String alarm) {
            return alarm.equals("NOSPACE") || alarm.equals("CORRUPT") ? alarm : "UNKNOWN";
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists all members in the cluster.")
    static final class MemberList implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            KvCtl.Session s = KvCtl.session(spec);
            s.output().memberList(s.gateway().call("cluster/member/list", KvCommands.request()));
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists all alarms.")
    static final class AlarmList implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            KvCtl.Session s = KvCtl.session(spec);
            s.output().alarms(s.gateway().call("maintenance/alarm", KvCommands.request().put("action", "GET")));
            return 0;
        }
    }
}
