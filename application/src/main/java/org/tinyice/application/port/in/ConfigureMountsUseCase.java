package org.tinyice.application.port.in;

import java.util.List;
import java.util.Optional;

/**
 * Mount settings from the dashboard: each change is saved to the configuration file and in force for
 * the next source and listener at once. Admins configure every mount, a dj its own.
 */
public interface ConfigureMountsUseCase {

    /** Configured mounts and live ones (which run on defaults until edited), those the actor may see. */
    List<MountSettings> mounts(DashboardUser actor);

    SettingsChange edit(DashboardUser actor, EditMountCommand command);

    /**
     * Takes a mount off the air (its source is dropped and refused until enabled again; its listeners
     * go to its fallback if it has one) or puts it back.
     */
    SettingsChange setEnabled(DashboardUser actor, String mountPath, boolean enabled);

    /**
     * @param hasPassword whether the mount has its own source password (never the password itself)
     * @param configured  whether the mount is in the configuration file
     * @param live        whether a source streams to it now
     * @param lowLatency  whether audio goes to listeners as it arrives ({@code low_latency})
     */
    record MountSettings(String path, Optional<String> name, boolean hasPassword, int maxListeners,
                         Optional<Integer> burstSize, Optional<String> fallback, boolean fallbackOverride,
                         boolean isPublic, boolean hidden, boolean enabled, boolean configured, boolean live,
                         boolean lowLatency) { }

    /**
     * The settings an edit sets; a mount that is not configured yet becomes configured.
     *
     * @param lowLatency the mount's {@code low_latency}, in force at once for its source and listeners;
     *                   empty keeps what it is
     */
    record EditMountCommand(String path, PasswordChange password, int maxListeners, Optional<Integer> burstSize,
                            Optional<String> fallback, boolean fallbackOverride, boolean isPublic, boolean hidden,
                            Optional<Boolean> lowLatency) {

        /** An edit that leaves the mount's latency as it is. */
        public EditMountCommand(String path, PasswordChange password, int maxListeners, Optional<Integer> burstSize,
                                Optional<String> fallback, boolean fallbackOverride, boolean isPublic, boolean hidden) {
            this(path, password, maxListeners, burstSize, fallback, fallbackOverride, isPublic, hidden, Optional.empty());
        }
    }

    sealed interface PasswordChange {
        record Keep() implements PasswordChange { }

        /** The global source password applies again. */
        record Clear() implements PasswordChange { }

        record Replace(String password) implements PasswordChange {
            @Override
            public String toString() {
                return "Replace[***]";
            }
        }
    }

    sealed interface SettingsChange {
        record Done() implements SettingsChange { }

        record Forbidden() implements SettingsChange { }

        record Invalid(String reason) implements SettingsChange { }
    }
}
