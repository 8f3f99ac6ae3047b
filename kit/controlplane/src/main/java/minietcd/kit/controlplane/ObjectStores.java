package minietcd.kit.controlplane;

import minietcd.kit.client.EtcdClient;
import minietcd.kit.lab.LabClass;

/** Opens lab 5's {@code minietcd.controlplane.EtcdObjectStore} ({@link LabClass}), whichever is on the classpath. */
public final class ObjectStores {
    public static final LabClass<ObjectStore> OBJECT_STORE = new LabClass<>(5, "minietcd.controlplane.EtcdObjectStore", ObjectStore.class);

    private ObjectStores() {}

    public static ObjectStore open(EtcdClient client, Resource resource) {
        return OBJECT_STORE.create(new Class<?>[] {EtcdClient.class, Resource.class}, client, resource);
    }
}
