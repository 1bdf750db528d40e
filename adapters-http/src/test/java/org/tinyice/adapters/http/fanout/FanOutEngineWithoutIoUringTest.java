package org.tinyice.adapters.http.fanout;

/**
 * Every {@link FanOutEngineTest} again with one {@code write} per listener: the path taken where the
 * kernel refuses io_uring (and by listeners waiting for {@code OP_WRITE} or just arrived, on any kernel).
 */
class FanOutEngineWithoutIoUringTest extends FanOutEngineTest {

    @Override
    FanOutEngine newEngine(int threads) {
        return new FanOutEngine(threads, STALL_NANOS, false);
    }
}
