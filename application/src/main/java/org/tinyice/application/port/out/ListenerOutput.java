package org.tinyice.application.port.out;

/**
 * Where one listener's audio goes: the transport's only job on the write path. Everything else (the
 * burst, moves, Ogg headers, ICY metadata, when a slow listener is dropped) is decided by
 * {@link org.tinyice.application.port.in.ListenerFeed}, so every transport behaves the same.
 */
@FunctionalInterface
public interface ListenerOutput {

    /**
     * Writes these bytes to the listener. Throws (any unchecked exception) when the listener is gone;
     * the caller then stops feeding it.
     */
    void write(byte[] bytes, int offset, int length);
}
