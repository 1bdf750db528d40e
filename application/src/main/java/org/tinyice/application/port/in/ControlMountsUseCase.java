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

    /** Moves every listener of a live mount to another live mount; the actor must control both. */
    ControlResult moveAll(DashboardUser actor, String fromMountPath, String toMountPath);

    sealed interface ListenersResult {
        record Listeners(List<ListenerStatus> listeners) implements ListenersResult { }

        record NoSuchMount() implements ListenersResult { }

        record Forbidden() implements ListenersResult { }
    }

    sealed interface ControlResult {
        /** @param count how many it acted on */
        record Done(int count) implements ControlResult {
            public Done() {
                this(1);
            }
        }

        /** No source on that mount, or no such listener on it. */
        record NotFound() implements ControlResult { }

        record Forbidden() implements ControlResult { }

        /** The action makes no sense as asked (moving a mount's listeners to itself, ...). */
        record Refused(String reason) implements ControlResult { }
    }
}
