package org.tinyice.bootstrap.it;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Bounded polling: every wait in these tests ends, with a message that says what never happened. */
public final class Eventually {

    private Eventually() {
    }

    public static void await(Duration limit, String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        Throwable last = null;
        while (System.nanoTime() - deadline < 0) {
            try {
                if (condition.call()) {
                    return;
                }
                last = null;
            } catch (GiveUp e) {
                throw new AssertionError(what + ": " + e.getMessage(), e);
            } catch (Exception | AssertionError e) {
                last = e;
            }
            Thread.sleep(100);
        }
        AssertionError failure = new AssertionError("within " + limit.toMillis() + " ms: " + what);
        if (last != null) {
            failure.initCause(last);
        }
        throw failure;
    }

    /** Thrown by a condition that can never become true (the source process died): fail at once. */
    public static final class GiveUp extends RuntimeException {
        public GiveUp(String message) {
            super(message);
        }
    }
}
