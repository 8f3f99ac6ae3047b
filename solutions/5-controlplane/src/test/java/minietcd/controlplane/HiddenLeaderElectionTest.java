package minietcd.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.random.RandomGenerator;
import minietcd.kit.controlplane.LeaderElector;
import minietcd.kit.controlplane.LeaseRecord;
import minietcd.kit.harness.ElectionRig;
import minietcd.kit.sim.Faults;
import minietcd.kit.testing.Graded;
import minietcd.kit.testing.Seeds;

/** Lab 5 part D, the instructor's tests: faults, clocks set anywhere and running at other rates, hung calls, and the window fencing closes. */
class HiddenLeaderElectionTest {
    private static LeaderElector.Config defaults(String identity) {
        return LeaderElector.Config.defaults(ElectionRig.NAMESPACE, ElectionRig.LEASE, identity);
    }

    @Graded(lab = 5, part = "D", points = 6, value = "through message loss, store crashes, cut-off and killed candidates and clocks within 15% of each other, never two leaders, no write outside the Lease, and a leader once partitions heal")
    void faultsWithinWhatTheTimingsTolerate(Seeds seeds) {
        seeds.run(10, run -> {
            ElectionRig rig = new ElectionRig(run.seed(), Faults.UNRELIABLE, run.trace());
            RandomGenerator random = rig.storage().sim().random();
            int made = 0;
            for (; made < 3; made++)
                rig.candidate("c" + made, 0.85 + 0.3 * random.nextDouble(), random.nextLong(-3_600_000, 3_600_000), defaults("c" + made), true);
            for (int step = 0; step < 12; step++) {
                rig.storage().sim().runFor(5_000 + random.nextInt(15_000));
                ElectionRig.Candidate some = rig.candidates.get(random.nextInt(rig.candidates.size()));
                switch (random.nextInt(5)) {
                    case 0 -> { // a candidate dies and another process takes its place
                        some.kill();
                        rig.candidate("c" + made, 0.85 + 0.3 * random.nextDouble(), random.nextLong(-3_600_000, 3_600_000), defaults("c" + made), true);
                        made++;
                    }
                    case 1 -> some.isolate();
                    case 2 -> some.leaseOutage(true);
                    case 3 -> {
                        int member = rig.storage().cluster().leader();
                        if (member > 0) {
                            rig.storage().sim().crash(member);
                            rig.storage().sim().schedule(3_000 + random.nextInt(10_000), "restart", () -> rig.storage().sim().restart(member));
                        }
                    }
                    default -> {
                        rig.storage().sim().heal();
                        for (ElectionRig.Candidate c : rig.candidates) c.leaseOutage(false);
                    }
                }
                assertThat(rig.beliefViolations()).as("double leaders (step %d)", step).isEmpty();
            }
            rig.storage().sim().heal();
            for (ElectionRig.Candidate c : rig.candidates) c.leaseOutage(false);
            for (int m = 1; m <= 3; m++) rig.storage().sim().restart(m);
            // messages are still lost (10%): a try needs six to arrive, so renewals may fail for a while and leadership change hands;
            // a dead holder is waited out (15 s from when each candidate saw its last renewal) by tries that often time out (3 s):
            // the soak's slowest seed of 10,000 (1778) took 41 s
            assertThat(rig.awaitLeader(60_000)).as("a leader within 60 s of the partitions and crashes' end").isPresent();
            rig.storage().sim().runFor(20_000);
            assertThat(rig.beliefViolations()).as("double leaders").isEmpty();
            assertThat(rig.storeViolations()).as("writes by a candidate that did not hold the Lease").isEmpty();
        });
    }

    @Graded(lab = 5, part = "D", points = 5, value = "a leader whose clock runs at a quarter speed and whose Lease calls fail acts after another took over (client-go's caveat) until it reads the Lease again; under the fence, every such write is refused")
    void theWindowAndTheFence(Seeds seeds) {
        seeds.run(5, run -> {
            for (boolean fenced : new boolean[] {false, true}) {
                ElectionRig rig = new ElectionRig(run.seed(), Faults.RELIABLE, run.trace());
                ElectionRig.Candidate slow = rig.candidate("slow", 0.25, 0, defaults("slow"), fenced);
                rig.awaitLeader(10_000).orElseThrow(() -> new AssertionError("the only candidate does not lead after 10 s"));
                ElectionRig.Candidate other = rig.candidate("other", 1.0, 0, defaults("other"), fenced);
                rig.storage().sim().runFor(5_000 + rig.storage().sim().random().nextInt(10_000));
                long cut = rig.storage().sim().now();
                slow.leaseOutage(true); // its renew deadline: 10 s on its clock, 40 s of real time; the other waits 15 s
                rig.storage().sim().runFor(20_000);
                slow.leaseOutage(false);
                rig.storage().sim().runFor(20_000);
                assertThat(other.elector.isLeader()).as("the other candidate leads 40 s after the slow leader's Lease calls began to fail").isTrue();
                assertThat(slow.lastStopped() - cut).as("ms from the outage's start to the slow leader's stop: it reads the Lease held by another within a retry period (8 s of real time) of the outage's end, and stops at once")
                        .isBetween(20_000L, 29_000L);
                if (!fenced) {
                    assertThat(rig.beliefViolations()).as("double leaders: the slow leader's renew deadline outlasts the lease the other waited").isNotEmpty();
                    assertThat(rig.storeViolations()).as("writes the slow leader made after the takeover, without a fence").isNotEmpty();
                } else {
                    assertThat(rig.storeViolations()).as("writes by a candidate that did not hold the Lease, with the fence").isEmpty();
                    assertThat(slow.refused()).as("the slow leader's writes its fence refused").isPositive();
                    assertThat(rig.writesSeen()).as("writes that went through, the other leader's included").isGreaterThan(20);
                }
            }
        });
    }

