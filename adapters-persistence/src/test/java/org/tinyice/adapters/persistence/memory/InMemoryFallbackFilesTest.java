package org.tinyice.adapters.persistence.memory;

import java.util.Map;
import org.tinyice.application.port.out.FallbackFiles;
import org.tinyice.application.port.out.FallbackFilesContract;

class InMemoryFallbackFilesTest extends FallbackFilesContract {

    @Override
    protected FallbackFiles holding(Map<String, byte[]> files) {
        InMemoryFallbackFiles store = new InMemoryFallbackFiles();
        files.forEach(store::put);
        return store;
    }
}
