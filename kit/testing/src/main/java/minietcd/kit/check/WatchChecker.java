package minietcd.kit.check;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import minietcd.kit.mvcc.Event;
import minietcd.kit.watch.WatchRequest;
import minietcd.kit.watch.WatchResponse;

/**
 * etcd's watch guarantees, checked for one watcher's messages against the store's history (the
 * events of every revision, recorded as they were written). Each failure names its guarantee:
 * <ul>
 *   <li>Ordered: events arrive in revision order;</li>
 *   <li>Unique: no event arrives twice;</li>
 *   <li>Reliable: no event is missing between the start revision and the last revision checked, and none is made up;</li>
 *   <li>Atomic: all of one revision's events for the watcher come in one message;</li>
 *   <li>Bookmarkable: a progress notification at revision R comes after every event up to R.</li>
 * </ul>
 * (Resumable, that a new watcher from the last revision seen + 1 gets exactly the rest, is checked by
 * running this on that watcher.)
 */
public final class WatchChecker {
    private final Map<Long, List<Event>> history = new TreeMap<>();
    private final Set<Long> compactions = new HashSet<>();

    /**
     * The store was compacted at {@code revision}. Compaction drops a key deleted at exactly that
     * revision, tombstone and all (etcd 3.4 does the same), so a watcher that reads that revision
     * from history may miss the DELETE; only then, and only a DELETE, may be missing.
     */
    public void compactedAt(long revision) {
        compactions.add(revision);
    }

    /** Records the events of one revision, in order, as the store made them. */
    public void record(long revision, List<Event> events) {
        history.put(revision, List.copyOf(events));
    }

    /**
     * Checks the messages a watcher got.
     *
     * @param start the first revision it asked for (resolved: the next revision if it asked for "now")
     * @param upTo  every event up to this revision must have arrived (the test let it catch up)
     */
    public void check(String watcher, WatchRequest request, long start, long upTo, List<WatchResponse> messages) {
        check(watcher, request, start, upTo, 0, messages);
    }

    /**
     * The same, for a store compacted up to {@code compacted} meanwhile: an event's prev_kv below the
     * compaction may be missing, as in etcd (it reads prev_kv at the event's revision - 1 when it sends).
     */
    public void check(String watcher, WatchRequest request, long start, long upTo, long compacted, List<WatchResponse> messages) {
        List<Event> expected = new ArrayList<>();
        for (var e : history.entrySet())
            if (e.getKey() >= start && e.getKey() <= upTo) expected.addAll(matching(request, e.getValue()));
        Set<String> arrived = new HashSet<>();
        for (WatchResponse m : messages) for (Event e : m.events()) arrived.add(e.kv().modRevision() + "/" + e.kv().key().base64() + "/" + e.type());
        expected.removeIf(e -> e.type() == Event.Type.DELETE && compactions.contains(e.kv().modRevision())
                && !arrived.contains(e.kv().modRevision() + "/" + e.kv().key().base64() + "/" + e.type()));
        List<Event> got = new ArrayList<>();
        Set<Long> revisionsDone = new HashSet<>();
        Set<String> seen = new HashSet<>();
        long lastRev = 0;
        boolean canceledCompacted = false;
        for (WatchResponse m : messages) {
            if (m.canceled() && m.compactRevision() > 0) canceledCompacted = true;
            if (m.isProgress()) {
                long delivered = 0;
                for (Event e : expected) if (e.kv().modRevision() <= m.revision()) delivered++;
                if (got.size() < delivered)
                    throw new AssertionError("Watch guarantee Bookmarkable broken for " + watcher + ": a progress notification at revision "
                            + m.revision() + " came after " + got.size() + " events, but " + delivered + " events are at or below it\n    messages: " + summary(messages));
                continue;
            }
            Set<Long> inThis = new HashSet<>();
            for (Event e : m.events()) {
                long rev = e.kv().modRevision();
                if (rev < lastRev)
                    throw new AssertionError("Watch guarantee Ordered broken for " + watcher + ": an event of revision " + rev + " came after one of " + lastRev);
                if (!seen.add(rev + "/" + e.kv().key().base64() + "/" + e.type()))
                    throw new AssertionError("Watch guarantee Unique broken for " + watcher + ": " + e.type() + " " + e.kv().key() + " at revision " + rev + " came twice");
                if (revisionsDone.contains(rev) && !inThis.contains(rev))
                    throw new AssertionError("Watch guarantee Atomic broken for " + watcher + ": the events of revision " + rev + " were split over several messages");
                inThis.add(rev);
                lastRev = rev;
                got.add(e);
            }
            revisionsDone.addAll(inThis);
        }
        if (canceledCompacted) return; // its history was gone: nothing more can be asked of it
        List<Event> gotUpTo = new ArrayList<>();
        for (Event e : got) {
            if (e.kv().modRevision() > upTo) continue;
            int i = gotUpTo.size();
            boolean prevCompacted = i < expected.size() && e.prevKv() == null && expected.get(i).prevKv() != null
                    && expected.get(i).prevKv().modRevision() < compacted && new Event(e.type(), e.kv(), expected.get(i).prevKv()).equals(expected.get(i));
            gotUpTo.add(prevCompacted ? expected.get(i) : e);
        }
        if (!gotUpTo.equals(expected)) {
            String detail = describeDifference(expected, gotUpTo);
            throw new AssertionError("Watch guarantee Reliable broken for " + watcher + " (from revision " + start + " to " + upTo + "): " + detail);
        }
    }

    /** The messages in short: c(reated)@rev, e(vents) revisions, p(rogress)@rev, x (canceled). */
    private static String summary(List<WatchResponse> messages) {
        StringBuilder out = new StringBuilder();
        for (WatchResponse m : messages.subList(0, Math.min(messages.size(), 30))) {
            if (m.created()) out.append("created@").append(m.revision());
            else if (m.canceled()) out.append("canceled").append(m.compactRevision() > 0 ? "(compacted " + m.compactRevision() + ")" : "");
            else if (m.isProgress()) out.append("progress@").append(m.revision());
            else out.append("events").append(m.events().stream().map(e -> e.kv().modRevision()).distinct().toList());
            out.append(' ');
        }
        return out.toString();
    }

    private static String describeDifference(List<Event> expected, List<Event> got) {
        for (int i = 0; i < Math.max(expected.size(), got.size()); i++) {
            Event a = i < expected.size() ? expected.get(i) : null, b = i < got.size() ? got.get(i) : null;
            if (a == null) return "an event that never happened arrived: " + b;
            if (b == null) return "missing " + (expected.size() - got.size()) + " events, the first " + a;
            if (!a.equals(b)) return "event " + (i + 1) + " is not the one expected\n    expected: " + a + "\n    got:      " + b;
        }
        return "the events differ";
    }

    /** The events of one revision a watcher should get. */
    public static List<Event> matching(WatchRequest r, List<Event> events) {
        List<Event> out = new ArrayList<>();
        for (Event e : events) {
            boolean in = minietcd.kit.mvcc.KvRequest.inRange(e.kv().key(), r.key(), r.rangeEnd());
            if (!in || (e.type() == Event.Type.PUT ? r.noPut() : r.noDelete())) continue;
            out.add(r.prevKv() ? e : new Event(e.type(), e.kv(), null));
        }
        return out;
    }
}
