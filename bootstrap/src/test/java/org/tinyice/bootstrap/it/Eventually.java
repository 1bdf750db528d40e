package org.tinyice.bootstrap.it;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Bounded polling: every wait in these tests ends, with a message that says what never happened. */
public final class Eventually {

    private Eventually() {
    }

    public static void await(Duration limit, String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        Exception last = null;
        while (System.nanoTime() - deadline < 0) {
            try {
                if (condition.call()) {
                    return;
                }
                last = null;
            } catch (Exception e) {
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
}
