package org.tinyice.application.port.in;

/** What an operator does to live mounts: Icecast's killclient, killsource and moveclients. */
public interface AdministerMountsUseCase {

    KillListenerResult killListener(String mountPath, long listenerId);

    /** @return false when no source streams to that mount */
    boolean killSource(String mountPath);

    MoveListenersResult moveListeners(String fromMountPath, String toMountPath);

    sealed interface KillListenerResult {
        record Killed() implements KillListenerResult { }

        record NoSuchMount() implements KillListenerResult { }

        record NoSuchListener() implements KillListenerResult { }
    }

    sealed interface MoveListenersResult {
        record Moved(int listeners) implements MoveListenersResult { }

        record NoSuchMount() implements MoveListenersResult { }

        record NoSuchDestination() implements MoveListenersResult { }

        record SameMount() implements MoveListenersResult { }
    }
}
