package org.tinyice.application.port.out;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Asks an origin which mounts it has, as Icecast's slave does: {@code GET /admin/streamlist.txt} with
 * the relay account's Basic auth, answered with one mount per line.
 */
public interface StreamListClient {

    Listing fetch(URI url, String username, Optional<String> password, Duration timeout);

    sealed interface Listing {
        /** The mounts, in the origin's order; lines that are no mount path are left out. */
        record Listed(List<String> mounts) implements Listing {
            public Listed {
                mounts = List.copyOf(mounts);
            }
        }

        /** No list: {@code why} is what the log says (unreachable, 401, not a list). */
        record Failed(String why) implements Listing { }
    }
}
