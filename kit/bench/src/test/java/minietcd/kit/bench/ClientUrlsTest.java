package minietcd.kit.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientUrlsTest {
    @Test
    void readsTheClientUrlOfAClusterMemberLineNotThePeerUrl() {
        assertThat(ClientUrls.parse("member 2 client http://127.0.0.1:40123 peer http://127.0.0.1:40124 data /tmp/x/m2"))
                .contains(URI.create("http://127.0.0.1:40123"));
    }

    @Test
    void readsTheOneMemberServersLine() {
        assertThat(ClientUrls.parse("etcd gateway on http://127.0.0.1:2379")).contains(URI.create("http://127.0.0.1:2379"));
        assertThat(ClientUrls.parse("etcd gateway on http://127.0.0.1:2379/")).contains(URI.create("http://127.0.0.1:2379"));
    }

    @Test
    void ignoresOtherLines() {
        assertThat(ClientUrls.parse("peer http://127.0.0.1:40124")).isEmpty();
        assertThat(ClientUrls.parse("[main] INFO org.eclipse.jetty.server.Server - Started http://127.0.0.1:5")).isEmpty();
        assertThat(ClientUrls.parse("client http://127.0.0.1")).isEmpty(); // no port
        assertThat(ClientUrls.parse("")).isEmpty();
    }

    @Test
    void fillsInTheTemplateInsideArguments() {
        List<String> argv = ClientUrls.expand(List.of("./jbang", "cluster", "--members", "{members}", "--data={dir}/x", "{other}"),
                Map.of("members", "3", "dir", "/tmp/d"));
        assertThat(argv).containsExactly("./jbang", "cluster", "--members", "3", "--data=/tmp/d/x", "{other}");
    }
}
