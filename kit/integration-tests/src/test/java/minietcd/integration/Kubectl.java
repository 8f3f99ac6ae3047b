package minietcd.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The machine's kubectl against an API server on 127.0.0.1, through a kubeconfig of its own (namespace {@code default}). */
final class Kubectl {
    record Run(int code, String out) {}

    private final Path kubeconfig;

    /** Writes a kubeconfig for {@code server} (http://127.0.0.1:PORT) into {@code dir}. */
    Kubectl(Path dir, String server) throws Exception {
        kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, "apiVersion: v1\nkind: Config\nclusters:\n- name: k\n  cluster:\n    server: " + server
                + "\ncontexts:\n- name: k\n  context:\n    cluster: k\n    user: k\n    namespace: default\ncurrent-context: k\nusers:\n- name: k\n  user: {}\n");
    }

    /** A ReplicaSet {@code frontend} of 3 pods labeled tier=frontend, its container requesting {@code cpu} ("" for no requests), as YAML. */
    static String frontendReplicaSet(String cpu) {
        String yaml = """
                apiVersion: apps/v1
                kind: ReplicaSet
                metadata:
                  name: frontend
                spec:
                  replicas: 3
                  selector:
                    matchLabels:
                      tier: frontend
                  template:
                    metadata:
                      labels:
                        tier: frontend
                    spec:
                      containers:
                      - name: web
                        image: nginx
                """;
        return cpu.isEmpty() ? yaml : yaml + """
                        resources:
                          requests:
                            cpu: %s
                            memory: 64Mi
                """.formatted(cpu);
    }

    /** Runs kubectl (each request may take up to 70 s, the command up to 90 s); its exit code and its output. */
    Run run(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString(), "--request-timeout=70s"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("kubectl " + String.join(" ", args) + " finished").isTrue();
        return new Run(p.exitValue(), out);
    }

    /** Runs kubectl, which must exit 0; its output, stripped. */
    String ok(String... args) throws Exception {
        Run r = run(args);
        assertThat(r.code()).as("kubectl " + String.join(" ", args) + " exited " + r.code() + ":\n" + r.out()).isZero();
        return r.out().strip();
    }
}
