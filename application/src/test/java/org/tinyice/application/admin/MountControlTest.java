package org.tinyice.application.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tinyice.application.access.Permissions;
import org.tinyice.application.config.UserAccount.Role;
import org.tinyice.application.port.in.AdministerMountsUseCase;
import org.tinyice.application.port.in.AdministerMountsUseCase.KillListenerResult;
import org.tinyice.application.port.in.AdministerMountsUseCase.MoveListenersResult;
import org.tinyice.application.port.in.ControlMountsUseCase.ControlResult;
import org.tinyice.application.port.in.ControlMountsUseCase.ListenersResult;
import org.tinyice.application.port.in.DashboardUser;
import org.tinyice.application.port.in.ServerStatusQuery;
import org.tinyice.application.port.in.ServerStatusQuery.ListenerStatus;

class MountControlTest {

    static final DashboardUser ADMIN = new DashboardUser("admin", Role.ADMIN, Set.of());
    static final DashboardUser ANNA = new DashboardUser("anna", Role.DJ, Set.of("/anna"));

    final ServerStatusQuery status = mock(ServerStatusQuery.class);
    final AdministerMountsUseCase admin = mock(AdministerMountsUseCase.class);
    final MountControl control = new MountControl(status, admin, new Permissions());

    @Test
    void aDjActsOnItsOwnMount() {
        when(admin.killListener("/anna", 7)).thenReturn(new KillListenerResult.Killed());
        when(admin.killSource("/anna")).thenReturn(true);
        List<ListenerStatus> list = List.of(new ListenerStatus(7, "192.0.2.1", "vlc", Instant.EPOCH, 10, 0));
        when(status.listeners("/anna")).thenReturn(Optional.of(list));
        assertInstanceOf(ControlResult.Done.class, control.kickListener(ANNA, "/anna", 7));
        assertInstanceOf(ControlResult.Done.class, control.kickSource(ANNA, "/anna"));
        assertEquals(list, assertInstanceOf(ListenersResult.Listeners.class, control.listeners(ANNA, "/anna"))
                .listeners());
    }

    @Test
    void aDjCannotTouchAnotherMountAndNothingHappensThere() {
        assertInstanceOf(ControlResult.Forbidden.class, control.kickListener(ANNA, "/bob", 7));
        assertInstanceOf(ControlResult.Forbidden.class, control.kickSource(ANNA, "/bob"));
        assertInstanceOf(ListenersResult.Forbidden.class, control.listeners(ANNA, "/bob"));
        verify(admin, never()).killListener(anyString(), anyLong());
        verify(admin, never()).killSource(anyString());
        verify(status, never()).listeners(anyString());
    }

    @Test
    void anAdminActsEverywhereAndMissingThingsAreNotFound() {
        when(admin.killListener("/bob", 7)).thenReturn(new KillListenerResult.NoSuchListener());
        when(admin.killSource("/bob")).thenReturn(false);
        when(status.listeners("/bob")).thenReturn(Optional.empty());
        assertInstanceOf(ControlResult.NotFound.class, control.kickListener(ADMIN, "/bob", 7));
        assertInstanceOf(ControlResult.NotFound.class, control.kickSource(ADMIN, "/bob"));
        assertInstanceOf(ListenersResult.NoSuchMount.class, control.listeners(ADMIN, "/bob"));
    }

    @Test
    void moveAllNeedsBothMountsAndSaysHowManyMoved() {
        when(admin.moveListeners("/anna", "/bob")).thenReturn(new MoveListenersResult.Moved(3));
        assertInstanceOf(ControlResult.Forbidden.class, control.moveAll(ANNA, "/anna", "/bob"),
                "a dj cannot push its listeners onto another dj's mount");
        assertInstanceOf(ControlResult.Forbidden.class, control.moveAll(ANNA, "/bob", "/anna"));
        verify(admin, never()).moveListeners(anyString(), anyString());
        assertEquals(3, assertInstanceOf(ControlResult.Done.class, control.moveAll(ADMIN, "/anna", "/bob")).count());
        when(admin.moveListeners("/anna", "/anna")).thenReturn(new MoveListenersResult.SameMount());
        when(admin.moveListeners("/anna", "/gone")).thenReturn(new MoveListenersResult.NoSuchDestination());
        when(admin.moveListeners("/gone", "/anna")).thenReturn(new MoveListenersResult.NoSuchMount());
        assertInstanceOf(ControlResult.Refused.class, control.moveAll(ADMIN, "/anna", "/anna"));
        assertInstanceOf(ControlResult.Refused.class, control.moveAll(ADMIN, "/anna", "/gone"));
        assertInstanceOf(ControlResult.NotFound.class, control.moveAll(ADMIN, "/gone", "/anna"));
    }
}
