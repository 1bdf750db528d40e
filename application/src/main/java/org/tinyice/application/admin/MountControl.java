package org.tinyice.application.admin;

import org.tinyice.application.port.in.AccessPolicy;
import org.tinyice.application.port.in.AccessPolicy.Action;
import org.tinyice.application.port.in.AdministerMountsUseCase;
import org.tinyice.application.port.in.AdministerMountsUseCase.KillListenerResult;
import org.tinyice.application.port.in.AdministerMountsUseCase.MoveListenersResult;
import org.tinyice.application.port.in.ControlMountsUseCase;
import org.tinyice.application.port.in.DashboardUser;
import org.tinyice.application.port.in.ServerStatusQuery;

/** The dashboard's mount actions, each done only when the {@link AccessPolicy} allows it on the mount. */
public final class MountControl implements ControlMountsUseCase {

    private final ServerStatusQuery status;
    private final AdministerMountsUseCase admin;
    private final AccessPolicy policy;

    public MountControl(ServerStatusQuery status, AdministerMountsUseCase admin, AccessPolicy policy) {
        this.status = status;
        this.admin = admin;
        this.policy = policy;
    }

    @Override
    public ListenersResult listeners(DashboardUser actor, String mountPath) {
        if (!policy.allows(actor, Action.LIST_LISTENERS, mountPath)) {
            return new ListenersResult.Forbidden();
        }
        return status.listeners(mountPath).<ListenersResult>map(ListenersResult.Listeners::new)
                .orElseGet(ListenersResult.NoSuchMount::new);
    }

    @Override
    public ControlResult kickListener(DashboardUser actor, String mountPath, long listenerId) {
        if (!policy.allows(actor, Action.KICK_LISTENER, mountPath)) {
            return new ControlResult.Forbidden();
        }
        return admin.killListener(mountPath, listenerId) instanceof KillListenerResult.Killed
                ? new ControlResult.Done() : new ControlResult.NotFound();
    }

    @Override
    public ControlResult kickSource(DashboardUser actor, String mountPath) {
        if (!policy.allows(actor, Action.KILL_SOURCE, mountPath)) {
            return new ControlResult.Forbidden();
        }
        return admin.killSource(mountPath) ? new ControlResult.Done() : new ControlResult.NotFound();
    }

    @Override
    public ControlResult moveAll(DashboardUser actor, String fromMountPath, String toMountPath) {
        if (!policy.allows(actor, Action.MOVE_LISTENERS, fromMountPath)
                || !policy.allows(actor, Action.MOVE_LISTENERS, toMountPath)) {
            return new ControlResult.Forbidden();
        }
        return switch (admin.moveListeners(fromMountPath, toMountPath)) {
            case MoveListenersResult.Moved moved -> new ControlResult.Done(moved.listeners());
            case MoveListenersResult.NoSuchMount n -> new ControlResult.NotFound();
            case MoveListenersResult.NoSuchDestination n ->
                    new ControlResult.Refused("no source streams to " + toMountPath);
            case MoveListenersResult.SameMount s -> new ControlResult.Refused("that is the same mount");
        };
    }
}
