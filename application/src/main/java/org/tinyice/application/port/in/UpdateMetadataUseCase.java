package org.tinyice.application.port.in;

import java.util.Optional;

/** Now-playing update ({@code /admin/metadata?mode=updinfo}). */
public interface UpdateMetadataUseCase {

    /**
     * With the command's credentials: the admin's or the mount's source credentials, as in Icecast, when
     * the {@link AccessPolicy} lets that principal set the title.
     */
    MetadataUpdate update(UpdateMetadataCommand command);

    /**
     * For a principal the caller has checked already (an API token's user, the API's admin): when the
     * {@link AccessPolicy} lets it set the mount's title. The command's credentials are not looked at.
     */
    MetadataUpdate updateAs(Principal who, UpdateMetadataCommand command);

    /**
     * Either {@code song}, or {@code artist} and/or {@code title} (joined as "artist - title").
     *
     * @param remoteAddress the client's address: failed credentials count against it
     */
    record UpdateMetadataCommand(String mountPath, Optional<Credentials> credentials, String remoteAddress,
                                 Optional<String> song, Optional<String> artist, Optional<String> title) {

        /** The title to show, or empty when the request carried none. */
        public Optional<String> streamTitle() {
            if (song.isPresent()) {
                return song;
            }
            if (artist.isPresent() && title.isPresent()) {
                return Optional.of(artist.get() + " - " + title.get());
            }
            return artist.or(() -> title);
        }
    }

    sealed interface MetadataUpdate {
        record Updated() implements MetadataUpdate { }

        record Unauthorized() implements MetadataUpdate { }

        record NoSuchMount() implements MetadataUpdate { }

        record MissingTitle() implements MetadataUpdate { }

        /** Ogg streams carry their own comments; Icecast refuses updates there (but says return 1). */
        record NotAcceptedForFormat() implements MetadataUpdate { }
    }
}
