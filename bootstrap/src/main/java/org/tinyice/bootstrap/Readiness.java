package org.tinyice.bootstrap;

import java.util.function.BooleanSupplier;

/** {@code /readyz}: true once everything started, false again as soon as shutdown begins. */
public final class Readiness implements BooleanSupplier {

    private volatile boolean ready;

    @Override
    public boolean getAsBoolean() {
        return ready;
    }

    void set(boolean ready) {
        this.ready = ready;
    }
}
