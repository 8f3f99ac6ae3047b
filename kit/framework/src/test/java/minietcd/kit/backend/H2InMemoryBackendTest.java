package minietcd.kit.backend;

import java.util.concurrent.atomic.AtomicInteger;
import minietcd.kit.mvcc.Backend;

class H2InMemoryBackendTest extends BackendContractTest {
    private static final AtomicInteger NEXT = new AtomicInteger();

    @Override
    protected Backend newBackend() {
        return H2Backend.inMemory("contract-" + NEXT.incrementAndGet());
    }
}
