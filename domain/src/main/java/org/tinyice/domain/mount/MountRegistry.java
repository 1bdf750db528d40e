package org.tinyice.domain.mount;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/** The live mounts, by path. A path holds at most one source at a time. */
public final class MountRegistry {

    private final ConcurrentMap<String, Mount> live = new ConcurrentHashMap<>();

    /**
     * Puts the mount {@code create} builds at {@code path} unless a source already streams there.
     *
     * @return the new mount, or empty when the path is in use
     */
    public Optional<Mount> claim(String path, Supplier<Mount> create) {
        Mount[] created = new Mount[1];
        live.computeIfAbsent(path, p -> created[0] = create.get());
        return Optional.ofNullable(created[0]);
    }

    /**
     * Puts the mount {@code create} builds in {@code current}'s place, in one step: nobody looking at
     * the path ever finds it empty in between.
     *
     * @return the new mount, or empty when {@code current} is no longer there
     */
    public Optional<Mount> replace(Mount current, Supplier<Mount> create) {
        Mount[] created = new Mount[1];
        live.computeIfPresent(current.path(), (p, there) -> there == current ? (created[0] = create.get()) : there);
        return Optional.ofNullable(created[0]);
    }

    /** Removes this mount (and only this one: a newer source at the same path stays). */
    public void release(Mount mount) {
        live.remove(mount.path(), mount);
    }

    public Optional<Mount> find(String path) {
        return Optional.ofNullable(live.get(path));
    }

    /** The live mounts sorted by path, as Icecast lists them. */
    public List<Mount> all() {
        return live.values().stream().sorted((a, b) -> a.path().compareTo(b.path())).toList();
    }

    public int size() {
        return live.size();
    }
}
