package org.tinyice.application.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.tinyice.application.fixtures.TestConfigs.ADMIN;
import static org.tinyice.application.fixtures.TestConfigs.PRIVATE_MOUNT;
import static org.tinyice.application.fixtures.TestConfigs.PRIVATE_SOURCE;
import static org.tinyice.application.fixtures.TestConfigs.SOURCE;
import static org.tinyice.application.fixtures.TestConfigs.WRONG;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.tinyice.application.access.Permissions;
import org.tinyice.application.config.CurrentConfig;
import org.tinyice.application.fixtures.TestConfigs;
import org.tinyice.application.fixtures.TestCredentials;
import org.tinyice.application.port.in.Credentials;
import org.tinyice.application.port.in.UpdateMetadataUseCase.MetadataUpdate;
import org.tinyice.application.port.in.UpdateMetadataUseCase.UpdateMetadataCommand;
import org.tinyice.domain.mount.Mount;
import org.tinyice.domain.mount.MountRegistry;
import org.tinyice.domain.mount.SourceInfo;
import org.tinyice.domain.stream.StreamRing;

class MetadataServiceTest {

    private final MountRegistry mounts = new MountRegistry();
    private final CurrentConfig config = new CurrentConfig(TestConfigs.config());
    private final MetadataService service = new MetadataService(mounts,
            TestCredentials.checker(config), new Permissions());

    private Mount live(String path, SourceInfo source) {
        Mount mount = new Mount(path, source, new StreamRing(16));
        mounts.claim(path, () -> mount);
        return mount;
    }

    private MetadataUpdate song(String path, Optional<Credentials> credentials, String song) {
        return service.update(new UpdateMetadataCommand(path, credentials, "192.0.2.1", Optional.of(song), Optional.empty(),
                Optional.empty()));
    }

    @Test
    void theAdminMayUpdateAnyMount() {
        Mount mount = live("/live", TestConfigs.mp3());
        assertInstanceOf(MetadataUpdate.Updated.class, song("/live", ADMIN, "Artist - Song"));
        assertEquals("Artist - Song", mount.title());
        assertEquals("Artist - Song", mount.ring().title(), "listeners meet it at the current position");
        assertEquals("Artist - Song", mount.ring().publishOwned(new byte[1]).title());
    }

    @Test
    void theMountsSourceCredentialsMayUpdateIt() {
        Mount live = live("/live", TestConfigs.mp3());
        Mount secret = live(PRIVATE_MOUNT, TestConfigs.mp3());
        assertInstanceOf(MetadataUpdate.Updated.class, song("/live", SOURCE, "One"));
        assertInstanceOf(MetadataUpdate.Updated.class, song(PRIVATE_MOUNT, PRIVATE_SOURCE, "Two"));
        assertEquals("One", live.title());
        assertEquals("Two", secret.title());
    }

    @Test
    void anyoneElseIsUnauthorizedAndTheTitleStays() {
        Mount live = live("/live", TestConfigs.mp3());
        Mount secret = live(PRIVATE_MOUNT, TestConfigs.mp3());
        assertInstanceOf(MetadataUpdate.Unauthorized.class, song("/live", WRONG, "x"));
        assertInstanceOf(MetadataUpdate.Unauthorized.class, song("/live", Credentials.none(), "x"));
        assertInstanceOf(MetadataUpdate.Unauthorized.class, song("/live", PRIVATE_SOURCE, "x"),
                "another mount's password");
        assertInstanceOf(MetadataUpdate.Unauthorized.class, song(PRIVATE_MOUNT, SOURCE, "x"),
                "the global source password does not open a mount with its own");
        assertFalse(live.hasTitle());
        assertFalse(secret.hasTitle());
    }

    @Test
    void anUnknownMountIsReportedToThoseAllowed() {
        assertInstanceOf(MetadataUpdate.NoSuchMount.class, song("/nothing", ADMIN, "x"));
    }

    @Test
    void oggMountsDoNotTakeIcyMetadata() {
        Mount mount = live("/ogg", TestConfigs.ogg());
        assertInstanceOf(MetadataUpdate.NotAcceptedForFormat.class, song("/ogg", ADMIN, "x"));
        assertFalse(mount.hasTitle());
    }

    @Test
    void artistAndTitleAreJoinedAndSongWins() {
        Mount mount = live("/live", TestConfigs.mp3());
        assertInstanceOf(MetadataUpdate.Updated.class, service.update(new UpdateMetadataCommand("/live", ADMIN, "192.0.2.1",
                Optional.empty(), Optional.of("A"), Optional.of("T"))));
        assertEquals("A - T", mount.title());

        service.update(new UpdateMetadataCommand("/live", ADMIN, "192.0.2.1", Optional.empty(), Optional.of("Only Artist"),
                Optional.empty()));
        assertEquals("Only Artist", mount.title());

        service.update(new UpdateMetadataCommand("/live", ADMIN, "192.0.2.1", Optional.empty(), Optional.empty(),
                Optional.of("Only Title")));
        assertEquals("Only Title", mount.title());

        service.update(new UpdateMetadataCommand("/live", ADMIN, "192.0.2.1", Optional.of("Song"), Optional.of("A"),
                Optional.of("T")));
        assertEquals("Song", mount.title());
    }

    @Test
    void anUpdateWithoutATitleIsRefused() {
        Mount mount = live("/live", TestConfigs.mp3());
        assertInstanceOf(MetadataUpdate.MissingTitle.class, service.update(new UpdateMetadataCommand("/live", ADMIN, "192.0.2.1",
                Optional.empty(), Optional.empty(), Optional.empty())));
        assertFalse(mount.hasTitle());
    }

    @Test
    void controlCharactersAreStripped() {
        Mount mount = live("/live", TestConfigs.mp3());
        song("/live", ADMIN, "  Line\u0000One\r\nTwo\u007f\t\u001b[31m  ");
        assertEquals("LineOneTwo[31m", mount.title());
        song("/live", ADMIN, "Café — 日本 It's \"q\"");
        assertEquals("Café — 日本 It's \"q\"", mount.title(), "printable text is kept as it is");
    }
}
