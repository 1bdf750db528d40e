package org.tinyice.application.port.in;

import java.time.Instant;
import java.util.List;

/**
 * What is failing now while the server keeps streaming: a full disk under the history, a locked
 * database, a configuration file that cannot be written, a vanished data directory. Shown on
 * {@code /readyz} and on the dashboard; each fault goes away by itself when its cause does.
 */
public interface FaultsQuery {

    /** The faults in force, oldest first; empty when all is well. */
    List<Fault> faults();

    /**
     * @param part    what fails, e.g. "history database", "configuration file", "access log"
     * @param problem what it says, for the operator
     * @param since   when it started failing
     */
    record Fault(String part, String problem, Instant since) { }
}
