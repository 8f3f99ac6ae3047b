package minietcd.kit.kvctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The small formats kvctl shares with etcdctl: hex lease ids, SI sizes, Go durations, prefix ends, tables. */
class FormatsTest {

    @Test
    void leaseIdsPrintAsGosSignedHex() {
        assertThat(Output.leaseHex(8051488401425068429L)).isEqualTo("6fbca20ae01e718d"); // etcdctl-vectors.jsonl, put_with_lease
        assertThat(Output.leaseHex(1234)).isEqualTo("00000000000004d2");
        assertThat(Output.leaseHex(-5)).isEqualTo("-000000000000005");
        assertThat(Output.leaseHex(Long.MIN_VALUE)).isEqualTo("-8000000000000000");
        assertThat(LeaseCommands.parseId("6fbca20ae01e718d")).isEqualTo(8051488401425068429L);
        assertThat(LeaseCommands.parseId("-5")).isEqualTo(-5);
        assertThatThrownBy(() -> LeaseCommands.parseId("xyz")).hasMessage("bad lease ID arg (xyz), expecting ID in Hex");
    }

    @Test
    void databaseSizesInSiUnits() {
        assertThat(Output.bytesSi(0)).isEqualTo("0 B");
        assertThat(Output.bytesSi(999)).isEqualTo("999 B");
        assertThat(Output.bytesSi(20480)).isEqualTo("20 kB"); // etcdctl-vectors.jsonl, endpoint_status_table: 20.5 rounds to even
        assertThat(Output.bytesSi(1536)).isEqualTo("1.5 kB");
        assertThat(Output.bytesSi(24576)).isEqualTo("25 kB");
        assertThat(Output.bytesSi(3_000_000_000L)).isEqualTo("3.0 GB");
    }

    @Test
    void goDurations() {
        assertThat(Durations.parse("2s")).isEqualTo(Duration.ofSeconds(2));
        assertThat(Durations.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("1.5h")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("10us")).isEqualTo(Duration.ofNanos(10_000));
        assertThat(Durations.parse("0")).isEqualTo(Duration.ZERO);
        assertThatThrownBy(() -> Durations.parse("5")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Durations.parse("5 s")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Durations.format(Duration.ofNanos(1_810_161))).isEqualTo("1.810161ms"); // etcdctl-vectors.jsonl, endpoint_health
        assertThat(Durations.format(Duration.ofNanos(1_500))).isEqualTo("1.5µs");
        assertThat(Durations.format(Duration.ofNanos(800))).isEqualTo("800ns");
        assertThat(Durations.format(Duration.ofSeconds(2))).isEqualTo("2s");
        assertThat(Durations.format(Duration.ofMillis(90_500))).isEqualTo("1m30.5s");
        assertThat(Durations.format(Duration.ofHours(1))).isEqualTo("1h0m0s");
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
    }

    @Test
    void keyRanges() {
        assertThat(KeyRange.prefixEnd(bytes("/dir/"))).isEqualTo(bytes("/dir0"));
        assertThat(KeyRange.prefixEnd(new byte[] {'a', (byte) 0xff})).isEqualTo(bytes("b"));
        assertThat(KeyRange.prefixEnd(new byte[] {(byte) 0xff, (byte) 0xff})).isEqualTo(new byte[] {0});
        assertThat(KeyRange.of("", null, true, false).key()).isEqualTo(new byte[] {0});
        assertThat(KeyRange.of("", null, true, false).end()).isEqualTo(new byte[] {0});
        assertThat(KeyRange.of("a", null, false, true).end()).isEqualTo(new byte[] {0});
        assertThat(KeyRange.of("a", "c", false, false).end()).isEqualTo(bytes("c"));
        assertThat(KeyRange.of("a", null, false, false).end()).isNull();
        assertThatThrownBy(() -> KeyRange.of("a", null, true, true)).hasMessageContaining("cannot be set at the same time");
        assertThatThrownBy(() -> KeyRange.of("a", "b", true, false)).hasMessageContaining("too many arguments");
    }

    @Test
    void tablesAsEtcdctlDrawsThem() {
        String table = Table.render(List.of("ID", "Is Learner"), List.of(List.of("8e9e05c52164694d", "false")));
        assertThat(table).isEqualTo("""
                +------------------+------------+
                |        ID        | IS LEARNER |
                +------------------+------------+
                | 8e9e05c52164694d |      false |
                +------------------+------------+
                """);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
