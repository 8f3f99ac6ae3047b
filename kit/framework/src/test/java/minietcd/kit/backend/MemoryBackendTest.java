package minietcd.kit.backend;

import static org.assertj.core.api.Assertions.assertThat;

import minietcd.kit.mvcc.Backend;
import minietcd.kit.mvcc.Bytes;
import minietcd.kit.mvcc.KeyValue;
import minietcd.kit.mvcc.Revision;
import org.junit.jupiter.api.Test;

class MemoryBackendTest extends BackendContractTest {
    @Override
    protected Backend newBackend() {
        return new MemoryBackend();
    }

    private static Backend.Stored change(long main, String key, String value) {
        return new Backend.Stored(new Revision(main, 0), new KeyValue(Bytes.of(key), main, main, 1, Bytes.of(value), 0), false);
    }

    @Test
    void aCrashKeepsWhatWasCommittedAndNothingElse() {
        MemoryBackend b = new MemoryBackend();
        b.put(change(2, "a", "1"));
        b.putLease(7, 10);
        b.putMeta("consistent_index", 4);
        b.commit();
        b.put(change(3, "b", "2"));
        b.put(change(2, "a", "replaced"));
        b.remove(new Revision(2, 0));
        b.removeLease(7);
        b.putLease(8, 5);
        b.putMeta("consistent_index", 9);
        b.putMeta("other", 1);
        b.crash();
        assertThat(b.history()).as("history after a crash: the committed revision 2 as it was committed").containsExactly(change(2, "a", "1"));
        assertThat(b.leases()).as("leases after a crash").containsExactlyEntriesOf(java.util.Map.of(7L, 10L));
        assertThat(b.meta("consistent_index", -1)).as("meta after a crash").isEqualTo(4);
        assertThat(b.meta("other", -1)).as("meta written after the last commit, after a crash").isEqualTo(-1);
        b.put(change(5, "c", "3"));
        b.commit();
        b.crash();
        assertThat(b.history()).as("history after a commit and a crash").extracting(Backend.Stored::revision).containsExactly(new Revision(2, 0), new Revision(5, 0));
    }
}