    @Graded(lab = 5, part = "D", points = 3, value = "expiry is measured on the candidate's own clock from when it saw the Lease change, never from renewTime: a holder whose clock is an hour off keeps its Lease")
    void expiryIsMeasuredOnTheCandidatesOwnClock(Seeds seeds) {
        seeds.run(5, run -> {
            ElectionRig rig = new ElectionRig(run.seed(), Faults.RELIABLE, run.trace());
            ElectionRig.Candidate behind = rig.candidate("an-hour-behind", 1.0, -3_600_000, defaults("an-hour-behind"), false);
            rig.awaitLeader(10_000).orElseThrow(() -> new AssertionError("the only candidate does not lead after 10 s"));
            rig.candidate("ahead", 1.0, 3_600_000, defaults("ahead"), false);
            rig.candidate("far-ahead", 1.0, 7_200_000, defaults("far-ahead"), false);
            rig.storage().sim().runFor(60_000);
            assertThat(rig.leaders()).as("who leads a minute later").containsExactly(behind.identity);
            assertThat(rig.record().leaseTransitions()).as("leaseTransitions").isZero();
            assertThat(rig.beliefViolations()).as("double leaders").isEmpty();
        });
    }

    @Graded(lab = 5, part = "D", points = 3, value = "a Lease is waited out for the leaseDurationSeconds it says, not the candidate's own")
    void theRecordsLeaseDurationCounts(Seeds seeds) {
        seeds.run(5, run -> {
            ElectionRig rig = new ElectionRig(run.seed(), Faults.RELIABLE, run.trace());
            ElectionRig.Candidate patient = rig.candidate("forty-seconds", 1.0, 0,
                    new LeaderElector.Config(ElectionRig.NAMESPACE, ElectionRig.LEASE, "forty-seconds", 40_000, 30_000, 5_000), false);
            rig.awaitLeader(10_000).orElseThrow(() -> new AssertionError("the only candidate does not lead after 10 s"));
            ElectionRig.Candidate quick = rig.candidate("fifteen-seconds");
            rig.storage().sim().runFor(6_000);
            patient.kill();
            rig.storage().sim().runFor(1_000); // a renewal already on its way commits now
            LeaseRecord last = rig.record();
            assertThat(last.leaseDurationSeconds()).as("the Lease's leaseDurationSeconds").isEqualTo(40);
            long lastChange = last.renewTimeMillis(); // its clock is the simulation's
            rig.awaitLeader(60_000).orElseThrow(() -> new AssertionError("nobody took over within 60 s of the leader's death"));
            assertThat(quick.ledSince() - lastChange).as("ms from the dead leader's last renewal to the takeover (its Lease says 40 s)").isBetween(40_000L, 43_000L);
        });
    }

    @Graded(lab = 5, part = "D", points = 3, value = "a leader gives up at its renew deadline even while a try hangs, and a released Lease says so (holder \"\", 1 s, transitions kept)")
    void deadlinesAndRelease(Seeds seeds) {
        seeds.run(5, run -> {
            ElectionRig rig = new ElectionRig(run.seed(), Faults.RELIABLE, run.trace());
            ElectionRig.Candidate first = rig.candidate("first");
            rig.awaitLeader(10_000).orElseThrow(() -> new AssertionError("the only candidate does not lead after 10 s"));
            ElectionRig.Candidate second = rig.candidate("second");
            rig.storage().sim().runFor(3_000 + rig.storage().sim().random().nextInt(2_000));
            long hung = rig.storage().sim().now();
            first.leaseHang(true);
            rig.storage().sim().runFor(12_000);
            assertThat(first.elector.isLeader()).as("a leader whose renewal has hung for 12 s").isFalse();
            assertThat(first.lastStopped() - hung).as("ms from the hang to onStoppedLeading").isBetween(7_500L, 10_000L);
            assertThat(first.lastStopped() - rig.record().renewTimeMillis()).as("ms from its last renewTime (its clock is the simulation's) to onStoppedLeading").isBetween(9_900L, 10_000L);
            rig.awaitLeader(30_000).orElseThrow(() -> new AssertionError("nobody took over"));
            assertThat(second.elector.isLeader()).isTrue();
            rig.storage().sim().runFor(3_000);
            second.elector.stop();
            rig.storage().sim().runFor(1_000);
            LeaseRecord released = rig.record();
            assertThat(released.holderIdentity()).as("holderIdentity after a release").isEmpty();
            assertThat(released.leaseDurationSeconds()).as("leaseDurationSeconds after a release").isEqualTo(1);
            assertThat(released.leaseTransitions()).as("leaseTransitions after a release (kept)").isEqualTo(1);
        });
    }
}
