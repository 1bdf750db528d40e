package org.tinyice.application.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
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
import org.tinyice.application.config.AddressRange;
import org.tinyice.application.config.CurrentConfig;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.application.config.UserAccount.Role;
import org.tinyice.application.configuration.ConfigChanges;
import org.tinyice.application.fixtures.SavedConfigs;
import org.tinyice.application.port.in.AdministerMountsUseCase;
import org.tinyice.application.port.in.DashboardUser;
import org.tinyice.application.port.in.ManageBansUseCase.BanResult;
import org.tinyice.application.port.in.ServerStatusQuery;
import org.tinyice.application.port.in.ServerStatusQuery.ListenerStatus;

class AddressBansTest {

    static final DashboardUser ADMIN = new DashboardUser("admin", Role.ADMIN, Set.of());
    static final DashboardUser ANNA = new DashboardUser("dj-anna", Role.DJ, Set.of("/live"));

    final SavedConfigs store = new SavedConfigs();
    final CurrentConfig config = new CurrentConfig(ServerConfig.defaults());
    final ServerStatusQuery status = mock(ServerStatusQuery.class);
    final AdministerMountsUseCase admin = mock(AdministerMountsUseCase.class);
    final AddressBans bans = new AddressBans(new ConfigChanges(config, store), status, admin, new Permissions());

    {
        store.initial = config.get();
    }

    @Test
    void aBanIsSavedAndInForceAndListedAsTheFileWritesIt() {
        assertEquals(new BanResult.Done("2001:db8::/32"), bans.ban(ADMIN, "2001:DB8:0::/32"));
        assertEquals(List.of(AddressRange.parse("2001:db8::/32", "t")), config.get().addressLists().banned());
        assertEquals(config.get(), store.saved.getLast());
        assertEquals(Optional.of(List.of("2001:db8::/32")), bans.banned(ADMIN));
        // the same ban twice is one entry
        bans.ban(ADMIN, "2001:db8::/32");
        assertEquals(1, config.get().addressLists().banned().size());
    }

    @Test
    void aListenerIsBannedByItsFullAddressThenDisconnected() {
        when(status.listeners("/live")).thenReturn(Optional.of(List.of(
                new ListenerStatus(7, "198.51.100.4", "VLC", Instant.EPOCH, 0, 0))));
        assertEquals(new BanResult.Done("198.51.100.4"), bans.banListener(ADMIN, "/live", 7));
        verify(admin).killListener("/live", 7);
        assertEquals(new BanResult.NotFound(), bans.banListener(ADMIN, "/live", 8));
    }

    @Test
    void aBadAddressIsRefusedWithTheReasonAndNothingIsSaved() {
        BanResult result = bans.ban(ADMIN, "evil.example.com");
        assertInstanceOf(BanResult.Invalid.class, result);
        assertTrue(((BanResult.Invalid) result).reason().contains("banned_ips"), result.toString());
        assertTrue(store.saved.isEmpty());
    }

    @Test
    void onlyAnExistingBanIsLifted() {
        bans.ban(ADMIN, "203.0.113.7");
        assertEquals(new BanResult.Done("203.0.113.7"), bans.unban(ADMIN, "203.0.113.7"));
        assertTrue(config.get().addressLists().banned().isEmpty());
        assertEquals(new BanResult.NotFound(), bans.unban(ADMIN, "203.0.113.7"));
    }

    @Test
    void aDjMayNeitherSeeNorChangeBans() {
        assertEquals(Optional.empty(), bans.banned(ANNA));
        assertEquals(new BanResult.Forbidden(), bans.ban(ANNA, "203.0.113.7"));
        assertEquals(new BanResult.Forbidden(), bans.banListener(ANNA, "/live", 7));
        assertEquals(new BanResult.Forbidden(), bans.unban(ANNA, "203.0.113.7"));
        verify(admin, never()).killListener("/live", 7);
        assertTrue(store.saved.isEmpty());
    }
}
