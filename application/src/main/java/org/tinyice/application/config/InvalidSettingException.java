package org.tinyice.application.config;

import java.util.List;

/**
 * A setting outside what it may be. The message names the setting as {@code tinyice.json} spells it,
 * so the dashboard can show it as it is and the configuration file can add where it stands.
 */
public final class InvalidSettingException extends IllegalArgumentException {

    private final List<String> settings;

    /** @param settings the keys the problem is about, the one most to blame first */
    InvalidSettingException(String message, String... settings) {
        super(message);
        this.settings = List.of(settings);
    }

    /** The keys of {@code tinyice.json} the problem is about, the one most to blame first. */
    public List<String> settings() {
        return settings;
    }
}
