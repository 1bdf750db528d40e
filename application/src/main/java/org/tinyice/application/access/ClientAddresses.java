package org.tinyice.application.access;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.function.Supplier;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.application.port.in.RecordedAddressQuery;

/**
 * Listener addresses as the operator's privacy setting ({@code client_addresses}) allows them to be
 * written down, in the access log and in the history: in full, as a salted hash, or not at all.
 * The salt is made at start and never stored, so hashes tell listeners apart within one run but
 * cannot be reversed or linked across restarts.
 */
public final class ClientAddresses implements RecordedAddressQuery {

    private final Supplier<ServerConfig> config;
    private final byte[] salt = new byte[16];

    public ClientAddresses(Supplier<ServerConfig> config) {
        this.config = config;
        new SecureRandom().nextBytes(salt);
    }

    @Override
    public Optional<String> forRecords(String address) {
        return switch (config.get().clientAddresses()) {
            case FULL -> Optional.of(address);
            case NONE -> Optional.empty();
            case HASHED -> Optional.of(Sha256.hex(salt, address.getBytes(StandardCharsets.UTF_8)).substring(0, 16));
        };
    }
}
