package org.tinyice.adapters.persistence.memory;

import org.tinyice.application.port.out.ListenerSessions;
import org.tinyice.application.port.out.ListenerSessionsContract;

class InMemoryListenerSessionsTest extends ListenerSessionsContract {

    @Override
    protected ListenerSessions newSessions() {
        return new InMemoryListenerSessions();
    }
}
