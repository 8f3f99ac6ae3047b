package minietcd.kit.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import minietcd.kit.conformance.Recordings;
import minietcd.kit.mvcc.Bytes;
import minietcd.kit.mvcc.Compare;
import minietcd.kit.mvcc.EtcdException;
import minietcd.kit.mvcc.KvRequest;
import org.junit.jupiter.api.Test;

/** A request written by {@link RequestJson} reads back, through the gateway's decoder, as the same request. */
class RequestJsonTest {
    private static EtcdRequest roundTrip(EtcdRequest r) {
        return GatewayRpc.decode(RequestJson.path(r), RequestJson.body(r), GatewayRpc.MAX_REQUEST_BYTES);
    }

    @Test
    void everyRequestEtcdTookInTheRecordingReadsBackAsItself() {
        int checked = 0;
        for (Recordings.Vector v : Recordings.load()) {
            if (v.rpc() == null || !Recordings.RPCS.contains(v.rpc()) && !v.rpc().equals("lease/keepalive") || v.status() != 200 || v.bodyElided()) continue;
            EtcdRequest decoded;
            try {
                decoded = GatewayRpc.decode(v.rpc(), v.body(), GatewayRpc.MAX_REQUEST_BYTES);
            } catch (EtcdException refusedByTheStoreLater) {
                continue;
            }
            assertThat(roundTrip(decoded)).as("%s: %s", v.name(), RequestJson.body(decoded)).isEqualTo(decoded);
            checked++;
        }
        assertThat(checked).as("recorded requests checked").isGreaterThan(90);
    }

    @Test
    void randomRequestsOfEveryShapeReadBackAsThemselves() {
        Random random = new Random(7);
        for (int i = 0; i < 2_000; i++) {
            EtcdRequest r = request(random);
            assertThat(roundTrip(r)).as("request %d: %s", i, RequestJson.body(r)).isEqualTo(r);
        }
    }

    @Test
    void aKeepAliveOfSeveralLeasesIsOneObjectPerLease() {
        EtcdRequest r = new EtcdRequest.LeaseKeepAlive(List.of(5L, 7L));
        assertThat(RequestJson.path(r)).isEqualTo("lease/keepalive");
        assertThat(RequestJson.body(r)).isEqualTo("{\"ID\":\"5\"}{\"ID\":\"7\"}");
        assertThat(roundTrip(r)).isEqualTo(r);
    }

    @Test
    void watchRequestsReadBackAsThemselves() {
        Random random = new Random(11);
        for (int i = 0; i < 500; i++) {
            minietcd.kit.watch.WatchRequest w = new minietcd.kit.watch.WatchRequest(bytes(random, 1), random.nextBoolean() ? Bytes.EMPTY : bytes(random, 1),
                    random.nextInt(5), random.nextBoolean(), random.nextBoolean(), random.nextBoolean(), random.nextBoolean() ? -1 : random.nextInt(5) + 1,
                    random.nextBoolean());
            List<GatewayJson.WatchStreamRequest> read = GatewayJson.watch(RequestJson.watch(w));
            assertThat(read).as("watch %d: %s", i, RequestJson.watch(w)).containsExactly(new GatewayJson.WatchCreate(w));
        }
    }

    private static EtcdRequest request(Random r) {
        return switch (r.nextInt(8)) {
            case 0, 1, 2 -> new EtcdRequest.Kv(op(r, 3));
            case 3 -> new EtcdRequest.Compact(r.nextInt(100), r.nextBoolean());
            case 4 -> new EtcdRequest.LeaseGrant(r.nextInt(100), r.nextBoolean() ? 0 : r.nextLong() & Long.MAX_VALUE);
            case 5 -> new EtcdRequest.LeaseRevoke(r.nextLong() & Long.MAX_VALUE);
            case 6 -> new EtcdRequest.LeaseTimeToLive(r.nextInt(1000) + 1, r.nextBoolean());
            default -> new EtcdRequest.LeaseLeases();
        };
    }

    private static KvRequest op(Random r, int depth) {
        Bytes key = bytes(r, 1), end = r.nextInt(3) == 0 ? Bytes.ZERO : bytes(r, 0);
        return switch (depth == 0 ? r.nextInt(3) : r.nextInt(4)) {
            case 0 -> new KvRequest.Range(key, end, r.nextInt(3), r.nextInt(3), KvRequest.SortOrder.values()[r.nextInt(3)],
                    KvRequest.SortTarget.values()[r.nextInt(5)], r.nextBoolean(), r.nextBoolean(), r.nextBoolean(),
                    r.nextInt(3), r.nextInt(3), r.nextInt(3), r.nextInt(3));
            case 1 -> {
                boolean ignoreValue = r.nextInt(4) == 0, ignoreLease = r.nextInt(4) == 0;
                yield new KvRequest.Put(key, ignoreValue ? Bytes.EMPTY : bytes(r, 0), ignoreLease ? 0 : r.nextInt(3), r.nextBoolean(), ignoreValue, ignoreLease);
            }
            case 2 -> new KvRequest.DeleteRange(key, end, r.nextBoolean());
            default -> {
                List<Compare> compares = new ArrayList<>();
                for (int i = r.nextInt(3); i > 0; i--) compares.add(compare(r));
                yield new KvRequest.Txn(compares, ops(r, depth - 1), ops(r, depth - 1));
            }
        };
    }

    private static List<KvRequest> ops(Random r, int depth) {
        List<KvRequest> ops = new ArrayList<>();
        for (int i = r.nextInt(3); i > 0; i--) ops.add(op(r, depth));
        return ops;
    }

    private static Compare compare(Random r) {
        Bytes key = bytes(r, 1);
        Compare.Result result = Compare.Result.values()[r.nextInt(4)];
        Compare c = switch (r.nextInt(5)) {
            case 0 -> Compare.version(key, result, r.nextInt(3));
            case 1 -> Compare.createRevision(key, result, r.nextInt(3));
            case 2 -> Compare.modRevision(key, result, r.nextInt(3));
            case 3 -> Compare.value(key, result, bytes(r, 0));
            default -> Compare.lease(key, result, r.nextInt(3));
        };
        return r.nextBoolean() ? c : c.withRangeEnd(bytes(r, 0));
    }

    /** Bytes of any value, quotes, backslashes, control characters and invalid UTF-8 among them. */
    private static Bytes bytes(Random r, int min) {
        byte[] b = new byte[min + r.nextInt(4)];
        r.nextBytes(b);
        return Bytes.of(b);
    }
}
