package dev.servedeck.bench;

import java.time.Duration;
import java.util.List;

/**
 * The server's CPU in percent of one core, idle, without and with admin statistics streams (ABBA rounds).
 *
 * @param updates statistics updates all clients received in each window with streams
 */
record AdminStreamsCostResult(Duration window, int streams, List<Double> without, List<Double> with,
        List<Long> updates) {

    double meanWithout() {
        return without.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    double meanWith() {
        return with.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** What the streams add, in percent of one core. */
    double cost() {
        return meanWith() - meanWithout();
    }

    String markdown() {
        StringBuilder text = new StringBuilder("## Admin API: " + streams + " clients streaming live statistics\n\n")
                .append("Server CPU time over ").append(window.toSeconds()).append(" s windows, in % of one core ")
                .append("(the machine has ").append(Runtime.getRuntime().availableProcessors()).append("), rounds ")
                .append("without, with, with, without streams (twice) after a discarded warm-up round with streams; ")
                .append("the server idle otherwise (demo models loaded).\n\n")
                .append("| round | streams | server CPU (% of a core) | updates received |\n| --- | --- | --- | --- |\n");
        int round = 1;
        for (int pair = 0; pair < without.size() / 2; pair++) {
            text.append(row(round++, 0, without.get(2 * pair), ""))
                    .append(row(round++, streams, with.get(2 * pair), updates.get(2 * pair) + ""))
                    .append(row(round++, streams, with.get(2 * pair + 1), updates.get(2 * pair + 1) + ""))
                    .append(row(round++, 0, without.get(2 * pair + 1), ""));
        }
        text.append(String.format("%nMean without %.2f%%, with %.2f%%: the streams cost %.2f%% of one core "
                + "(target < 1%%: %s).%n", meanWithout(), meanWith(), cost(), cost() < 1 ? "met" : "NOT met"));
        return text.toString();
    }

    private static String row(int round, int streams, double cpu, String updates) {
        return String.format("| %d | %d | %.2f | %s |%n", round, streams, cpu, updates);
    }
}
