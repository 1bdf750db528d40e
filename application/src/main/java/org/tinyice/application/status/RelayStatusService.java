package org.tinyice.application.status;

import java.util.List;
import org.tinyice.application.port.in.AccessPolicy;
import org.tinyice.application.port.in.AccessPolicy.Action;
import org.tinyice.application.port.in.Principal;
import org.tinyice.application.port.in.RelayStatusQuery;
import org.tinyice.application.stream.Relays;

/** The relays' state as a viewer may see it: a relay is shown to whoever may see its mount's status. */
public final class RelayStatusService implements RelayStatusQuery {

    private final Relays relays;
    private final AccessPolicy policy;

    public RelayStatusService(Relays relays, AccessPolicy policy) {
        this.relays = relays;
        this.policy = policy;
    }

    @Override
    public List<RelayStatus> relays(Principal viewer) {
        return relays.statuses().stream()
                .filter(relay -> policy.allows(viewer, Action.READ_STATUS, relay.mount()))
                .toList();
    }
}
