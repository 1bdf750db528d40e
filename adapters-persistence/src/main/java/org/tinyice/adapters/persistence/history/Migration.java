package org.tinyice.adapters.persistence.history;

import java.util.List;

/**
 * One step of the schema: the SQL that takes a database from {@code version - 1} to {@code version}.
 * Applied in one transaction together with raising {@code PRAGMA user_version}, so a database is always
 * at one version, never between two.
 */
record Migration(int version, String description, List<String> statements) {

    Migration {
        if (version < 1) {
            throw new IllegalArgumentException("versions start at 1: " + version);
        }
        statements = List.copyOf(statements);
    }
}
