package io.vigil.trainer.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What the training benchmarks measure around a piece of work: the sum of the heap pools' peaks (an
 * upper bound of the simultaneous peak; it includes garbage not yet collected), what the calling
 * thread allocated on the heap, collections and their time, and the process's peak resident set
 * (Linux VmHWM, reset at the start; -1 where that is not possible), which alone shows XGBoost's
 * native memory.
 */
final class BenchMemory {

    static final double MB = 1024.0 * 1024.0;

    /**
     * The figures of one measured piece of work.
     *
     * @param startRss the resident set when the work started, or -1
     */
    record Usage(
            long peakHeap,
            long allocated,
            long gcCount,
            long gcMillis,
            long startRss,
            long peakRss) {

        String peakRssText() {
            return peakRss < 0 ? "n/a" : Math.round(peakRss / MB) + " MB";
        }

        /** The peak and how far it rose above the start, e.g. {@code 850 MB (+43)}. */
        String rssGrowthText() {
            return peakRss < 0 || startRss < 0
                    ? "n/a"
                    : String.format(
                            Locale.ROOT,
                            "%d MB (+%d)",
                            Math.round(peakRss / MB),
                            Math.round((peakRss - startRss) / MB));
        }
    }

    private final List<MemoryPoolMXBean> heap =
            ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(p -> p.getType() == MemoryType.HEAP)
                    .toList();
    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private boolean rssReset;
    private long gcCount;
    private long gcMillis;
    private long allocated;
    private long startRss;

    /** Collects garbage, then resets every peak. */
    void start() {
        System.gc();
        heap.forEach(MemoryPoolMXBean::resetPeakUsage);
        rssReset = resetPeakRss();
        startRss = rss();
        gcCount = gcCount();
        gcMillis = gcMillis();
        allocated = threads.getCurrentThreadAllocatedBytes();
    }

    /** The figures since {@link #start()}. */
    Usage stop() {
        return new Usage(
                heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum(),
                threads.getCurrentThreadAllocatedBytes() - allocated,
                gcCount() - gcCount,
                gcMillis() - gcMillis,
                startRss,
                rssReset ? statusKb("VmHWM:") * 1024 : -1);
    }

    /** Heap in use after a collection, in bytes. */
    static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** The process's resident set now (Linux VmRSS), in bytes, or -1. */
    static long rss() {
        long kb = statusKb("VmRSS:");
        return kb < 0 ? -1 : kb * 1024;
    }

    private static long gcCount() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionCount)
                .sum();
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionTime)
                .sum();
    }

    // Linux: writing 5 to clear_refs resets the process's peak resident set (VmHWM).
    private static boolean resetPeakRss() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    private static long statusKb(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
