package minietcd.kit.bench;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** etcd itself as a {@link BenchTarget}: a fresh {@link EtcdCluster} per {@link #start}. */
public final class EtcdTarget implements BenchTarget {
    private final Path etcd;
    private final Path workDir;
    private EtcdCluster cluster;

    /** Runs the etcd executable {@code etcd}, with data directories and logs under {@code workDir}. */
    public EtcdTarget(Path etcd, Path workDir) {
        this.etcd = etcd;
        this.workDir = workDir;
    }

    @Override
    public String name() {
        return "etcd";
    }

    @Override
    public List<String> start(int members) throws Exception {
        if (cluster != null) throw new IllegalStateException("already started");
        cluster = EtcdCluster.start(etcd, members, workDir, Duration.ofSeconds(60));
        return cluster.clientUrls().stream().map(URI::toString).toList();
    }

    @Override
    public void kill(int member) {
        cluster.kill(member);
    }

    @Override
    public void close() {
        if (cluster != null) cluster.close();
    }
}
