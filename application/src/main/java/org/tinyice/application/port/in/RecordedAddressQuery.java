package org.tinyice.application.port.in;

import java.util.Optional;

/**
 * A client's address as the operator's privacy setting ({@code client_addresses}) lets it be written
 * down (in the access log, in the history): in full, as a salted hash, or not at all.
 */
public interface RecordedAddressQuery {

    /** The address to record, or empty when addresses are not kept. */
    Optional<String> forRecords(String address);
}
