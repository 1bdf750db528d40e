package org.tinyice.adapters.persistence.memory;

import org.tinyice.application.port.out.SongHistory;
import org.tinyice.application.port.out.SongHistoryContract;

class InMemorySongHistoryTest extends SongHistoryContract {

    @Override
    protected SongHistory newHistory() {
        return new InMemorySongHistory();
    }
}
