package org.tinyice.application.service;

import java.util.Optional;
import org.tinyice.application.port.in.UpdateMetadataUseCase;
import org.tinyice.domain.mount.Mount;
import org.tinyice.domain.mount.MountRegistry;

/**
 * Sets a mount's now-playing title. Allowed with the admin's credentials or the mount's source
 * credentials, as in Icecast. The title reaches ICY listeners at the current stream position.
 */
public final class MetadataService implements UpdateMetadataUseCase {

    private final MountRegistry mounts;
    private final CredentialChecker credentials;

    public MetadataService(MountRegistry mounts, CredentialChecker credentials) {
        this.mounts = mounts;
        this.credentials = credentials;
    }

    @Override
    public MetadataUpdate update(UpdateMetadataCommand command) {
        boolean allowed = credentials.isAdmin(command.credentials())
                || credentials.maySource(command.mountPath(), command.credentials());
        if (!allowed) {
            return new MetadataUpdate.Unauthorized();
        }
        Optional<Mount> mount = mounts.find(command.mountPath());
        if (mount.isEmpty()) {
            return new MetadataUpdate.NoSuchMount();
        }
        if (!mount.get().format().carriesIcyMetadata()) {
            return new MetadataUpdate.NotAcceptedForFormat();
        }
        Optional<String> title = command.streamTitle();
        if (title.isEmpty()) {
            return new MetadataUpdate.MissingTitle();
        }
        mount.get().title(sanitize(title.get()));
        return new MetadataUpdate.Updated();
    }

    /** Control characters would break the ICY block and the status JSON consumers; drop them. */
    private static String sanitize(String title) {
        StringBuilder clean = new StringBuilder(title.length());
        title.codePoints().filter(c -> c >= 0x20 && c != 0x7F).forEach(clean::appendCodePoint);
        return clean.toString().strip();
    }
}
