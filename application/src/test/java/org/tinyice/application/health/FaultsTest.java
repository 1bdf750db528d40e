package org.tinyice.application.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tinyice.application.port.in.FaultsQuery.Fault;

class FaultsTest {

    private static final Instant NOON = Instant.parse("2025-03-01T12:00:00Z");

    private final Faults faults = new Faults(Clock.fixed(NOON, ZoneOffset.UTC));
    private final List<String> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Logger logger = Logger.getLogger(Faults.class.getName());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record.getLevel() + " " + record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        logger.addHandler(capture);
    }

    @AfterEach
    void stopListening() {
        logger.removeHandler(capture);
    }

    @Test
    void aPartThatKeepsFailingIsLoggedOnceAndItsRecoveryOnce() {
        for (int i = 0; i < 1000; i++) {
            faults.failed("history database", "disk full", null);
        }
        faults.cleared("history database");
        faults.cleared("history database");

        assertEquals(2, logged.size(), logged.toString());
        assertTrue(logged.get(0).startsWith("WARNING history database fails: disk full"), logged.get(0));
        assertTrue(logged.get(1).startsWith("INFO history database works again"), logged.get(1));
    }

    @Test
    void listsEachFailingPartWithWhenItStarted() {
        faults.failed("history database", "disk full", null);
        faults.failed("access log", "disk full", null);

        assertEquals(List.of(new Fault("access log", "disk full", NOON), new Fault("history database", "disk full", NOON)),
                faults.faults());
        faults.cleared("access log");
        assertEquals(1, faults.faults().size());
    }

    @Test
    void aRecheckClearsOnlyTheFaultsWhoseCauseIsGone() {
        AtomicBoolean writable = new AtomicBoolean();
        faults.failed("configuration file", "read-only", null, writable::get);
        faults.failed("history database", "locked", null);

        faults.recheck();
        assertEquals(2, faults.faults().size());

        writable.set(true);
        faults.recheck();
        assertEquals(List.of("history database"), faults.faults().stream().map(Fault::part).toList());
    }
}
