package org.tinyice.application.port.out;

/**
 * A store cannot be written for now, for a reason outside the program that may go away by itself: the
 * disk is full, another process holds the database's lock, the file or its directory is gone or read
 * only. Whoever queued the write keeps it and tries again; any other exception means the write itself
 * is refused and trying again would not help.
 */
public final class StorageUnavailableException extends RuntimeException {

    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
