package minietcd.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import minietcd.kit.client.HttpEtcdClient;
import minietcd.kit.client.WatchListener;
import minietcd.kit.etcd.EtcdReply;
import minietcd.kit.etcd.EtcdRequest;
import minietcd.kit.mvcc.Bytes;
import minietcd.kit.mvcc.Compare;
import minietcd.kit.mvcc.EtcdException;
import minietcd.kit.mvcc.KvRequest;
import minietcd.kit.mvcc.KvResponse;
import minietcd.kit.mvcc.Leases;
import minietcd.kit.watch.WatchRequest;
import minietcd.kit.watch.WatchResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The typed client over HTTP against a cluster of real members: every call shape, a watch, a refusal, a stopped endpoint. */
class HttpEtcdClientTest {
    @TempDir Path dir;

    @Test
    void everyCallAndAWatchWorkAgainstRealMembersAndAStoppedEndpointIsPassedOver() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dir, 3)) {
            int leader = cluster.awaitLeader(), follower = leader % 3 + 1;
            HttpEtcdClient client = new HttpEtcdClient(List.of(cluster.url(follower), cluster.url(leader)), Duration.ofSeconds(10));

            LinkedBlockingQueue<WatchResponse> heard = new LinkedBlockingQueue<>();
            LinkedBlockingQueue<String> broken = new LinkedBlockingQueue<>();
            var watch = client.watch(WatchRequest.prefix(Bytes.of("k/")).withPrevKv(), new WatchListener() {
                @Override public void onResponse(WatchResponse r) { heard.add(r); }
                @Override public void broken(String why) { broken.add(why); }
            });
            WatchResponse created = heard.poll(10, TimeUnit.SECONDS);
            assertThat(created).isNotNull();
            assertThat(created.created()).isTrue();

            KvResponse.Put put = client.put("k/a", "1").get(10, TimeUnit.SECONDS);
            KvResponse.Put again = client.put(KvRequest.Put.of(Bytes.of("k/a"), Bytes.of("2")).withPrevKv()).get(10, TimeUnit.SECONDS);
            assertThat(again.prevKv().value()).isEqualTo(Bytes.of("1"));
            assertThat(again.revision()).isEqualTo(put.revision() + 1);
            KvResponse.Range range = client.range(KvRequest.Range.prefix(Bytes.of("k/"))).get(10, TimeUnit.SECONDS);
            assertThat(range.kvs()).singleElement().satisfies(kv -> {
                assertThat(kv.value()).isEqualTo(Bytes.of("2"));
                assertThat(kv.version()).isEqualTo(2);
                assertThat(kv.createRevision()).isEqualTo(put.revision());
            });
            KvResponse.Txn txn = client.txn(new KvRequest.Txn(List.of(Compare.modRevision(Bytes.of("k/a"), Compare.Result.EQUAL, again.revision())),
                    List.of(KvRequest.Put.of(Bytes.of("k/b"), Bytes.of("3")), KvRequest.Range.of(Bytes.of("k/a"))), List.of())).get(10, TimeUnit.SECONDS);
            assertThat(txn.succeeded()).isTrue();
            assertThat(((KvResponse.Range) txn.responses().get(1)).kvs().get(0).value()).isEqualTo(Bytes.of("2"));

            Leases.Granted lease = client.grant(60).get(10, TimeUnit.SECONDS);
            assertThat(lease.ttl()).isEqualTo(60);
            client.put(KvRequest.Put.of(Bytes.of("k/leased"), Bytes.of("x")).withLease(lease.id())).get(10, TimeUnit.SECONDS);
            assertThat(client.keepAlive(lease.id()).get(10, TimeUnit.SECONDS)).isEqualTo(60);
            EtcdReply.TimeToLive ttl = (EtcdReply.TimeToLive) client.call(new EtcdRequest.LeaseTimeToLive(lease.id(), true)).get(10, TimeUnit.SECONDS);
            assertThat(ttl.lease().keys()).containsExactly(Bytes.of("k/leased"));
            client.revoke(lease.id()).get(10, TimeUnit.SECONDS);
            KvResponse.DeleteRange deleted = client.delete(new KvRequest.DeleteRange(Bytes.of("k/"), Bytes.of("k/").prefixEnd(), true)).get(10, TimeUnit.SECONDS);
            assertThat(deleted.deleted()).isEqualTo(2);

            assertThatThrownBy(() -> client.put("", "no key").join()).isInstanceOf(CompletionException.class)
                    .cause().isInstanceOfSatisfying(EtcdException.class, e -> assertThat(e.getMessage()).isEqualTo("etcdserver: key is not provided"));
            assertThat(client.compact(again.revision()).get(10, TimeUnit.SECONDS)).isGreaterThan(again.revision());

            // put a, put a, put b, lease put, revoke (deletes k/leased), delete a and b: 7 events on k/
            int events = 0;
            while (events < 7) {
                WatchResponse r = heard.poll(10, TimeUnit.SECONDS);
                assertThat(r).as("watch message %d", events + 1).isNotNull();
                events += r.events().size();
            }
            assertThat(events).isEqualTo(7);
            watch.cancel();

            cluster.stop(follower);
            assertThat(client.get("k/a").get(10, TimeUnit.SECONDS).kvs()).as("the stopped endpoint was passed over").isEmpty();
            assertThat(broken).isEmpty();
        }
    }
}
