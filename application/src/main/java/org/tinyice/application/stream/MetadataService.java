package org.tinyice.application.stream;

import java.time.Clock;
import java.util.Optional;
import java.util.function.Consumer;
import org.tinyice.application.access.CredentialChecker;
import org.tinyice.application.history.HistoryEvent;
import org.tinyice.application.port.in.AccessPolicy;
import org.tinyice.application.port.in.AccessPolicy.Action;
import org.tinyice.application.port.in.Principal;
import org.tinyice.application.port.in.UpdateMetadataUseCase;
import org.tinyice.domain.mount.Mount;
import org.tinyice.domain.mount.MountRegistry;

/**
 * Sets a mount's now-playing title, for whom the {@link AccessPolicy} allows it: given credentials may be
 * the admin's or the mount's source credentials, as in Icecast. The title reaches ICY listeners at the
 * current stream position.
 */
public final class MetadataService implements UpdateMetadataUseCase {

    private final MountRegistry mounts;
    private final CredentialChecker credentials;
    private final AccessPolicy policy;
    private final Consumer<HistoryEvent> history;
    private final Clock clock;

    /**
     * @param history receives every title change (the history recorder's non-blocking offer)
     */
    public MetadataService(MountRegistry mounts, CredentialChecker credentials, AccessPolicy policy,
                           Consumer<HistoryEvent> history, Clock clock) {
        this.mounts = mounts;
        this.credentials = credentials;
        this.policy = policy;
        this.history = history;
        this.clock = clock;
    }

    public MetadataService(MountRegistry mounts, CredentialChecker credentials, AccessPolicy policy) {
        this(mounts, credentials, policy, event -> { }, Clock.systemUTC());
    }

    @Override
    public MetadataUpdate update(UpdateMetadataCommand command) {
        return credentials.adminOrSourcePrincipal(command.mountPath(), command.credentials(), command.remoteAddress())
                .map(who -> updateAs(who, command))
                .orElseGet(MetadataUpdate.Unauthorized::new);
    }

    @Override
    public MetadataUpdate updateAs(Principal who, UpdateMetadataCommand command) {
        return policy.allows(who, Action.SET_TITLE, command.mountPath()) ? apply(command)
                : new MetadataUpdate.Unauthorized();
    }

    private MetadataUpdate apply(UpdateMetadataCommand command) {
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
        setTitle(mount.get(), sanitize(title.get()));
        return new MetadataUpdate.Updated();
    }

    /**
     * A relay's upstream sent a title ({@link Relays}): set as {@code /admin/metadata} sets one, so
     * status, ICY listeners and the history see it the same way. Upstreams repeat the title in the
     * first block of every new connection; a title that is already in force is not recorded again.
     */
    void relayedTitle(Mount mount, String title) {
        String clean = sanitize(title);
        if (clean.isEmpty() && !mount.hasTitle()) {
            return; // "StreamTitle='';" from an upstream that has no title yet: nothing was playing to record
        }
        if (mount.format().carriesIcyMetadata() && !(mount.hasTitle() && mount.title().equals(clean))) {
            setTitle(mount, clean);
        }
    }

    private void setTitle(Mount mount, String clean) {
        mount.title(clean);
        history.accept(new HistoryEvent.TitleChanged(mount.path(), clean, clock.instant(), mount.listenerCount()));
    }

    /** Control characters would break the ICY block and the status JSON consumers; drop them. */
    private static String sanitize(String title) {
        StringBuilder clean = new StringBuilder(title.length());
        title.codePoints().filter(c -> c >= 0x20 && c != 0x7F).forEach(clean::appendCodePoint);
        return clean.toString().strip();
    }
}
