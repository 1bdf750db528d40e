package org.tinyice.adapters.http.icecast;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.tinyice.application.config.Limits;

/**
 * Open connections by client address, so that one host cannot take every connection (and every file
 * descriptor) the server has. Touched once when a connection is accepted and once when it ends,
 * never while it streams.
 */
final class ConnectionsPerAddress {

    enum Admission {
        /** Counted: call {@link #release} when the connection ends. */
        COUNTED,
        /** Not counted (no limit, or a loopback address the limit does not hold for). */
        EXEMPT,
        /** The address already holds its limit: close the connection. */
        REFUSED
    }

    private final ConcurrentHashMap<InetAddress, Integer> open = new ConcurrentHashMap<>();
    private final AtomicLong refused = new AtomicLong();

    Admission admit(InetAddress address, Limits limits) {
        int max = limits.maxConnectionsPerAddress();
        if (max == 0 || address.isLoopbackAddress() && !limits.perAddressIncludesLoopback()) {
            return Admission.EXEMPT;
        }
        boolean[] admitted = {false};
        open.compute(address, (key, count) -> {
            int now = count == null ? 0 : count;
            if (now >= max) {
                return count;
            }
            admitted[0] = true;
            return now + 1;
        });
        if (!admitted[0]) {
            refused.incrementAndGet();
            return Admission.REFUSED;
        }
        return Admission.COUNTED;
    }

    /** Connections refused since start because their address held its limit. */
    long refused() {
        return refused.get();
    }

    void release(InetAddress address) {
        open.computeIfPresent(address, (key, count) -> count == 1 ? null : count - 1);
    }
}
