package minietcd.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import minietcd.kit.testing.Graded;
import minietcd.kit.raft.Entry;
import minietcd.kit.raft.Log;
import minietcd.kit.raft.WalStorage;
import minietcd.kit.sim.SimDisk;

/** Lab 1 part A: the log on its own, through its storage. */
class RaftLogTest {
    private final SimDisk disk = new SimDisk();

    private Log open() {
        WalStorage storage = new WalStorage(disk);
        return new RaftLog(storage, storage.load());
    }

    private static List<Entry> entries(long from, long... terms) {
        return java.util.stream.IntStream.range(0, terms.length).mapToObj(i -> new Entry(from + i, terms[i], "c" + (from + i) + "t" + terms[i])).toList();
    }

    @Graded(lab = 1, part = "A", points = 2, value = "an empty log starts at index 1 and matches index 0, term 0")
    void emptyLog() {
        Log log = open();
        assertThat(log.firstIndex()).as("firstIndex of an empty log").isEqualTo(1);
        assertThat(log.lastIndex()).as("lastIndex of an empty log").isZero();
        assertThat(log.lastTerm()).as("lastTerm of an empty log").isZero();
        assertThat(log.term(0)).as("term(0)").isZero();
        assertThat(log.matches(0, 0)).as("matches(0, 0)").isTrue();
        assertThat(log.matches(1, 1)).as("matches(1, 1) on an empty log").isFalse();
    }

    @Graded(lab = 1, part = "A", points = 3, value = "appended entries get consecutive indexes and read back in order")
    void appendAndRead() {
        Log log = open();
        assertThat(log.append(1, "a")).as("the first append's index").isEqualTo(1);
        assertThat(log.append(1, "b")).as("the second append's index").isEqualTo(2);
        assertThat(log.append(3, "c")).as("the third append's index (an entry of term 3)").isEqualTo(3);
        assertThat(log.lastIndex()).as("lastIndex after three appends").isEqualTo(3);
        assertThat(log.lastTerm()).as("lastTerm after appending an entry of term 3").isEqualTo(3);
        assertThat(log.term(2)).as("term(2), the second entry's term").isEqualTo(1);
        assertThat(log.entry(3)).as("entry(3), the third appended entry").isEqualTo(new Entry(3, 3, "c"));
        assertThat(log.entries(2, 10)).as("entries(2, 10): up to 10 entries from index 2 on").extracting(Entry::command).containsExactly("b", "c");
        assertThat(log.entries(1, 2)).as("entries(1, 2): at most 2 entries from index 1 on").extracting(Entry::command).containsExactly("a", "b");
        assertThat(log.entries(4, 10)).as("entries(4, 10): from lastIndex + 1 there is nothing").isEmpty();
        assertThat(log.matches(2, 1)).as("matches(2, 1): entry 2 has term 1").isTrue();
        assertThat(log.matches(2, 2)).as("matches(2, 2): a term entry 2 does not have").isFalse();
    }

    @Graded(lab = 1, part = "A", points = 4, value = "a follower replaces a conflicting suffix with the leader's entries")
    void conflictingSuffixIsReplaced() {
        Log log = open();
        log.appendFromLeader(0, entries(1, 1, 1, 2, 2), 0);
        long last = log.appendFromLeader(2, entries(3, 3, 3, 3), 2);
        assertThat(last).as("index of the last entry of the batch").isEqualTo(5);
        assertThat(log.lastIndex()).as("lastIndex after the conflicting suffix was replaced").isEqualTo(5);
        assertThat(List.of(log.term(1), log.term(2), log.term(3), log.term(4), log.term(5))).as("terms of entries 1 to 5: from index 3 on, the leader's term 3")
                .containsExactly(1L, 1L, 3L, 3L, 3L);
    }

    @Graded(lab = 1, part = "A", points = 4, value = "a late, shorter AppendEntries never truncates entries the follower already has")
    void staleBatchDoesNotTruncate() {
        Log log = open();
        log.appendFromLeader(0, entries(1, 1, 1, 1, 1, 1), 0);
        long last = log.appendFromLeader(1, entries(2, 1, 1), 0); // a delayed copy of an earlier message
        assertThat(last).as("index of the stale batch's last entry (prevIndex + batch size, not lastIndex)").isEqualTo(3);
        assertThat(log.lastIndex()).as("entries 4 and 5 must survive a stale batch that agrees with them").isEqualTo(5);
    }

    @Graded(lab = 1, part = "A", points = 3, value = "a committed entry is never removed")
    void committedEntriesStay() {
        Log log = open();
        log.appendFromLeader(0, entries(1, 1, 1, 1), 0);
        assertThatThrownBy(() -> log.appendFromLeader(1, entries(2, 2, 2), 3)).as("a batch that would replace committed entries 2 and 3")
                .isInstanceOf(IllegalStateException.class);
    }

    @Graded(lab = 1, part = "A", points = 4, value = "what was synced survives a crash, with the truncations it saw")
    void syncedLogSurvivesCrash() {
        Log log = open();
        log.appendFromLeader(0, entries(1, 1, 1, 1), 0);
        log.appendFromLeader(1, entries(2, 2, 2), 1);
        disk.sync();
        disk.crash(new SplittableRandom(7), true);
        Log again = open();
        assertThat(again.lastIndex()).as("lastIndex after a crash and reopen").isEqualTo(3);
        assertThat(List.of(again.term(1), again.term(2), again.term(3))).as("terms of entries 1 to 3 after a crash: the truncation at 2 survived")
                .containsExactly(1L, 2L, 2L);
        assertThat(again.entry(2)).as("entry 2 after a crash, as it was written before").isEqualTo(log.entry(2));
    }
}
