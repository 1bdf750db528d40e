package org.tinyice.application.stream;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * A nanosecond clock that moves only when a test says so, and the sleeper that goes with it: a file
 * player sleeps until the test has moved the clock past its wake-up time. One player at a time.
 */
final class ManualTime implements LongSupplier, FileMounts.Sleeper {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private long now = 1_000_000_000L;
    private long wakeAt;
    private boolean asleep;

    @Override
    public long getAsLong() {
        lock.lock();
        try {
            return now;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void sleepNanos(long nanos) throws InterruptedException {
        lock.lock();
        try {
            wakeAt = now + nanos;
            asleep = true;
            changed.signalAll();
            while (now < wakeAt) {
                changed.await();
            }
        } finally {
            asleep = false;
            lock.unlock();
        }
    }

    void advance(Duration duration) {
        lock.lock();
        try {
            now += duration.toNanos();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the player has sent all that is due by now and sleeps until a later time. */
    void awaitCaughtUp() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        lock.lock();
        try {
            while (!(asleep && wakeAt > now)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("the player never caught up with the clock");
                }
                changed.await(left, TimeUnit.NANOSECONDS);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Moves the clock on in steps of {@code step}, letting the player catch up after each. */
    void play(Duration total, Duration step) throws InterruptedException {
        for (long done = 0; done < total.toNanos(); done += step.toNanos()) {
            advance(step);
            awaitCaughtUp();
        }
    }
}
