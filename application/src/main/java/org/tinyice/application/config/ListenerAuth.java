package org.tinyice.application.config;

import java.net.URI;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Who may listen to a mount ({@code "auth"} of a mount in {@code tinyice.json}). */
public sealed interface ListenerAuth {

    /** Anyone may listen (the default). */
    record None() implements ListenerAuth { }

    /** Listeners log in with HTTP Basic auth as one of these users (passwords hashed like the others). */
    record StaticUsers(Map<String, Secret> users) implements ListenerAuth {
        public StaticUsers {
            users = Collections.unmodifiableMap(new LinkedHashMap<>(users));
        }
    }

    /**
     * Icecast's URL authentication: TinyIce POSTs {@code action=listener_add} with the mount, the
     * client's address, user agent and credentials to {@code listenerAdd} and admits the listener when
     * the answer carries {@code icecast-auth-user: 1}; {@code action=listener_remove} with duration and
     * bytes is POSTed to {@code listenerRemove} when it leaves.
     *
     * @param timeout        how long to wait for the hook
     * @param admitWhenDown  what to do when the hook cannot be reached or times out
     */
    record UrlHook(URI listenerAdd, Optional<URI> listenerRemove, Duration timeout, boolean admitWhenDown)
            implements ListenerAuth {
        public UrlHook {
            requireHttp("listener_add", listenerAdd);
            listenerRemove.ifPresent(uri -> requireHttp("listener_remove", uri));
            Settings.requireBetween("timeout", timeout, ChronoUnit.SECONDS, 1, 300);
        }

        private static void requireHttp(String setting, URI uri) {
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                throw new InvalidSettingException("\"" + setting + "\" must be an http(s) URL: " + uri, setting);
            }
        }
    }

    ListenerAuth NONE = new None();
}
