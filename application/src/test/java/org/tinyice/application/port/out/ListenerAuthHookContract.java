package org.tinyice.application.port.out;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tinyice.application.port.out.ListenerAuthHook.Decision;
import org.tinyice.application.port.out.ListenerAuthHook.ListenerAdd;
import org.tinyice.application.port.out.ListenerAuthHook.ListenerRemove;

/**
 * What every {@link ListenerAuthHook} must do. An adapter's test extends this class and says how to
 * make a hook endpoint that behaves one way, and what such an endpoint was told.
 */
public abstract class ListenerAuthHookContract {

    /** How an operator's hook answers. */
    protected enum Behaviour {
        /** admits every listener */
        ADMITS,
        /** refuses every listener */
        DENIES,
        /** fails with a server error */
        FAILS,
        /** answers only after {@link #SLOW} */
        HANGS,
        /** nothing listens there */
        DOWN
    }

    protected static final Duration TIMEOUT = Duration.ofMillis(500);
    protected static final Duration SLOW = Duration.ofSeconds(5);

    protected abstract ListenerAuthHook hook();

    /** An endpoint of the given behaviour, for this test alone. */
    protected abstract URI endpoint(Behaviour behaviour) throws Exception;

    /** The listener additions the endpoint was asked about, in order. */
    protected abstract List<ListenerAdd> additionsSeenBy(URI endpoint);

    /** The removals the endpoint was told of so far, in order. */
    protected abstract List<ListenerRemove> removalsSeenBy(URI endpoint);

    private static final ListenerAdd ADD =
            new ListenerAdd(7, "/live", "192.0.2.10", "VLC/3.0 \"quoted\" & more", "alice", "p&ss=word");
    private static final ListenerRemove REMOVE =
            new ListenerRemove(7, "/live", "192.0.2.10", "VLC/3.0", "alice", 42, 123_456);

    @Test
    void aHookThatAdmitsAdmitsAndHearsEveryField() throws Exception {
        URI endpoint = endpoint(Behaviour.ADMITS);

        assertEquals(Decision.ADMIT, hook().listenerAdd(endpoint, ADD, TIMEOUT));
        assertEquals(List.of(ADD), additionsSeenBy(endpoint));
    }

    @Test
    void aHookThatRefusesDenies() throws Exception {
        assertEquals(Decision.DENY, hook().listenerAdd(endpoint(Behaviour.DENIES), ADD, TIMEOUT));
    }

    @Test
    void aFailingSlowOrMissingHookIsUnreachableSoTheMountsDefaultApplies() throws Exception {
        assertEquals(Decision.UNREACHABLE, hook().listenerAdd(endpoint(Behaviour.FAILS), ADD, TIMEOUT));
        assertEquals(Decision.UNREACHABLE, hook().listenerAdd(endpoint(Behaviour.DOWN), ADD, TIMEOUT));

        long start = System.nanoTime();
        assertEquals(Decision.UNREACHABLE, hook().listenerAdd(endpoint(Behaviour.HANGS), ADD, TIMEOUT));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(SLOW) < 0, "a hanging hook held the listener " + took + ", not about " + TIMEOUT);
    }

    @Test
    void aRemovalReachesTheHookWithoutHoldingTheCaller() throws Exception {
        URI hanging = endpoint(Behaviour.HANGS);
        long start = System.nanoTime();
        hook().listenerRemove(hanging, REMOVE);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(SLOW) < 0, "listenerRemove blocked for " + took);

        URI admitting = endpoint(Behaviour.ADMITS);
        hook().listenerRemove(admitting, REMOVE);
        long deadline = System.nanoTime() + SLOW.toNanos();
        while (removalsSeenBy(admitting).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(List.of(REMOVE), removalsSeenBy(admitting));
    }

    @Test
    void aRemovalToAHookThatIsDownIsDroppedQuietly() throws Exception {
        hook().listenerRemove(endpoint(Behaviour.DOWN), REMOVE);
    }
}
