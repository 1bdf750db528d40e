package org.tinyice.application.admin;

import java.util.Optional;
import org.tinyice.application.port.in.AdministerMountsUseCase;
import org.tinyice.domain.mount.Listener;
import org.tinyice.domain.mount.Mount;
import org.tinyice.domain.mount.MountRegistry;

/**
 * Kicks and moves, carried out by the threads that own the connections: a kicked listener's socket
 * is closed (its thread notices at once), a killed source's socket likewise (its thread ends the
 * mount), moved listeners switch mounts on their own thread before their next chunk.
 */
public final class MountAdministrationService implements AdministerMountsUseCase {

    private final MountRegistry mounts;

    public MountAdministrationService(MountRegistry mounts) {
        this.mounts = mounts;
    }

    @Override
    public KillListenerResult killListener(String mountPath, long listenerId) {
        Optional<Mount> mount = mounts.find(mountPath);
        if (mount.isEmpty()) {
            return new KillListenerResult.NoSuchMount();
        }
        for (Listener listener : mount.get().listeners()) {
            if (listener.id() == listenerId) {
                listener.disconnect();
                // counted out now, not when its thread next wakes (its own leave() then finds it gone)
                mount.get().remove(listener);
                mount.get().ring().nudge(); // its thread may be parked waiting for audio: let it see the close

                return new KillListenerResult.Killed();
            }
        }
        return new KillListenerResult.NoSuchListener();
    }

    @Override
    public boolean killSource(String mountPath) {
        Optional<Mount> mount = mounts.find(mountPath);
        mount.ifPresent(Mount::disconnectSource);
        return mount.isPresent();
    }

    @Override
    public MoveListenersResult moveListeners(String fromMountPath, String toMountPath) {
        if (fromMountPath.equals(toMountPath)) {
            return new MoveListenersResult.SameMount();
        }
        Optional<Mount> from = mounts.find(fromMountPath);
        if (from.isEmpty()) {
            return new MoveListenersResult.NoSuchMount();
        }
        Optional<Mount> to = mounts.find(toMountPath);
        if (to.isEmpty()) {
            return new MoveListenersResult.NoSuchDestination();
        }
        return new MoveListenersResult.Moved(from.get().moveListenersTo(to.get()));
    }
}
