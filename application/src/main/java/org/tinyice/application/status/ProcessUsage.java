package org.tinyice.application.status;

/** The process's own heap and CPU, for the live view. */
public interface ProcessUsage {

    long heapUsed();

    long heapMax();

    /** CPU time the process has used since it started, all threads, in nanoseconds. */
    long cpuNanos();

    int processors();

    /** This JVM, from {@link Runtime} and {@link ProcessHandle} (plain {@code java.lang}). */
    static ProcessUsage jvm() {
        return new ProcessUsage() {
            @Override
            public long heapUsed() {
                Runtime runtime = Runtime.getRuntime();
                return runtime.totalMemory() - runtime.freeMemory();
            }

            @Override
            public long heapMax() {
                return Runtime.getRuntime().maxMemory();
            }

            @Override
            public long cpuNanos() {
                return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
            }

            @Override
            public int processors() {
                return Runtime.getRuntime().availableProcessors();
            }
        };
    }
}
