package dev.servedeck.bench;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one {@code wrk --latency} run reported. wrk prints a human summary only, so this parses its text:
 * times come with units (us, ms, s, m, h) and are normalised to microseconds here.
 *
 * @param requests        completed requests ("N requests in ...")
 * @param seconds         the run's measured duration
 * @param requestsPerSecond wrk's "Requests/sec"
 * @param p50Micros       median latency
 * @param p99Micros       99th percentile latency
 * @param non2xx          wrk's "Non-2xx or 3xx responses" (wrk counts status 400 and above); 0 when absent
 * @param socketErrors    connect + read + write + timeout errors; 0 when absent
 */
public record WrkResult(long requests, double seconds, double requestsPerSecond, double p50Micros,
        double p99Micros, long non2xx, long socketErrors) {

    private static final Pattern TOTAL = Pattern.compile("(?m)^\\s*(\\d+) requests in ([\\d.]+)(us|ms|s|m|h),");
    private static final Pattern RATE = Pattern.compile("(?m)^Requests/sec:\\s+([\\d.]+)");
    private static final Pattern NON_2XX = Pattern.compile("(?m)^\\s*Non-2xx or 3xx responses:\\s+(\\d+)");
    private static final Pattern SOCKET_ERRORS = Pattern.compile(
            "(?m)^\\s*Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

    /** Parses wrk's standard output; fails loudly when a figure the benchmark needs is missing. */
    public static WrkResult parse(String output) {
        Matcher total = find(TOTAL, output, "total requests");
        Matcher rate = find(RATE, output, "Requests/sec");
        long socketErrors = 0;
        Matcher errors = SOCKET_ERRORS.matcher(output);
        if (errors.find()) {
            for (int group = 1; group <= 4; group++) {
                socketErrors += Long.parseLong(errors.group(group));
            }
        }
        Matcher non2xx = NON_2XX.matcher(output);
        return new WrkResult(
                Long.parseLong(total.group(1)),
                toMicros(total.group(2), total.group(3)) / 1_000_000.0,
                Double.parseDouble(rate.group(1)),
                percentileMicros(output, "50"),
                percentileMicros(output, "99"),
                non2xx.find() ? Long.parseLong(non2xx.group(1)) : 0,
                socketErrors);
    }

    /** True when every request got a 2xx/3xx answer and no connection failed. */
    public boolean clean() {
        return non2xx == 0 && socketErrors == 0;
    }

    private static double percentileMicros(String output, String percent) {
        Matcher line = find(Pattern.compile("(?m)^\\s*" + percent + "%\\s+([\\d.]+)(us|ms|s|m|h)\\s*$"), output,
                percent + "% latency (was wrk run with --latency?)");
        return toMicros(line.group(1), line.group(2));
    }

    static double toMicros(String number, String unit) {
        double value = Double.parseDouble(number);
        return switch (unit) {
            case "us" -> value;
            case "ms" -> value * 1_000;
            case "s" -> value * 1_000_000;
            case "m" -> value * 60_000_000;
            case "h" -> value * 3_600_000_000.0;
            default -> throw new IllegalArgumentException("Unknown wrk time unit: " + unit);
        };
    }

    private static Matcher find(Pattern pattern, String output, String what) {
        Matcher matcher = pattern.matcher(output);
        if (!matcher.find()) {
            throw new IllegalStateException("wrk output has no " + what + ":\n" + output);
        }
        return matcher;
    }
}
