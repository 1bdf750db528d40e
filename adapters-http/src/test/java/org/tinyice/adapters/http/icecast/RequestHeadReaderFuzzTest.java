package org.tinyice.adapters.http.icecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.helidon.common.buffers.DataReader;
import java.util.Arrays;

/**
 * Every connection's first bytes go through {@link RequestHeadReader}. For any bytes, split into any
 * reads: a head, or {@link RequestHeadReader.BadRequest} with a 4xx status, or the end of the input
 * ({@link DataReader.InsufficientDataAvailableException}, how a closed connection shows), nothing else.
 * A head that is read has a method that is a token, at most {@code MAX_HEADERS} headers with names and
 * no line breaks, and its path and credentials can be asked for without failing.
 */
class RequestHeadReaderFuzzTest {

    @FuzzTest(maxDuration = "2m")
    void readsAHeadOrRefusesItAsABadRequest(FuzzedDataProvider data) {
        int slice = data.consumeInt(1, 4096);
        byte[] input = data.consumeRemainingAsBytes();
        int[] position = {0};
        DataReader reader = new DataReader(() -> {
            if (position[0] >= input.length) {
                return null; // the peer closed the connection
            }
            int end = Math.min(input.length, position[0] + slice);
            byte[] read = Arrays.copyOfRange(input, position[0], end);
            position[0] = end;
            return read;
        });
        RequestHead head;
        try {
            head = RequestHeadReader.read(reader);
        } catch (RequestHeadReader.BadRequest e) {
            assertTrue(e.status >= 400 && e.status < 500, "status " + e.status);
            return;
        } catch (DataReader.InsufficientDataAvailableException endOfInput) {
            return;
        }
        assertFalse(head.method().isEmpty());
        assertTrue(head.headers().size() <= RequestHeadReader.MAX_HEADERS);
        for (RequestHead.Header header : head.headers()) {
            assertFalse(header.name().isEmpty());
            assertFalse(header.name().contains(":"));
            assertFalse(header.value().contains("\n"));
            assertEquals(header.value(), head.header(header.name()).map(v -> header.value()).orElseThrow());
        }
        head.path();
        head.rawPath();
        head.credentials();
        head.announcesBody();
        head.wantsKeepAlive();
    }
}
