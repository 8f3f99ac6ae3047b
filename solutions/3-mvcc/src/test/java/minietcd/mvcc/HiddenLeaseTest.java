package minietcd.mvcc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import minietcd.kit.backend.MemoryBackend;
import minietcd.kit.mvcc.KV;
import minietcd.kit.mvcc.Stores;
import minietcd.kit.testing.Graded;

/** Lab 3 part D, the instructor's tests of the lease ids a store chooses. */
class HiddenLeaseTest {
    @Graded(lab = 3, part = "D", points = 2, value = "a lease id the store chooses is deterministic, never 0 and never one taken, after a restart too")
    void chosenIdsAreDeterministic() {
        List<Long> first = chosen(), second = chosen();
        assertThat(second).as("the store chooses lease ids deterministically, with no Random and no clock, as every member of a cluster must: "
                + "two fresh stores given the same grants in the same order chose %s, then %s", first, second).isEqualTo(first);
    }

    /** Grants with id 0 between grants of client ids, on a store that is restarted half way; returns the ids it chose, each checked. */
    private static List<Long> chosen() {
        AtomicLong now = new AtomicLong(1_000_000);
        MemoryBackend backend = new MemoryBackend();
        KV kv = Stores.open(backend, now::get);
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            if (i == 3) kv = Stores.open(backend, now::get); // a restart: the leases come back, and so must the rule
            List<Long> alive = kv.leases().leases();
            long id = kv.leases().grant(0, 60).id();
            assertThat(id).as("the id the store chose for grant %d", i + 1).isNotZero();
            assertThat(alive).as("the leases alive before grant %d, whose id the store chose as %d", i + 1, id).doesNotContain(id);
            ids.add(id);
            long taken = id + 1; // a client takes the id after it: the store must not choose it next
            if (!kv.leases().leases().contains(taken)) kv.leases().grant(taken, 60);
            now.addAndGet(1_000);
        }
        return ids;
    }
}
