package org.tinyice.application.admin;

import org.tinyice.application.port.in.AdministerMountsUseCase;
import org.tinyice.application.port.in.AdministerMountsUseCase.KillListenerResult;
import org.tinyice.application.port.in.AdministerMountsUseCase.MoveListenersResult;
import org.tinyice.application.port.in.ControlMountsUseCase;
import org.tinyice.application.port.in.DashboardUser;
import org.tinyice.application.port.in.ServerStatusQuery;

/** The dashboard's mount actions, each allowed only to admins and to the dj the mount is assigned to. */
public final class MountControl implements ControlMountsUseCase {

    private final ServerStatusQuery status;
    private final AdministerMountsUseCase admin;

    public MountControl(ServerStatusQuery status, AdministerMountsUseCase admin) {
        this.status = status;
        this.admin = admin;
    }

    @Override
    public ListenersResult listeners(DashboardUser actor, String mountPath) {
        if (!actor.mayControl(mountPath)) {
            return new ListenersResult.Forbidden();
        }
        return status.listeners(mountPath).<ListenersResult>map(ListenersResult.Listeners::new)
                .orElseGet(ListenersResult.NoSuchMount::new);
    }

    @Override
    public ControlResult kickListener(DashboardUser actor, String mountPath, long listenerId) {
        if (!actor.mayControl(mountPath)) {
            return new ControlResult.Forbidden();
        }
        return admin.killListener(mountPath, listenerId) instanceof KillListenerResult.Killed
                ? new ControlResult.Done() : new ControlResult.NotFound();
    }

    @Override
    public ControlResult kickSource(DashboardUser actor, String mountPath) {
        if (!actor.mayControl(mountPath)) {
            return new ControlResult.Forbidden();
        }
        return admin.killSource(mountPath) ? new ControlResult.Done() : new ControlResult.NotFound();
    }

    @Override
    public ControlResult moveAll(DashboardUser actor, String fromMountPath, String toMountPath) {
        if (!actor.mayControl(fromMountPath) || !actor.mayControl(toMountPath)) {
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
