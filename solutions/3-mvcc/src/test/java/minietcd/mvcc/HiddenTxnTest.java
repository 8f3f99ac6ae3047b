package minietcd.mvcc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import minietcd.kit.backend.MemoryBackend;
import minietcd.kit.mvcc.Bytes;
import minietcd.kit.mvcc.KV;
import minietcd.kit.mvcc.KvRequest;
import minietcd.kit.mvcc.Stores;
import minietcd.kit.testing.Graded;

/** Lab 3, the instructor's txn tests beyond the model's reach. */
class HiddenTxnTest {
    @Graded(lab = 3, part = "B", points = 2, value = "128 ops are allowed in each branch of a txn: success and failure are counted apart")
    void oneHundredTwentyEightOpsPerBranch() {
        KV kv = Stores.open(new MemoryBackend(), new AtomicLong(1_000_000)::get);
        List<KvRequest> success = new ArrayList<>(), failure = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            success.add(KvRequest.Put.of(Bytes.of("s" + i), Bytes.of("v")));
            failure.add(KvRequest.Put.of(Bytes.of("f" + i), Bytes.of("v")));
        }
        minietcd.kit.mvcc.KvResponse.Txn answer;
        try {
            answer = kv.txn(new KvRequest.Txn(List.of(), success, failure));
        } catch (minietcd.kit.mvcc.EtcdException e) {
            throw new AssertionError("a txn with 100 ops in success and 100 in failure was refused (" + e.getMessage()
                    + "): etcd's limit of 128 ops holds for each branch, not for both together", e);
        }
        assertThat(answer.responses()).as("the answers of a txn with 100 ops in success and 100 in failure (each branch under etcd's 128)").hasSize(100);
        assertThat(kv.currentRevision()).as("the revision after that txn: its 100 puts made one").isEqualTo(2);
    }
}
