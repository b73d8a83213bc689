package dev.servedeck.core.tensorflow;

import org.bytedeco.javacpp.Pointer;

/**
 * JavaCPP, the native bridge under TensorFlow Java, checks the process's physical memory every time it registers a
 * native allocation: it reads {@code /proc/self/statm} while holding one JVM-wide lock. Every {@code Session.run}
 * registers several such allocations, so on the 2-core benchmark machine the check took about a fifth of the
 * server's CPU on both the REST and the gRPC path and made the request threads queue for the lock: switching it
 * off took REST half_plus_two at c64 from 22-28k to 44-53k req/s (p99 12 ms to 3-6 ms), gRPC from 26-33k to
 * 52-55k calls/s (README, Benchmarks).
 *
 * <p>The check exists to make the garbage collector free unreachable native memory before the process outgrows a
 * limit (a multiple of -Xmx; a model larger than that limit even fails to load with JavaCPP's "Physical memory
 * usage is too high"). ServeDeck closes every tensor and result itself and does not rely on the collector, so it
 * switches the check off, unless the operator set a limit with {@code -Dorg.bytedeco.javacpp.maxPhysicalBytes}.
 */
public final class JavaCppPhysicalMemoryCheck {

    /** JavaCPP reads both spellings. */
    static final String PROPERTY = "org.bytedeco.javacpp.maxPhysicalBytes";
    static final String LOWER_CASE_PROPERTY = "org.bytedeco.javacpp.maxphysicalbytes";

    private JavaCppPhysicalMemoryCheck() {
    }

    /**
     * Switches the check off unless a limit was set. JavaCPP reads the setting once, when TensorFlow Java first
     * loads, so entry points call this before anything touches TensorFlow; later it changes nothing.
     */
    public static void switchOffUnlessConfigured() {
        if (System.getProperty(PROPERTY) == null && System.getProperty(LOWER_CASE_PROPERTY) == null) {
            System.setProperty(PROPERTY, "0");
        }
    }

    /** Whether JavaCPP checks physical memory on every native allocation in this process. */
    public static boolean isOn() {
        return Pointer.maxPhysicalBytes() > 0;
    }

    /** The limit JavaCPP enforces, in bytes; 0 when the check is off. */
    public static long limitBytes() {
        return Pointer.maxPhysicalBytes();
    }
}
