package org.tinyice.application.health;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.tinyice.application.port.in.FaultsQuery;

/**
 * The board of faults in force, one per part. A part that keeps failing (once per write, per chunk,
 * per listener) is logged once when it starts failing and once when it works again, never in between:
 * a full disk must not fill the rest of the disk, or the console, with the same line.
 *
 * <p>A fault may carry a check that tells, without waiting for the next real write, whether its cause
 * is gone ({@link #recheck()}, called every few seconds by the server); a fault without one is cleared
 * by the next write that succeeds ({@link #cleared}).
 */
public final class Faults implements FaultsQuery {

    private static final System.Logger LOG = System.getLogger(Faults.class.getName());
    private static final BooleanSupplier NO_CHECK = () -> false;

    private final Clock clock;
    private final Map<String, Entry> faults = new ConcurrentHashMap<>();

    public Faults(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Records that {@code part} fails; logs it only when it was not failing already. */
    public void failed(String part, String problem, Throwable cause) {
        failed(part, problem, cause, NO_CHECK);
    }

    /**
     * Records that {@code part} fails, with {@code healed}: true once the cause is gone (asked by
     * {@link #recheck()}, never concurrently with itself).
     */
    public void failed(String part, String problem, Throwable cause, BooleanSupplier healed) {
        Entry fresh = new Entry(new Fault(part, problem, clock.instant()), healed);
        if (faults.putIfAbsent(part, fresh) == null) {
            LOG.log(Level.WARNING, part + " fails: " + problem + "; streaming goes on, further failures of the "
                    + part + " are not logged until it works again", cause);
        }
    }

    /** Records that {@code part} works (again); logs the recovery when it was failing. */
    public void cleared(String part) {
        Entry gone = faults.remove(part);
        if (gone != null) {
            LOG.log(Level.INFO, part + " works again after "
                    + Duration.between(gone.fault.since(), clock.instant()).toSeconds() + " s");
        }
    }

    /** Whether {@code part} is failing now. */
    public boolean failing(String part) {
        return faults.containsKey(part);
    }

    /** Clears the faults whose check says their cause is gone. */
    public synchronized void recheck() {
        for (Entry entry : List.copyOf(faults.values())) {
            boolean healed;
            try {
                healed = entry.healed.getAsBoolean();
            } catch (RuntimeException e) {
                healed = false;
            }
            if (healed) {
                cleared(entry.fault.part());
            }
        }
    }

    @Override
    public List<Fault> faults() {
        List<Fault> list = new ArrayList<>();
        faults.values().forEach(entry -> list.add(entry.fault));
        list.sort(Comparator.comparing(Fault::since).thenComparing(Fault::part));
        return list;
    }

    private record Entry(Fault fault, BooleanSupplier healed) { }
}
