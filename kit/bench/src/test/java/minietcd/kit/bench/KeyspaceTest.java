package minietcd.kit.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class KeyspaceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void keysAreEightBytesAndValuesTwoHundredFiftySix() {
        Keyspace ks = Keyspace.standard();
        assertThat(new String(ks.key(42), StandardCharsets.US_ASCII)).isEqualTo("k0000042");
        assertThat(ks.key(9_999)).hasSize(8);
        assertThat(ks.value()).hasSize(256).isEqualTo(ks.value());
        assertThatThrownBy(() -> new Keyspace(100_000_000, 8, 256)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bodiesAreTheGatewaysJson() throws Exception {
        Keyspace ks = new Keyspace(10, 8, 256);
        JsonNode put = JSON.readTree(ks.bodies(Op.PUT)[3]);
        assertThat(Base64.getDecoder().decode(put.get("key").asText())).isEqualTo(ks.key(3));
        assertThat(Base64.getDecoder().decode(put.get("value").asText())).isEqualTo(ks.value());
        JsonNode range = JSON.readTree(ks.bodies(Op.RANGE)[3]);
        assertThat(range.size()).isEqualTo(1);
        JsonNode serializable = JSON.readTree(ks.bodies(Op.RANGE_SERIALIZABLE)[3]);
        assertThat(serializable.get("serializable").asBoolean()).isTrue();
        assertThat(Op.byLabel("range-serializable")).contains(Op.RANGE_SERIALIZABLE);
        assertThat(Op.byLabel("get")).isEmpty();
    }
}
