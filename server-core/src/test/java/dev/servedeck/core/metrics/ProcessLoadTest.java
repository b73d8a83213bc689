package dev.servedeck.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProcessLoadTest {

    private final AtomicLong cpu = new AtomicLong();
    private final AtomicLong wall = new AtomicLong();
    private final ProcessLoad load = new ProcessLoad(cpu::get, wall::get);

    @Test
    void cpuIsCoresBusyBetweenTwoReadingsAndASoonerReadingRepeatsTheLast() {
        assertThat(load.read().cpuCores()).as("no window yet").isNaN();

        wall.addAndGet(1_000_000_000L);
        cpu.addAndGet(1_500_000_000L); // 1.5 s of CPU in 1 s: one and a half cores
        assertThat(load.read().cpuCores()).isEqualTo(1.5);

        wall.addAndGet(100_000_000L);
        cpu.addAndGet(100_000_000L); // 0.1 s later: too short a window to mean anything
        assertThat(load.read().cpuCores()).isEqualTo(1.5);

        wall.addAndGet(900_000_000L);
        assertThat(load.read().cpuCores()).as("0.1 s of CPU over the 1 s since the last window")
                .isCloseTo(0.1, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void residentMemoryIsVmRssOfProcStatus() {
        assertThat(ProcessLoad.residentBytesIn(List.of("Name:\tjava", "VmPeak:\t 9000 kB", "VmRSS:\t  123456 kB",
                "Threads:\t40"))).isEqualTo(123456L * 1024);
        assertThat(ProcessLoad.residentBytesIn(List.of("Name:\tjava"))).isZero();
    }

    @Test
    void theRealProcessHasResidentMemoryAndUsesCpu() throws InterruptedException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        ProcessLoad real = new ProcessLoad();
        real.read();
        long wallBefore = System.nanoTime();
        long threadBefore = threads.getCurrentThreadCpuTime();
        long spin = 0;
        while (System.nanoTime() < wallBefore + 600_000_000L) {
            spin += Long.numberOfTrailingZeros(spin + System.nanoTime());
        }
        ProcessLoad.Reading reading = real.read();
        double thisThread = (threads.getCurrentThreadCpuTime() - threadBefore) / (double) (System.nanoTime()
                - wallBefore);
        // However busy the shared machine is, the process used at least what this spinning thread got.
        assertThat(reading.cpuCores()).as("this thread spun for 0.6 s (%d) and got %.2f of a core", spin, thisThread)
                .isGreaterThan(0.9 * thisThread).isPositive();
        if (System.getProperty("os.name").startsWith("Linux")) {
            assertThat(reading.residentBytes()).isGreaterThan(Runtime.getRuntime().totalMemory()
                    - Runtime.getRuntime().freeMemory());
        }
    }
}
