package minietcd.kit.components;

import java.util.function.Function;
import minietcd.kit.controlplane.Components;
import minietcd.kit.controlplane.LeaderElector;
import minietcd.kit.controlplane.Resource;

/**
 * A component of which several copies run and one acts (the scheduler, the controller manager): it
 * campaigns for a Lease in {@code kube-system} with lab 5's elector, and while it leads runs what
 * {@code start} makes (informers and all, fresh each time it starts leading, as a restarted process
 * would), stopping it when it stops leading. {@code start} is given the transport to write through:
 * every write carries the leader's fence, so a leader that lost its Lease without knowing it yet
 * (paused, its clock slow) has its writes refused by the API server's etcd txn.
 */
final class LeaderElected {
    /** What runs while leading. */
    interface Running {
        void stop();
    }

    private final ComponentThread thread;
    private final LeaderElector elector;
    private Running running;

    LeaderElected(ApiTransport api, ComponentThread thread, String lease, String identity, Function<ApiTransport, Running> start) {
        this.thread = thread;
        LeaderElector[] made = new LeaderElector[1];
        ApiTransport fenced = api.fenced(() -> made[0].fence());
        this.elector = made[0] = Components.leaderElector(new ApiObjectStore(api, Resource.LEASES), LeaderElector.Config.defaults("kube-system", lease, identity), thread,
                new LeaderElector.Callbacks() {
                    @Override public void onStartedLeading() {
                        System.out.println(identity + ": leading (Lease kube-system/" + lease + ")");
                        running = start.apply(fenced);
                    }
                    @Override public void onStoppedLeading() {
                        System.out.println(identity + ": stopped leading");
                        if (running != null) running.stop();
                        running = null;
                    }
                });
    }

    void start() {
        thread.execute(elector::start);
    }

    /** Stops, releasing the Lease if it leads (the release is sent before the thread ends). */
    void stop() {
        thread.execute(elector::stop);
    }
}
