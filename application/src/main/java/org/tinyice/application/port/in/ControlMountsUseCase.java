package org.tinyice.application.port.in;

import java.util.List;
import org.tinyice.application.port.in.ServerStatusQuery.ListenerStatus;

/**
 * The dashboard's actions on live mounts, for a logged-in user: admins act on every mount, a dj only
 * on the mounts assigned to it.
 */
public interface ControlMountsUseCase {

    ListenersResult listeners(DashboardUser actor, String mountPath);

    ControlResult kickListener(DashboardUser actor, String mountPath, long listenerId);

    ControlResult kickSource(DashboardUser actor, String mountPath);

    sealed interface ListenersResult {
        record Listeners(List<ListenerStatus> listeners) implements ListenersResult { }

        record NoSuchMount() implements ListenersResult { }

        record Forbidden() implements ListenersResult { }
    }

    sealed interface ControlResult {
        record Done() implements ControlResult { }

        /** No source on that mount, or no such listener on it. */
        record NotFound() implements ControlResult { }

        record Forbidden() implements ControlResult { }
    }
}
