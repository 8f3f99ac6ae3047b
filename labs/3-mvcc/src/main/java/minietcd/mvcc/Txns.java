package minietcd.mvcc;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import minietcd.kit.mvcc.Bytes;
import minietcd.kit.mvcc.Compare;
import minietcd.kit.mvcc.EtcdException;
import minietcd.kit.mvcc.KeyValue;
import minietcd.kit.mvcc.KvRequest;
import minietcd.kit.mvcc.KvResponse;

/**
 * Lab 3 part B: requests checked as etcd checks them, and txns run as etcd runs them: every compare,
 * nested ones included, is decided on the store as it was before the txn; the ops of the chosen
 * branches are checked before anything is written; then they run in order, each seeing the writes
 * of the ones before, all in one revision. Put your own helpers for {@link MvccStore} here.
 */
final class Txns {
    /** etcd's default --max-txn-ops. */
    static final int MAX_OPS = 128;
}
