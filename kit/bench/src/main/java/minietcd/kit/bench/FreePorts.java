package minietcd.kit.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Loopback ports that were free a moment ago. */
final class FreePorts {
    private FreePorts() {}

    /**
     * {@code n} distinct ports on 127.0.0.1, found by binding them all at once and letting go. Another
     * process could take one before it is used; on a benchmark machine that is unlikely enough.
     */
    static int[] pick(int n) throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                held.add(s);
                ports[i] = s.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket s : held) s.close();
        }
    }
}
