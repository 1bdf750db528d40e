package org.tinyice.domain.mount;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.tinyice.domain.stream.StreamRing;

class MountRegistryTest {

    private final MountRegistry registry = new MountRegistry();

    private static Mount mount(String path) {
        return new Mount(path, new SourceInfo("audio/mpeg", Map.of(), "enc", "10.0.0.1", Instant.EPOCH),
                new StreamRing(4));
    }

    @Test
    void onlyTheFirstClaimerGetsThePath() {
        Mount first = mount("/live");
        AtomicInteger built = new AtomicInteger();
        Optional<Mount> claimed = registry.claim("/live", () -> {
            built.incrementAndGet();
            return first;
        });
        Optional<Mount> second = registry.claim("/live", () -> {
            built.incrementAndGet();
            return mount("/live");
        });

        assertSame(first, claimed.orElseThrow());
        assertTrue(second.isEmpty());
        assertEquals(1, built.get(), "the loser's mount is never even built");
        assertSame(first, registry.find("/live").orElseThrow());
        assertEquals(1, registry.size());
    }

    @Test
    void replaceSwapsOnlyThatSameMountInstanceInOneStep() {
        Mount file = mount("/loop.mp3");
        registry.claim("/loop.mp3", () -> file);
        Mount source = mount("/loop.mp3");

        assertSame(source, registry.replace(file, () -> source).orElseThrow());
        assertSame(source, registry.find("/loop.mp3").orElseThrow());
        assertEquals(1, registry.size());

        AtomicInteger built = new AtomicInteger();
        assertTrue(registry.replace(file, () -> {
            built.incrementAndGet();
            return mount("/loop.mp3");
        }).isEmpty(), "file is no longer there");
        assertEquals(0, built.get());
        assertSame(source, registry.find("/loop.mp3").orElseThrow());

        registry.release(source);
        assertTrue(registry.replace(source, () -> mount("/loop.mp3")).isEmpty(), "nothing to replace");
        assertTrue(registry.find("/loop.mp3").isEmpty());
    }

    @Test
    void releaseRemovesOnlyThatSameMountInstance() {
        Mount old = mount("/live");
        registry.claim("/live", () -> old);
        registry.release(old);
        assertTrue(registry.find("/live").isEmpty());

        Mount newer = mount("/live");
        registry.claim("/live", () -> newer);
        registry.release(old); // a late release by the previous source
        assertSame(newer, registry.find("/live").orElseThrow());

        registry.release(mount("/live")); // another instance with the same path
        assertSame(newer, registry.find("/live").orElseThrow());
    }

    @Test
    void allListsLiveMountsSortedByPath() {
        registry.claim("/b", () -> mount("/b"));
        registry.claim("/c", () -> mount("/c"));
        registry.claim("/a", () -> mount("/a"));
        assertEquals(java.util.List.of("/a", "/b", "/c"), registry.all().stream().map(Mount::path).toList());
        assertEquals(3, registry.size());
        assertFalse(registry.find("/d").isPresent());
    }
}
