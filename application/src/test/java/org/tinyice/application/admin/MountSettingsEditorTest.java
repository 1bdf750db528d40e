package org.tinyice.application.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tinyice.application.access.Permissions;
import org.tinyice.application.config.CurrentConfig;
import org.tinyice.application.config.MountConfig;
import org.tinyice.application.config.Secret;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.application.config.UserAccount.Role;
import org.tinyice.application.configuration.ConfigChanges;
import org.tinyice.application.fixtures.CountingHasher;
import org.tinyice.application.fixtures.SavedConfigs;
import org.tinyice.application.port.in.AdministerMountsUseCase;
import org.tinyice.application.port.in.ConfigureMountsUseCase.EditMountCommand;
import org.tinyice.application.port.in.ConfigureMountsUseCase.MountSettings;
import org.tinyice.application.port.in.ConfigureMountsUseCase.PasswordChange;
import org.tinyice.application.port.in.ConfigureMountsUseCase.SettingsChange;
import org.tinyice.application.port.in.DashboardUser;
import org.tinyice.domain.mount.Mount;
import org.tinyice.domain.mount.MountRegistry;
import org.tinyice.domain.mount.SourceInfo;
import org.tinyice.domain.stream.StreamRing;

class MountSettingsEditorTest {

    static final DashboardUser ADMIN = new DashboardUser("admin", Role.ADMIN, Set.of());
    static final DashboardUser ANNA = new DashboardUser("dj-anna", Role.DJ, Set.of("/anna", "/anna-backup"));

    final SavedConfigs store = new SavedConfigs();
    final CurrentConfig config = new CurrentConfig(ServerConfig.defaults().withMounts(mounts()));
    final MountRegistry registry = new MountRegistry();
    final AdministerMountsUseCase admin = mock(AdministerMountsUseCase.class);
    final MountSettingsEditor editor = new MountSettingsEditor(new ConfigChanges(config, store), registry, admin,
            new CountingHasher(), new Permissions());

    {
        store.initial = config.get();
    }

    static Map<String, MountConfig> mounts() {
        Map<String, MountConfig> mounts = new LinkedHashMap<>();
        mounts.put("/anna", MountConfig.defaultsFor("/anna"));
        mounts.put("/bob", new MountConfig("/bob", Optional.of(new Secret.Hashed("$fake$bob")), 9, Optional.empty(),
                Optional.empty(), false, true, false, Optional.of("Bob's")));
        return mounts;
    }

    static EditMountCommand edit(String path, int maxListeners, Optional<String> fallback) {
        return new EditMountCommand(path, new PasswordChange.Keep(), maxListeners, Optional.of(65_536), fallback,
                true, false, true);
    }

    @Test
    void anEditIsSavedAndInForceAndKeepsWhatTheFormDoesNotShow() {
        assertInstanceOf(SettingsChange.Done.class, editor.edit(ADMIN, edit("/bob", 50, Optional.of("/anna"))));

        MountConfig bob = config.get().mount("/bob");
        assertEquals(new MountConfig("/bob", Optional.of(new Secret.Hashed("$fake$bob")), 50, Optional.of(65_536),
                Optional.of("/anna"), true, false, true, Optional.of("Bob's")), bob);
        assertEquals(bob, store.saved.getLast().mounts().get("/bob"));
    }

    @Test
    void passwordsAreReplacedHashedOrClearedOrKept() {
        editor.edit(ADMIN, new EditMountCommand("/anna", new PasswordChange.Replace("new-pass"), 0, Optional.empty(),
                Optional.empty(), false, true, false));
        assertEquals(Optional.of(new Secret.Hashed("$fake$new-pass")), config.get().mount("/anna").password());
        editor.edit(ADMIN, new EditMountCommand("/anna", new PasswordChange.Keep(), 0, Optional.empty(),
                Optional.empty(), false, true, false));
        assertEquals(Optional.of(new Secret.Hashed("$fake$new-pass")), config.get().mount("/anna").password());
        editor.edit(ADMIN, new EditMountCommand("/anna", new PasswordChange.Clear(), 0, Optional.empty(),
                Optional.empty(), false, true, false));
        assertEquals(Optional.empty(), config.get().mount("/anna").password());
    }

    @Test
    void badValuesAndLoopsAreRefusedAndNothingIsSaved() {
        for (EditMountCommand bad : List.of(edit("/anna", -1, Optional.empty()),
                edit("/anna", 10_000_001, Optional.empty()), edit("/anna", 0, Optional.of("/anna")),
                edit("/anna", 0, Optional.of("no slash")), edit("nope", 0, Optional.empty()),
                new EditMountCommand("/anna", new PasswordChange.Replace(""), 0, Optional.empty(), Optional.empty(),
                        false, true, false),
                new EditMountCommand("/anna", new PasswordChange.Keep(), 0, Optional.of(-5), Optional.empty(),
                        false, true, false))) {
            assertInstanceOf(SettingsChange.Invalid.class, editor.edit(ADMIN, bad), bad.toString());
        }
        assertInstanceOf(SettingsChange.Done.class, editor.edit(ADMIN, edit("/anna", 0, Optional.of("/bob"))));
        SettingsChange loop = editor.edit(ADMIN, edit("/bob", 0, Optional.of("/anna")));
        assertTrue(assertInstanceOf(SettingsChange.Invalid.class, loop).reason().contains("/bob -> /anna -> /bob"),
                loop.toString());
        assertEquals(Optional.empty(), config.get().mount("/bob").fallback());
        assertEquals(1, store.saved.size());
    }

    @Test
    void aDjEditsOnlyItsOwnMountsAndFallsBackOnlyToItsOwn() {
        assertInstanceOf(SettingsChange.Forbidden.class, editor.edit(ANNA, edit("/bob", 1, Optional.empty())));
        assertInstanceOf(SettingsChange.Forbidden.class, editor.setEnabled(ANNA, "/bob", false));
        assertInstanceOf(SettingsChange.Invalid.class, editor.edit(ANNA, edit("/anna", 1, Optional.of("/bob"))));
        assertInstanceOf(SettingsChange.Done.class, editor.edit(ANNA, edit("/anna", 1, Optional.of("/anna-backup"))));
        assertEquals(List.of("/anna"), editor.mounts(ANNA).stream().map(MountSettings::path).toList(),
                "a dj sees its own mounts only");
        verify(admin, never()).killSource(anyString());
    }

    @Test
    void disablingDropsTheSourceAndEnablingLetsItBack() {
        assertInstanceOf(SettingsChange.Done.class, editor.setEnabled(ANNA, "/anna", false));
        assertFalse(config.get().mount("/anna").enabled());
        assertFalse(store.saved.getLast().mounts().get("/anna").enabled());
        verify(admin).killSource("/anna");
        assertInstanceOf(SettingsChange.Done.class, editor.setEnabled(ANNA, "/anna", true));
        assertTrue(config.get().mount("/anna").enabled());
    }

    @Test
    void liveMountsAreListedBesideConfiguredOnes() {
        registry.claim("/onthefly", () -> new Mount("/onthefly",
                new SourceInfo("audio/mpeg", Map.of(), "test", "127.0.0.1", Instant.EPOCH), new StreamRing(8), () -> { }));
        List<MountSettings> all = editor.mounts(ADMIN);
        assertEquals(List.of("/anna", "/bob", "/onthefly"), all.stream().map(MountSettings::path).toList());
        MountSettings live = all.get(2);
        assertTrue(live.live());
        assertFalse(live.configured());
        assertTrue(all.get(1).hasPassword());
        assertFalse(all.get(1).live());
    }
}
