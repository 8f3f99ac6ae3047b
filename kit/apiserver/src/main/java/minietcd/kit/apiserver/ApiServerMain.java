package minietcd.kit.apiserver;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import minietcd.kit.client.HttpEtcdClient;

/**
 * The API server as a process: {@code ApiServerMain --etcd-servers URL,URL --port 6443 [--fences off]}, over the
 * etcd (the kit's cluster or a real etcd 3.4) at those client URLs, with lab 5's storage layer
 * (whichever {@code EtcdObjectStore} is on the class path: the reference's or the learner's).
 */
public final class ApiServerMain {
    private ApiServerMain() {}

    public static void main(String[] args) throws InterruptedException {
        List<String> a = Arrays.asList(args);
        String servers = value(a, "--etcd-servers", "http://127.0.0.1:2379");
        int port = Integer.parseInt(value(a, "--port", "6443"));
        String host = value(a, "--bind-address", "127.0.0.1");
        boolean fences = !value(a, "--fences", "on").equals("off");
        HttpEtcdClient etcd = new HttpEtcdClient(List.of(servers.split(",")), Duration.ofSeconds(10));
        ApiServer server;
        try {
            server = new ApiServer(etcd, fences).start(host, port);
        } catch (IllegalStateException e) {
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        }
        System.out.println("API server on http://" + host + ":" + server.port() + " over etcd " + servers
                + (fences ? "" : "; leaders' fences ignored (lab 5 part D is not done)"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            etcd.close();
        }));
        Thread.currentThread().join();
    }

    private static String value(List<String> args, String name, String absent) {
        int i = args.indexOf(name);
        return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : absent;
    }
}
