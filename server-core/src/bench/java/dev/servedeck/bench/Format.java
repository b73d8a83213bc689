package dev.servedeck.bench;

/** Number formats shared by the console lines and the report. */
final class Format {

    private Format() {
    }

    /** Microseconds below 1 ms, milliseconds above, as wrk prints them. */
    static String micros(double micros) {
        return micros < 1_000 ? String.format("%.1f us", micros) : String.format("%.2f ms", micros / 1000);
    }

    static String mebibytes(long kibibytes) {
        return String.format("%.1f MiB", kibibytes / 1024.0);
    }

    static String rate(double perSecond) {
        return String.format("%,.0f", perSecond);
    }
}
