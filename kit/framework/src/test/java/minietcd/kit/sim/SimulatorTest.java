package minietcd.kit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import minietcd.kit.node.Context;
import minietcd.kit.node.Message;
import minietcd.kit.node.Node;
import minietcd.kit.node.Timer;
import org.junit.jupiter.api.Test;

class SimulatorTest {
    record Ping(int n) implements Message {}
    record Beat() implements Timer {}

    /** Every node pings a random peer each beat and echoes what it gets; enough to exercise every choice the simulator makes. */
    static final class Chatty implements Node {
        final Context ctx;
        final List<String> seen = new ArrayList<>();

        Chatty(Context ctx) { this.ctx = ctx; }

        @Override public void start() { ctx.setTimer(new Beat(), 10); }

        @Override public void onMessage(int from, Message m) {
            seen.add(from + ":" + m);
            if (m instanceof Ping p && p.n() < 3) ctx.send(from, new Ping(p.n() + 1));
        }

        @Override public void onTimer(Timer t) {
            int to = ctx.members().get(ctx.random().nextInt(ctx.members().size()));
            ctx.send(to, new Ping(0));
            ctx.disk().append("log", new byte[] {1, 2, 3});
            if (ctx.random().nextBoolean()) ctx.disk().sync();
            ctx.setTimer(new Beat(), 5 + ctx.random().nextInt(20));
        }
    }

    record Quiet() implements Timer {
        @Override public boolean routine() { return true; }
    }

    /** Ticks routinely; every third tick it writes and syncs, every fifth it sends. */
    static final class Ticker implements Node {
        final Context ctx;
        int ticks;

        Ticker(Context ctx) { this.ctx = ctx; }

        @Override public void start() { ctx.setTimer(new Quiet(), 10); }
        @Override public void onMessage(int from, Message m) { }

        @Override public void onTimer(Timer t) {
            ticks++;
            if (ticks % 3 == 0) {
                ctx.disk().append("log", new byte[] {1});
                ctx.disk().append("log", new byte[] {2});
                ctx.disk().sync();
            }
            if (ticks % 5 == 0) ctx.send(ctx.id() == 1 ? 2 : 1, new Ping(0));
            ctx.setTimer(new Quiet(), 10);
        }
    }

    @Test
    void aTraceLeavesOutRoutineTicksThatDidNothingAndRecordsSyncsAndWhatACrashLost() {
        Trace trace = Trace.recording();
        Simulator sim = new Simulator(1, 2, Ticker::new, Faults.RELIABLE, trace);
        sim.start();
        sim.runFor(155); // 15 ticks per node
        ((Ticker) sim.node(1)).ctx.disk().append("log", new byte[] {9, 9});
        sim.crash(1);
        List<TraceEvent> events = trace.events();
        long timers = events.stream().filter(e -> e.kind().equals("timer")).count();
        assertThat(timers).as("ticks recorded: only those that wrote or sent (5 + 3 - 1 of 15 per node)").isEqualTo(2 * 7);
        assertThat(events).filteredOn(e -> e.kind().equals("sync")).hasSize(2 * 5).allMatch(e -> e.detail().equals("synced 2 writes"));
        assertThat(events).filteredOn(e -> e.kind().equals("crash")).singleElement()
                .satisfies(e -> assertThat(e.detail()).startsWith("crashed; its disk lost").contains("append to log 2 B"));
    }

    private static String run(long seed) {
        Trace trace = Trace.recording();
        Simulator sim = new Simulator(seed, 4, Chatty::new, Faults.HARSH, trace);
        sim.start();
        Nemesis nemesis = Nemesis.start(sim, 200, true, true);
        sim.runFor(5_000);
        nemesis.calm();
        sim.runFor(500);
        return trace.toJsonLines();
    }

    @Test
    void sameSeedGivesTheSameTraceAndAnotherSeedDoesNot() {
        String a = run(7);
        assertThat(a.lines().count()).isGreaterThan(1_000);
        assertThat(a).contains("\"kind\":\"drop\"", "\"kind\":\"duplicate\"", "\"kind\":\"crash\"", "\"kind\":\"restart\"", "\"kind\":\"partition\"");
        assertThat(run(7)).isEqualTo(a);
        assertThat(run(8)).isNotEqualTo(a);
    }

    @Test
    void partitionsBlockBothWaysAndOneWayBlocksOneWay() {
        Simulator sim = new Simulator(1, 3, Chatty::new, Faults.RELIABLE, Trace.off());
        sim.start();
        sim.partition(List.of(Set.of(1)));
        assertThat(sim.canReach(1, 2)).isFalse();
        assertThat(sim.canReach(2, 1)).isFalse();
        assertThat(sim.canReach(2, 3)).isTrue();
        sim.heal();
        sim.blockOneWay(1, 2);
        assertThat(sim.canReach(1, 2)).isFalse();
        assertThat(sim.canReach(2, 1)).isTrue();
    }

    @Test
    void aCrashedNodeGetsNothingAndRestartsAsANewIncarnation() {
        Simulator sim = new Simulator(3, 2, Chatty::new, Faults.RELIABLE, Trace.off());
        sim.start();
        sim.runFor(100);
        Chatty before = (Chatty) sim.node(2);
        sim.crash(2);
        assertThat(sim.node(2)).isNull();
        sim.runFor(1_000);
        assertThat(sim.droppedCount()).as("messages to the crashed node are dropped").isPositive();
        sim.restart(2);
        assertThat(sim.node(2)).isNotSameAs(before);
        assertThat(sim.incarnation(2)).isEqualTo(2);
    }

    @Test
    void runUntilStopsAsSoonAsTheConditionHolds() {
        Simulator sim = new Simulator(5, 2, Chatty::new, Faults.RELIABLE, Trace.off());
        sim.start();
        assertThat(sim.runUntil(() -> sim.now() >= 250, 10_000)).isTrue();
        assertThat(sim.now()).isBetween(250L, 300L);
        assertThat(sim.runUntil(() -> false, 1_000)).isFalse();
    }
}
