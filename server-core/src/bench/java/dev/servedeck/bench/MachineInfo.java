package dev.servedeck.bench;

import io.grpc.internal.GrpcUtil;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where and how the numbers were taken. The servers and wrk share the same cores, and the load average at
 * the start says how busy the machine already was: numbers from different machines are not comparable.
 */
final class MachineInfo {

    private MachineInfo() {
    }

    static Map<String, String> collect(BenchmarkSettings settings) throws IOException, InterruptedException {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        facts.put("nproc", CommandOutput.run(List.of("nproc")).strip());
        facts.put("cpu", firstValue(Path.of("/proc/cpuinfo"), "model name"));
        facts.put("memory", firstValue(Path.of("/proc/meminfo"), "MemTotal"));
        facts.put("load average at start", firstLine(Path.of("/proc/loadavg")));
        facts.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + " (" + System.getProperty("java.home") + ")");
        facts.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        facts.put("wrk", CommandOutput.run(List.of("wrk", "-v")).lines().findFirst().orElse("?").strip());
        facts.put("measured run / warm-up run", settings.measurement().toSeconds() + " s / "
                + settings.warmUp().toSeconds() + " s");
        facts.put("steady-state warm-up per server and request kind", SteadyWarmUp.from(settings).rule());
        facts.put("server JVM options", settings.serverJvmArgs().isEmpty() ? "(none)"
                : String.join(" ", settings.serverJvmArgs()));
        facts.put("ServeDeck --file_system_poll_wait_seconds", Long.toString(settings.fileSystemPollWaitSeconds()));
        facts.put("ServeDeck extra flags (bench.serverArgs)", settings.serverArgs().isEmpty() ? "(none)"
                : String.join(" ", settings.serverArgs()));
        facts.put("gRPC load clients", CommandOutput.run(List.of("h2load", "--version")).lines().findFirst()
                .orElse("h2load ?").strip() + " (judged against wrk); grpc-java " + GrpcUtil.IMPLEMENTATION_VERSION
                + ", in the benchmark JVM");
        return facts;
    }

    private static String firstValue(Path file, String key) throws IOException {
        if (!Files.isReadable(file)) {
            return "?";
        }
        return Files.readAllLines(file).stream()
                .filter(line -> line.startsWith(key))
                .map(line -> line.substring(line.indexOf(':') + 1).strip())
                .findFirst()
                .orElse("?");
    }

    private static String firstLine(Path file) throws IOException {
        if (!Files.isReadable(file)) {
            return "?";
        }
        String line = Files.readAllLines(file).stream().findFirst().orElse("?");
        String[] fields = line.split("\\s+");
        return fields.length >= 3 ? String.join(" ", fields[0], fields[1], fields[2]) : line;
    }
}
