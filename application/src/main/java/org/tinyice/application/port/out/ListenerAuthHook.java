package org.tinyice.application.port.out;

import java.net.URI;
import java.time.Duration;


/** An operator's web service that decides who may listen (Icecast's URL authentication). */
public interface ListenerAuthHook {

    /** Asks whether to admit a listener; blocks at most {@code timeout}. */
    Decision listenerAdd(URI url, ListenerAdd request, Duration timeout);

    /** Tells the hook a listener left; never blocks the caller. */
    void listenerRemove(URI url, ListenerRemove notice);

    record ListenerAdd(long clientId, String mount, String address, String userAgent, String user, String password) { }

    record ListenerRemove(long clientId, String mount, String address, String userAgent, String user,
                          long durationSeconds, long bytesSent) { }

    enum Decision {
        ADMIT,
        DENY,
        /** The hook could not be asked (down, timed out, answered an error): the mount's default applies. */
        UNREACHABLE
    }

    /** Used when nothing better is wired: every hook is unreachable. */
    ListenerAuthHook UNREACHABLE = new ListenerAuthHook() {
        @Override
        public Decision listenerAdd(URI url, ListenerAdd request, Duration timeout) {
            return Decision.UNREACHABLE;
        }

        @Override
        public void listenerRemove(URI url, ListenerRemove notice) {
        }
    };

}
