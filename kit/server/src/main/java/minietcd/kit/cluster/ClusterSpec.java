package minietcd.kit.cluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the members of a local cluster live: member {@code n} (from 1) serves clients on
 * {@code basePort + (n - 1) * 10000} and its peers one port above, as etcd's own local examples lay
 * out 2379/2380, 12379/12380, 22379/22380; its files are in {@code dataDir/member-n}.
 */
public record ClusterSpec(int size, int basePort, Path dataDir) {
    public ClusterSpec {
        if (size < 1 || size > 7) throw new IllegalArgumentException("a cluster has 1 to 7 members, not " + size);
        if (basePort < 1024 || basePort + (size - 1) * 10_000 + 1 > 65_535)
            throw new IllegalArgumentException("base port " + basePort + " leaves no room for " + size + " members (each takes port + 10000 * n and the port above)");
        dataDir = dataDir.toAbsolutePath().normalize();
    }

    public int clientPort(int n) { return basePort + (n - 1) * 10_000; }
    public int peerPort(int n) { return clientPort(n) + 1; }
    public String clientUrl(int n) { return "http://127.0.0.1:" + clientPort(n); }
    public String peerUrl(int n) { return "http://127.0.0.1:" + peerPort(n); }
    public Path memberDir(int n) { return dataDir.resolve("member-" + n); }

    public List<Integer> members() {
        List<Integer> all = new ArrayList<>();
        for (int n = 1; n <= size; n++) all.add(n);
        return all;
    }

    /** The arguments {@link MemberMain} takes for member {@code n}. */
    public List<String> memberArgs(int n) {
        return List.of("--member", String.valueOf(n), "--size", String.valueOf(size), "--base-port", String.valueOf(basePort), "--data-dir", dataDir.toString());
    }
}
