package dev.servedeck.core.grpc.admin;

import dev.servedeck.core.metrics.ProcessLoad;
import dev.servedeck.proto.admin.v1.HostResources;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;

/** The host and the JVM as they are now, from the JVM's management beans (a container's limits where it sees them). */
final class HostResourcesReader {

    private HostResourcesReader() {
    }

    /** @param process this server's meter (its CPU figure is measured between two reads) */
    static HostResources read(ProcessLoad process) {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        HostResources.Builder host = HostResources.newBuilder()
                .setAvailableProcessors(Runtime.getRuntime().availableProcessors())
                .setHeapUsedBytes(heap.getUsed())
                .setHeapCommittedBytes(heap.getCommitted())
                .setHeapMaxBytes(heap.getMax())
                .setOs(os.getName() + " " + os.getVersion() + " " + os.getArch())
                .setJavaVersion(Runtime.version().toString())
                .setLoadAverage(os.getSystemLoadAverage());
        ProcessLoad.Reading load = process.read();
        host.setProcessCpuCores(load.cpuCores()).setProcessResidentBytes(load.residentBytes());
        // The JDK's extension knows physical memory (and a container's limit); other JVMs may not have it.
        if (os instanceof com.sun.management.OperatingSystemMXBean memory) {
            host.setTotalMemoryBytes(memory.getTotalMemorySize()).setFreeMemoryBytes(memory.getFreeMemorySize());
        }
        return host.build();
    }
}
