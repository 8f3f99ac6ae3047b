package minietcd.kit.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import minietcd.kit.mvcc.Backend;
import minietcd.kit.mvcc.Backend.Stored;
import minietcd.kit.mvcc.Bytes;
import minietcd.kit.mvcc.KeyValue;
import minietcd.kit.mvcc.Revision;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link Backend} must do; one subclass per implementation. */
abstract class BackendContractTest {
    protected Backend backend;

    protected abstract Backend newBackend();

    @BeforeEach
    void openBackend() {
        backend = newBackend();
    }

    @AfterEach
    void closeBackend() {
        backend.close();
    }

    static Stored change(long main, long sub, Bytes key, Bytes value) {
        return new Stored(new Revision(main, sub), new KeyValue(key, main, main, 1, value, 0), false);
    }

    static Stored change(long main, long sub, String key, String value) {
        return change(main, sub, Bytes.of(key), Bytes.of(value));
    }

    static Stored tombstone(long main, long sub, String key) {
        return new Stored(new Revision(main, sub), new KeyValue(Bytes.of(key), 0, main, 0, Bytes.EMPTY, 0), true);
    }

    @Test
    void historyIsInRevisionOrderWhateverOrderThePutsCameIn() {
        Stored a = change(1, 0, "a", "1");
        Stored b0 = change(2, 0, "b", "2");
        Stored c1 = change(2, 1, "c", "3");
        Stored c10 = change(2, 10, "c", "4");
        Stored gone = tombstone(3, 0, "a");
        Stored far = change(5_000_000_000L, 0, "far", "5");
        for (Stored s : List.of(far, c10, gone, c1, a, b0)) backend.put(s);

        assertThat(backend.history()).containsExactly(a, b0, c1, c10, gone, far);
    }

    @Test
    void everyFieldComesBackAsPut() {
        Stored s = new Stored(new Revision(7, 2), new KeyValue(Bytes.of("k"), 4, 7, 3, Bytes.of("v"), 0x1234_5678_9abcL), false);
        backend.put(s);
        backend.put(tombstone(8, 0, "k"));

        assertThat(backend.history()).containsExactly(s, tombstone(8, 0, "k"));
        assertThat(backend.history().get(1).tombstone()).isTrue();
    }

    @Test
    void keysAndValuesAreKeptByteForByte() {
        byte[] every = new byte[256];
        for (int i = 0; i < every.length; i++) every[i] = (byte) i;
        byte[] big = new byte[2 * 1024 * 1024];
        for (int i = 0; i < big.length; i++) big[i] = (byte) (i * 31);
        List<Stored> changes = List.of(
                change(1, 0, Bytes.of("empty"), Bytes.EMPTY),
                change(2, 0, Bytes.of(new byte[] {0}), Bytes.of(new byte[] {0, 0})),
                change(3, 0, Bytes.of(new byte[] {(byte) 0xff, 0, (byte) 0x80}), Bytes.of(every)),
                change(4, 0, Bytes.of("ключ/鍵"), Bytes.of("значение")),
                change(5, 0, Bytes.of("big"), Bytes.of(big)));
        changes.forEach(backend::put);

        assertThat(backend.history()).containsExactlyElementsOf(changes);
    }

    @Test
    void writesAreVisibleBeforeCommit() {
        backend.put(change(1, 0, "a", "1"));
        backend.putLease(9, 30);
        backend.putMeta("consistent_index", 12);

        assertThat(backend.history()).containsExactly(change(1, 0, "a", "1"));
        assertThat(backend.leases()).containsExactly(Map.entry(9L, 30L));
        assertThat(backend.meta("consistent_index", -1)).isEqualTo(12);
    }

    @Test
    void putOfAStoredRevisionReplacesIt() {
        backend.put(change(1, 0, "a", "old"));
        backend.put(change(1, 0, "a", "new"));

        assertThat(backend.history()).containsExactly(change(1, 0, "a", "new"));
    }

    @Test
    void removeForgetsOneRevision() {
        backend.put(change(1, 0, "a", "1"));
        backend.put(change(2, 0, "a", "2"));
        backend.put(change(2, 1, "b", "3"));

        backend.remove(new Revision(2, 0));
        backend.remove(new Revision(9, 9));

        assertThat(backend.history()).containsExactly(change(1, 0, "a", "1"), change(2, 1, "b", "3"));
    }

    @Test
    void leasesArePutReplacedRemovedAndListed() {
        assertThat(backend.leases()).isEmpty();
        backend.putLease(3, 10);
        backend.putLease(1, 60);
        backend.putLease(2, 5);
        backend.putLease(3, 11);
        backend.removeLease(2);
        backend.removeLease(42);

        assertThat(backend.leases()).containsExactlyInAnyOrderEntriesOf(Map.of(1L, 60L, 3L, 11L));
    }

    @Test
    void metaIsPutAndReadWithADefaultWhenAbsent() {
        assertThat(backend.meta("compacted", -1)).isEqualTo(-1);
        backend.putMeta("compacted", 5);
        backend.putMeta("consistent_index", 0);
        backend.putMeta("compacted", 8);

        assertThat(backend.meta("compacted", -1)).isEqualTo(8);
        assertThat(backend.meta("consistent_index", -1)).isZero();
        assertThat(backend.meta("term", 77)).isEqualTo(77);
    }

    @Test
    void commitKeepsEverythingReadable() {
        backend.put(change(1, 0, "a", "1"));
        backend.commit();
        backend.put(change(2, 0, "b", "2"));
        backend.commit();

        assertThat(backend.history()).containsExactly(change(1, 0, "a", "1"), change(2, 0, "b", "2"));
    }

    @Test
    void aClosedBackendRefusesWorkAndClosesAgainQuietly() {
        backend.close();

        assertThatThrownBy(() -> backend.put(change(1, 0, "a", "1"))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> backend.history()).isInstanceOf(IllegalStateException.class);
        backend.close();
    }
}
