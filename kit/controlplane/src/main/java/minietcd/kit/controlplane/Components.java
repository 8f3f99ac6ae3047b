package minietcd.kit.controlplane;

import minietcd.kit.client.EtcdClient;
import minietcd.kit.lab.LabClass;

/** Opens lab 5's control-plane classes by name ({@link LabClass}), whichever are on the classpath. */
public final class Components {
    public static final LabClass<ObjectStore> OBJECT_STORE = new LabClass<>(5, "minietcd.controlplane.EtcdObjectStore", ObjectStore.class);
    public static final LabClass<Informer> INFORMER = new LabClass<>(5, "minietcd.controlplane.SharedInformer", Informer.class);
    public static final LabClass<Scheduler> SCHEDULER = new LabClass<>(5, "minietcd.controlplane.DefaultScheduler", Scheduler.class);
    public static final LabClass<ReplicaSetController> REPLICA_SET_CONTROLLER = new LabClass<>(5, "minietcd.controlplane.DefaultReplicaSetController", ReplicaSetController.class);
    public static final LabClass<WorkQueue> WORK_QUEUE = new LabClass<>(5, "minietcd.controlplane.RateLimitingQueue", WorkQueue.class);

    public static final LabClass<NodeLifecycleController> NODE_LIFECYCLE_CONTROLLER = new LabClass<>(5, "minietcd.controlplane.DefaultNodeLifecycleController", NodeLifecycleController.class);
    public static final LabClass<LeaderElector> LEADER_ELECTOR = new LabClass<>(5, "minietcd.controlplane.LeaseLeaderElector", LeaderElector.class);
    public static final LabClass<EtcdClient> FENCED_CLIENT = new LabClass<>(5, "minietcd.controlplane.FencedClient", EtcdClient.class);

    private Components() {}

    /** The storage layer of {@code resource} over an etcd client (part A). */
    public static ObjectStore objectStore(EtcdClient client, Resource resource) {
        return OBJECT_STORE.create(new Class<?>[] {EtcdClient.class, Resource.class}, client, resource);
    }

    /** An informer over {@code source}, resyncing every {@code resyncMillis} (0: never). */
    public static Informer informer(ListerWatcher source, Resource resource, Timers timers, long resyncMillis) {
        return INFORMER.create(new Class<?>[] {ListerWatcher.class, Resource.class, Timers.class, long.class}, source, resource, timers, resyncMillis);
    }

    public static WorkQueue workQueue(Timers timers) {
        return WORK_QUEUE.create(new Class<?>[] {Timers.class}, timers);
    }

    /** A scheduler over informers of pods and of nodes (started by the caller), binding through {@code binder}. */
    public static Scheduler scheduler(Informer pods, Informer nodes, Binder binder, Timers timers) {
        return SCHEDULER.create(new Class<?>[] {Informer.class, Informer.class, Binder.class, Timers.class}, pods, nodes, binder, timers);
    }

    /** A ReplicaSet controller over informers of ReplicaSets and of pods (started by the caller), writing through {@code control}. */
    public static ReplicaSetController replicaSetController(Informer replicaSets, Informer pods, PodControl control, Timers timers) {
        return REPLICA_SET_CONTROLLER.create(new Class<?>[] {Informer.class, Informer.class, PodControl.class, Timers.class}, replicaSets, pods, control, timers);
    }

    /** A node lifecycle controller over informers of nodes, of the Leases in kube-node-lease and of pods (started by the caller), writing through {@code control} (part C). */
    public static NodeLifecycleController nodeLifecycleController(Informer nodes, Informer nodeLeases, Informer pods, PodControl control, Timers timers) {
        return NODE_LIFECYCLE_CONTROLLER.create(new Class<?>[] {Informer.class, Informer.class, Informer.class, PodControl.class, Timers.class}, nodes, nodeLeases, pods, control, timers);
    }

    /** A leader elector over the Lease store {@code leases} (part D). */
    public static LeaderElector leaderElector(ObjectStore leases, LeaderElector.Config config, Timers timers, LeaderElector.Callbacks callbacks) {
        return LEADER_ELECTOR.create(new Class<?>[] {ObjectStore.class, LeaderElector.Config.class, Timers.class, LeaderElector.Callbacks.class}, leases, config, timers, callbacks);
    }

    /** {@code client} with every write fenced by what {@code fence} gives at the time of the write (part D). */
    public static EtcdClient fencedClient(EtcdClient client, java.util.function.Supplier<java.util.Optional<Fence>> fence) {
        return FENCED_CLIENT.create(new Class<?>[] {EtcdClient.class, java.util.function.Supplier.class}, client, fence);
    }
}
