package org.tinyice.adapters.persistence.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.application.port.out.ConfigurationStore;
import org.tinyice.application.port.out.ConfigurationStoreContract;

class InMemoryConfigurationStoreTest extends ConfigurationStoreContract {

    @Override
    protected ConfigurationStore newStore() {
        return new InMemoryConfigurationStore();
    }

    @Test
    void isCalledMemory() {
        assertEquals("memory", newStore().location());
    }

    @Test
    void canStartWithAConfiguration() {
        ServerConfig initial = richConfig();

        assertEquals(Optional.of(initial), new InMemoryConfigurationStore(initial).load());
    }

    @Test
    void refusesNull() {
        assertThrows(NullPointerException.class, () -> new InMemoryConfigurationStore(null));
        ConfigurationStore store = newStore();
        assertThrows(NullPointerException.class, () -> store.save(null));
        assertEquals(Optional.empty(), store.load());
    }

    @Test
    void storesAreIndependent() {
        ConfigurationStore one = newStore();
        ConfigurationStore other = newStore();

        one.save(richConfig());

        assertEquals(Optional.empty(), other.load());
    }

    @Test
    void concurrentSavesLeaveOneWholeConfiguration() throws Exception {
        ConfigurationStore store = newStore();
        int writers = 8;
        int savesEach = 500;
        List<ServerConfig> saved = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            saved.add(ServerConfig.defaults().withListenAddress("10.0.0." + w, 8000 + w));
        }
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(writers + 1)) {
            List<Future<?>> futures = new ArrayList<>();
            for (ServerConfig config : saved) {
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < savesEach; i++) {
                        store.save(config);
                    }
                    return null;
                }));
            }
            futures.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < writers * savesEach; i++) {
                    store.load().ifPresent(seen -> assertTrue(saved.contains(seen), seen.toString()));
                }
                return null;
            }));
            start.countDown();
            for (Future<?> future : futures) {
                future.get();
            }
        }

        assertTrue(saved.contains(store.load().orElseThrow()));
    }
}
