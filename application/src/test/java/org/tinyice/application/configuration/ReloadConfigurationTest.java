package org.tinyice.application.configuration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.tinyice.application.config.AccessLogSettings;
import org.tinyice.application.config.CurrentConfig;
import org.tinyice.application.config.Limits;
import org.tinyice.application.config.MountConfig;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.application.fixtures.FakePasswordHasher;
import org.tinyice.application.port.in.AdministerMountsUseCase;
import org.tinyice.application.port.out.ConfigurationStore;

class ReloadConfigurationTest {

    /** The file as a variable: a test writes it "by hand", or breaks it. */
    static final class EditableStore implements ConfigurationStore {
        Optional<ServerConfig> file = Optional.empty();
        RuntimeException broken;

        @Override
        public Optional<ServerConfig> load() {
            if (broken != null) {
                throw broken;
            }
            return file;
        }

        @Override
        public void save(ServerConfig config) {
            file = Optional.of(config);
        }

        @Override
        public String location() {
            return "/etc/tinyice.json";
        }
    }

    final EditableStore store = new EditableStore();
    final FakePasswordHasher hasher = new FakePasswordHasher();
    final AdministerMountsUseCase admin = mock(AdministerMountsUseCase.class);
    final List<String> ended = new ArrayList<>();
    final ServerConfig started = ServerConfig.defaults().withCredentials("admin",
            Optional.of(FakePasswordHasher.hashed("admin-pw")), Optional.of(FakePasswordHasher.hashed("source-pw")),
            Map.of("/live", MountConfig.defaultsFor("/live")));
    final CurrentConfig current = new CurrentConfig(started.withListenAddress("127.0.0.1", 8123));

    ReloadConfiguration reload(Optional<Integer> portOnTheCommandLine) {
        return new ReloadConfiguration(store, hasher, new ConfigChanges(current, store), admin, ended::add,
                Optional.of("127.0.0.1"), portOnTheCommandLine);
    }

    @Test
    void theFileAsEditedIsPutInForceWithTheBoundAddressKept() {
        Map<String, MountConfig> mounts = new LinkedHashMap<>(started.mounts());
        mounts.put("/jazz", MountConfig.defaultsFor("/jazz"));
        store.file = Optional.of(started.withMounts(mounts));

        ReloadConfiguration.Outcome outcome = reload(Optional.of(8123)).reload();

        assertTrue(outcome.reloaded(), outcome.toString());
        assertEquals("configuration reloaded from /etc/tinyice.json", outcome.lines().getFirst());
        assertEquals(1, outcome.lines().size(), "nothing else to say: " + outcome.lines());
        assertTrue(current.get().mounts().containsKey("/jazz"));
        assertEquals(8123, current.get().port(), "the command line's port stays");
    }

    @Test
    void aNewPortInTheFileWaitsForTheNextStart() {
        store.file = Optional.of(started.withListenAddress("0.0.0.0", 9000));

        ReloadConfiguration.Outcome outcome = reload(Optional.empty()).reload();

        assertTrue(outcome.reloaded());
        assertTrue(outcome.lines().get(1).contains("127.0.0.1:9000 takes effect at the next start"),
                outcome.lines().toString());
        assertEquals(8123, current.get().port());
    }

    @Test
    void aBrokenOrMissingFileChangesNothing() {
        ServerConfig before = current.get();
        store.broken = new ConfigurationStore.InvalidConfigurationException("/etc/tinyice.json line 3: oops");
        ReloadConfiguration.Outcome broken = reload(Optional.empty()).reload();
        assertFalse(broken.reloaded());
        assertTrue(broken.lines().getFirst().endsWith("line 3: oops"), broken.lines().getFirst());

        store.broken = null;
        store.file = Optional.empty();
        ReloadConfiguration.Outcome missing = reload(Optional.empty()).reload();
        assertFalse(missing.reloaded());
        assertTrue(missing.lines().getFirst().contains("is gone"), missing.lines().getFirst());
        assertEquals(Optional.empty(), store.file, "no defaults were written in its place");
        assertEquals(before, current.get());
    }

    @Test
    void aMountDisabledInTheFileLosesItsSource() {
        when(admin.killSource("/live")).thenReturn(true);
        store.file = Optional.of(started.withMounts(Map.of("/live", MountConfig.defaultsFor("/live")
                .withEnabled(false))));

        ReloadConfiguration.Outcome outcome = reload(Optional.of(8123)).reload();

        verify(admin).killSource("/live");
        assertTrue(outcome.lines().contains("/live is disabled in the file: its source was dropped"), outcome.lines()
                .toString());
        reload(Optional.of(8123)).reload();
        verify(admin).killSource(anyString()); // once: it was already disabled the second time
    }

    @Test
    void aPasswordChangedInTheFileLogsItsUserOutAndTheChunkTimingAppliesAtOnce() {
        store.file = Optional.of(started.withCredentials("admin", Optional.of(FakePasswordHasher.hashed("new-pw")),
                started.sourcePassword(), started.mounts()).withLimits(started.limits().withChunkDelay(
                java.time.Duration.ofMillis(100))));

        ReloadConfiguration.Outcome outcome = reload(Optional.of(8123)).reload();

        assertEquals(List.of("admin"), ended);
        assertEquals(java.time.Duration.ofMillis(100), current.get().limits().chunkDelay(), "in force at once");
        assertTrue(outcome.lines().contains("limits.chunk_ms is now 100 ms"), outcome.toString());
        reload(Optional.of(8123)).reload();
        assertEquals(List.of("admin"), ended, "nothing changed the second time");
    }

    @Test
    void connectionLimitsApplyAtOnceAndTheAccessLogRotationWaitsForARestart() {
        Limits l = started.limits();
        store.file = Optional.of(started.withLimits(new Limits(l.maxListeners(), l.maxSources(), l.burstSize(),
                        l.sourceIdleTimeout(), l.headerTimeout(), l.chunkDelay(), 3, true, 7))
                .withAccessLog(new AccessLogSettings(4096, 2)));

        ReloadConfiguration.Outcome outcome = reload(Optional.of(8123)).reload();

        assertEquals(3, current.get().limits().maxConnectionsPerAddress());
        assertEquals(7, current.get().limits().maxSseClients());
        assertEquals(started.accessLog(), current.get().accessLog(), "kept until the restart");
        assertTrue(outcome.lines().contains("access_log takes effect at the next start"), outcome.toString());
    }

    @Test
    void noSourceIsDroppedWhenNothingWasDisabled() {
        store.file = Optional.of(started);
        reload(Optional.of(8123)).reload();
        verify(admin, never()).killSource(anyString());
    }
}
