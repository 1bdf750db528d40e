package org.tinyice.adapters.persistence.memory;

import org.tinyice.application.port.out.ListenerStatistics;
import org.tinyice.application.port.out.ListenerStatisticsContract;

class InMemoryListenerStatisticsTest extends ListenerStatisticsContract {

    @Override
    protected ListenerStatistics newStatistics() {
        return new InMemoryListenerStatistics();
    }
}
