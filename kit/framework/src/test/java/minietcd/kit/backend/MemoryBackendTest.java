package minietcd.kit.backend;

import minietcd.kit.mvcc.Backend;

class MemoryBackendTest extends BackendContractTest {
    @Override
    protected Backend newBackend() {
        return new MemoryBackend();
    }
}
