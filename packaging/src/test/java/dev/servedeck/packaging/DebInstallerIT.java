package dev.servedeck.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servedeck.core.tensorflow.demo.DemoModels;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The .deb that {@code ./mvnw -Pinstallers package} built, without installing it: {@code dpkg-deb -x} extracts
 * it into a temporary folder, and both launchers run from there. The packaged headless server serves a
 * generated SavedModel over real HTTP and exits 0 on SIGTERM; the packaged console starts its window (Xvfb)
 * and embedded server in {@code --smoke-test} mode. Both run with {@code user.home} in a temporary folder, to
 * prove that nothing is unpacked at start (no ~/.javacpp/cache content, no ~/.openjfx). Also checks the
 * package's metadata, maintainer scripts and desktop entries, the jlink module list against jdeps, and the
 * generated icons; and records the numbers docs/installers.md quotes (in target/installer/numbers.txt).
 *
 * <p>Run by failsafe in the {@code installers} profile: {@code ./mvnw -B -Pinstallers verify}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DebInstallerIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL = "half_plus_two";
    private static final Pattern RUNNING = Pattern.compile("Embedded server RUNNING after (\\d+) ms");
    /** What ModelServer logs when TensorFlow runs with JavaCPP's physical-memory check on (JavaCppPhysicalMemoryCheck). */
    private static final String JAVACPP_CHECK_ON = "JavaCPP checks physical memory";
    private static final Pattern SMOKE_PASSED = Pattern.compile("Smoke test passed: [a-z, ]+ up in (\\d+) ms");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, String> numbers = new LinkedHashMap<>();

    /** Static: JUnit fills it in before the {@code @BeforeAll} method (an instance field it would not). */
    @TempDir
    static Path temp;

    private Path installerDir;
    private Path deb;
    private Path root;
    private Path app;
    private Path control;

    @BeforeAll
    void extractTheDeb() throws Exception {
        Assumptions.assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"),
                "the .deb is built and tested on Linux");
        installerDir = Path.of(System.getProperty("servedeck.installer.dir", "target/installer")).toAbsolutePath();
        try (Stream<Path> packages = Files.list(installerDir.resolve("packages"))) {
            List<Path> debs = packages.filter(p -> p.toString().endsWith(".deb")).toList();
            assertThat(debs).as("the .deb the installers profile built in " + installerDir).hasSize(1);
            deb = debs.get(0);
        }
        root = temp.resolve("root");
        control = temp.resolve("DEBIAN");
        ExternalCommand.Result extracted = dpkgDeb("-x", deb.toString(), root.toString());
        assertThat(extracted.exitCode()).as(extracted.output()).isZero();
        ExternalCommand.Result scripts = dpkgDeb("-e", deb.toString(), control.toString());
        assertThat(scripts.exitCode()).as(scripts.output()).isZero();
        app = root.resolve("opt/servedeck");

        numbers.put("deb", deb.getFileName().toString());
        numbers.put("deb size (MiB)", mb(Files.size(deb)));
        numbers.put("installed size, /opt/servedeck (MiB)", mb(treeSize(app)));
        numbers.put("  of which TensorFlow natives, lib/app/native (MiB)", mb(treeSize(app.resolve("lib/app/native"))));
        numbers.put("  of which jars and JavaFX natives, rest of lib/app (MiB)", mb(treeSize(app.resolve("lib/app")) - treeSize(app.resolve("lib/app/native"))));
        numbers.put("  of which Java runtime, lib/runtime (MiB)", mb(treeSize(app.resolve("lib/runtime"))));
    }

    @AfterAll
    void writeNumbers() throws IOException {
        if (installerDir == null || numbers.isEmpty()) {
            return;
        }
        StringBuilder text = new StringBuilder();
        numbers.forEach((name, value) -> text.append(name).append(": ").append(value).append('\n'));
        Files.writeString(installerDir.resolve("numbers.txt"), text);
        System.out.print("Installer numbers (" + installerDir.resolve("numbers.txt") + "):\n" + text);
    }

    @Test
    void packageDeclaresItsDependenciesAndInstallsInOptServedeck() throws Exception {
        Map<String, String> fields = controlFields(Files.readString(control.resolve("control")));
        String version = System.getProperty("servedeck.installer.version", "");
        assertThat(fields).containsEntry("Package", "servedeck").containsEntry("Architecture", "amd64")
                .containsEntry("Section", "devel");
        assertThat(fields.get("Version")).startsWith(version + "-");
        Set<String> depends = Arrays.stream(fields.get("Depends").split(","))
                .map(String::trim).collect(Collectors.toSet());
        assertThat(depends).contains("libgtk-3-0", "fonts-dejavu-core", "libc6");

        for (String launcher : List.of("bin/ServeDeck", "bin/servedeck-server")) {
            assertThat(Files.isExecutable(app.resolve(launcher))).as(launcher).isTrue();
        }
        // The app image built beside it is what the .deb holds (the package adds its desktop files and leaves
        // out jpackage's own record of the image, lib/app/.jpackage.xml).
        Set<String> imageFiles = relativeFiles(installerDir.resolve("app-image/ServeDeck"));
        imageFiles.remove("lib/app/.jpackage.xml");
        assertThat(relativeFiles(app)).containsAll(imageFiles);
        // TensorFlow's natives once each (jpackage would have copied a symbolic link as a second 630 MB file),
        // JavaFX's beside their jars, and not the 160 MB jar they came in.
        assertThat(names(app.resolve("lib/app/native")))
                .containsExactlyInAnyOrder("LICENSE", "libjnitensorflow.so", "libtensorflow_cc.so.2",
                        "libtensorflow_framework.so.2");
        assertThat(names(app.resolve("lib/app/lib"))).contains("libglassgtk3.so", "libprism_sw.so")
                .noneMatch(name -> name.startsWith("tensorflow-core-native-") && name.contains("linux"));

        // Both launchers load TensorFlow from native/ (a launcher's own java-options replace the main's).
        for (String cfg : List.of("ServeDeck.cfg", "servedeck-server.cfg")) {
            assertThat(Files.readString(app.resolve("lib/app").resolve(cfg)))
                    .as(cfg)
                    .contains("java-options=-Djava.library.path=$APPDIR/native")
                    .contains("java-options=-Dorg.bytedeco.javacpp.pathsFirst=true")
                    .contains("java-options=-XX:MaxRAMPercentage=");
        }
    }

    @Test
    void desktopEntriesAndPathLinks() throws Exception {
        Path lib = app.resolve("lib");
        String console = Files.readString(lib.resolve("servedeck-ServeDeck.desktop"));
        assertThat(console).contains("Name=ServeDeck\n", "Exec=/opt/servedeck/bin/ServeDeck\n",
                "Icon=/opt/servedeck/lib/ServeDeck.png\n", "Categories=Development;\n", "Terminal=false\n");
        assertThat(console).doesNotContain("NoDisplay");
        // jpackage 17 gives every launcher a desktop entry: the server's is hidden from menus.
        String server = Files.readString(lib.resolve("servedeck-servedeck-server.desktop"));
        assertThat(server).contains("Exec=/opt/servedeck/bin/servedeck-server\n", "NoDisplay=true\n",
                "Terminal=true\n");
        assertThat(app.resolve("lib/ServeDeck.png")).isRegularFile();

        // postinst links the launchers into /usr/bin; prerm removes those links, but not on upgrade.
        String postinst = Files.readString(control.resolve("postinst"));
        Matcher links = Pattern.compile("link_launcher (\\S+) (\\S+)\n").matcher(postinst);
        Map<String, String> linked = new LinkedHashMap<>();
        while (links.find()) {
            linked.put(links.group(2), links.group(1));
        }
        assertThat(linked).containsOnlyKeys("/usr/bin/servedeck", "/usr/bin/servedeck-server");
        linked.values().forEach(target -> assertThat(root.resolve(target.substring(1))).isRegularFile());
        // The desktop menu commands may fail (a server has no menu) without failing installation or removal.
        assertThat(function(postinst, "install_desktop_entries"))
                .contains("xdg-desktop-menu install /opt/servedeck/lib/servedeck-ServeDeck.desktop");
        assertThat(postinst).contains("install_desktop_entries || echo");
        String prerm = Files.readString(control.resolve("prerm"));
        assertThat(function(prerm, "uninstall_desktop_entries"))
                .contains("xdg-desktop-menu uninstall /opt/servedeck/lib/servedeck-ServeDeck.desktop");
        String removeCase = prerm.substring(prerm.indexOf("remove|deconfigure)"), prerm.indexOf("upgrade)\n"));
        assertThat(removeCase).contains("unlink_launcher /usr/bin/servedeck\n", "unlink_launcher /usr/bin/servedeck-server\n",
                "uninstall_desktop_entries || true");
        for (String script : List.of("postinst", "prerm", "preinst", "postrm")) {
            assertThat(Files.isExecutable(control.resolve(script))).as(script).isTrue();
            ExternalCommand.Result syntax = ExternalCommand.run(temp, Map.of(), Duration.ofSeconds(10),
                    List.of("sh", "-n", control.resolve(script).toString()));
            assertThat(syntax.exitCode()).as(script + ": " + syntax.output()).isZero();
        }
        Optional<Path> shellcheck = ExternalCommand.onPath("shellcheck");
        if (shellcheck.isPresent()) {
            ExternalCommand.Result lint = ExternalCommand.run(temp, Map.of(), Duration.ofSeconds(30),
                    List.of(shellcheck.get().toString(), "--shell=sh", "--severity=warning",
                            control.resolve("postinst").toString(), control.resolve("prerm").toString()));
            assertThat(lint.exitCode()).as(lint.output()).isZero();
        }
    }

    /** The packaged headless server on a generated SavedModel: real HTTP, then SIGTERM. */
    @Test
    void packagedServerServesAPredictionAndExitsZeroOnSigterm() throws Exception {
        Path models = temp.resolve("models");
        DemoModels.writeHalfPlusTwo(models.resolve(MODEL), 1);
        Path home = Files.createDirectories(temp.resolve("server-home"));

        // Started as /usr/bin/servedeck-server would be: through a symbolic link to the launcher.
        Path link = Files.createDirectories(temp.resolve("usr-bin")).resolve("servedeck-server");
        Files.createSymbolicLink(link, app.resolve("bin/servedeck-server"));
        int restPort = freePort();
        int grpcPort = freePort();
        Path log = temp.resolve("server.log");
        ProcessBuilder builder = new ProcessBuilder(link.toString(), "--model_name=" + MODEL,
                "--model_base_path=" + models.resolve(MODEL), "--rest_api_port=" + restPort, "--port=" + grpcPort)
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("JAVA_TOOL_OPTIONS", "-Duser.home=" + home);

        long started = System.nanoTime();
        Process server = builder.start();
        try {
            awaitAvailable(server, log, restPort);
            long availableMillis = millisSince(started);
            numbers.put("packaged server: start to model AVAILABLE (ms)", String.valueOf(availableMillis));

            HttpResponse<String> predicted = post(restPort, "/v1/models/" + MODEL + ":predict",
                    "{\"instances\":[[1.0],[2.0],[5.0]]}");
            assertThat(predicted.statusCode()).as(predicted.body()).isEqualTo(200);
            assertThat(JSON.readTree(predicted.body())).isEqualTo(JSON.readTree("{\"predictions\":[[2.5],[3.0],[4.5]]}"));

            assertThat(tensorflowLibrariesMappedBy(server.pid()))
                    .isNotEmpty()
                    .allSatisfy(library -> assertThat(library).startsWith(app.resolve("lib/app/native").toRealPath()));
            numbers.put("packaged server: resident memory after one prediction (MiB)",
                    String.valueOf(residentKb(server.pid()) / 1024));
        } finally {
            server.destroy(); // SIGTERM
        }
        assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(server.exitValue()).as(output).isZero();
        assertThat(output).contains("Received SIGTERM").contains("Server stopped")
                // The launcher's main switched JavaCPP's per-allocation memory check off before TensorFlow loaded.
                .doesNotContain(JAVACPP_CHECK_ON);
        assertNothingUnpackedInto(home);
    }

    /** The packaged console, headless enough: Xvfb, --smoke-test (window + embedded server, then exit 0). */
    @Test
    void packagedConsoleStartsItsWindowAndEmbeddedServer() throws Exception {
        Optional<Path> xvfb = ExternalCommand.onPath("Xvfb");
        if (xvfb.isEmpty()) {
            Assumptions.assumeTrue(ExternalCommand.onCi(), "no Xvfb (Debian: xvfb): the console needs a display");
            throw new AssertionError("no Xvfb on PATH (CI=true): .ci/run installs xvfb");
        }
        Path home = Files.createDirectories(temp.resolve("console-home"));
        Path data = temp.resolve("console-data");
        Process display = new ProcessBuilder(xvfb.get().toString(), "-displayfd", "1", "-screen", "0", "1280x800x24",
                "-nolisten", "tcp").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            String displayNumber = readLine(display.getInputStream(), Duration.ofSeconds(20));
            Path log = temp.resolve("console.log");
            ProcessBuilder builder = new ProcessBuilder(app.resolve("bin/ServeDeck").toString(), "--smoke-test",
                    "--demo", "--rest-port", "0", "--grpc-port", "0", "--data-dir", data.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("DISPLAY", ":" + displayNumber.trim());
            builder.environment().put("JAVA_TOOL_OPTIONS", "-Duser.home=" + home);

            long started = System.nanoTime();
            Process console = builder.start();
            long runningSeenMillis = -1;
            long deadline = started + Duration.ofSeconds(180).toNanos();
            while (console.isAlive() && System.nanoTime() < deadline) {
                if (runningSeenMillis < 0 && RUNNING.matcher(Files.readString(log, StandardCharsets.UTF_8)).find()) {
                    runningSeenMillis = millisSince(started);
                }
                Thread.sleep(50);
            }
            long exitedMillis = millisSince(started);
            if (console.isAlive()) {
                console.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("the console's smoke test did not finish in 180 s: "
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(console.exitValue()).as(output).isZero();
            Matcher running = RUNNING.matcher(output);
            Matcher passed = SMOKE_PASSED.matcher(output);
            assertThat(running.find()).as(output).isTrue();
            assertThat(passed.find()).as(output).isTrue();
            assertThat(output).doesNotContain(JAVACPP_CHECK_ON);
            if (runningSeenMillis < 0) {
                runningSeenMillis = exitedMillis;
            }
            numbers.put("packaged console: launch to demo models served, wall clock (ms)", String.valueOf(runningSeenMillis));
            numbers.put("packaged console: its log's \"Embedded server RUNNING after\" (ms)", running.group(1));
            numbers.put("packaged console: its log's \"Smoke test passed ... in\" (ms)", passed.group(1));
            numbers.put("packaged console: launch to exit, smoke test (ms)", String.valueOf(exitedMillis));
            assertThat(data.resolve("demo-models")).isDirectory();
        } finally {
            display.destroy();
            display.waitFor(10, TimeUnit.SECONDS);
        }
        assertNothingUnpackedInto(home);
        assertThat(home.resolve(".openjfx")).as("JavaFX loaded its natives from lib/app/lib").doesNotExist();
    }

    /** jlink.args' fixed module list covers what jdeps finds in every packaged class. */
    @Test
    void runtimeHasEveryModuleTheJarsNeed() throws Exception {
        String release = Files.readString(app.resolve("lib/runtime/release"));
        Matcher modulesLine = Pattern.compile("MODULES=\"([^\"]*)\"").matcher(release);
        assertThat(modulesLine.find()).as(release).isTrue();
        Set<String> runtime = new TreeSet<>(Arrays.asList(modulesLine.group(1).split(" ")));

        // jdeps on the unpacked classes: modular jars given as jars make it resolve their (absent) modules.
        Path classes = temp.resolve("classes");
        List<Path> jars;
        try (Stream<Path> files = Files.walk(app.resolve("lib/app"))) {
            jars = files.filter(p -> p.toString().endsWith(".jar")).toList();
        }
        for (Path jar : jars) {
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                for (ZipEntry entry : zip.stream().toList()) {
                    String name = entry.getName();
                    if (entry.isDirectory() || !name.endsWith(".class") || name.endsWith("module-info.class")
                            || name.startsWith("META-INF/")) {
                        continue;
                    }
                    Path target = classes.resolve(name);
                    Files.createDirectories(target.getParent());
                    try (InputStream in = zip.getInputStream(entry)) {
                        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = jdeps.run(new PrintWriter(out), new PrintWriter(err), "--multi-release", "17",
                "--ignore-missing-deps", "--print-module-deps", "-q", classes.toString());
        assertThat(exit).as(err.toString()).isZero();
        List<String> lines = out.toString().lines().filter(l -> !l.isBlank()).toList();
        Set<String> needed = new TreeSet<>(Arrays.asList(lines.get(lines.size() - 1).trim().split(",")));
        assertThat(runtime).as("jdeps says the jars need " + needed).containsAll(needed);
        assertThat(runtime).contains("jdk.crypto.ec", "java.desktop", "jdk.unsupported", "java.net.http");
        numbers.put("jlink runtime modules", String.valueOf(runtime.size()));
    }

    /** The Windows and macOS icons PrepareInstaller wrote (not used on Linux, but checked here). */
    @Test
    void windowsAndMacIconsHoldPngImages() throws Exception {
        byte[] ico = Files.readAllBytes(installerDir.resolve("icons/servedeck.ico"));
        ByteBuffer header = ByteBuffer.wrap(ico).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(header.getShort(0)).isZero();
        assertThat(header.getShort(2)).isEqualTo((short) 1);
        int count = header.getShort(4);
        assertThat(count).isGreaterThanOrEqualTo(4);
        Set<Integer> sizes = new TreeSet<>();
        for (int i = 0; i < count; i++) {
            int entry = 6 + 16 * i;
            int size = Byte.toUnsignedInt(ico[entry]) == 0 ? 256 : Byte.toUnsignedInt(ico[entry]);
            int length = header.getInt(entry + 8);
            int offset = header.getInt(entry + 12);
            assertThat(offset + length).isLessThanOrEqualTo(ico.length);
            assertThat(pngSize(Arrays.copyOfRange(ico, offset, offset + length))).isEqualTo(size);
            sizes.add(size);
        }
        assertThat(sizes).contains(16, 32, 48, 256);

        byte[] icns = Files.readAllBytes(installerDir.resolve("icons/servedeck.icns"));
        ByteBuffer file = ByteBuffer.wrap(icns); // big-endian
        assertThat(new String(icns, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("icns");
        assertThat(file.getInt(4)).isEqualTo(icns.length);
        Map<String, Integer> types = new LinkedHashMap<>();
        for (int at = 8; at < icns.length; ) {
            String type = new String(icns, at, 4, StandardCharsets.US_ASCII);
            int length = file.getInt(at + 4);
            types.put(type, pngSize(Arrays.copyOfRange(icns, at + 8, at + length)));
            at += length;
        }
        assertThat(types).containsEntry("ic07", 128).containsEntry("ic08", 256).containsEntry("icp5", 32);
    }

    // ---------------------------------------------------------------------------------------------------------

    private ExternalCommand.Result dpkgDeb(String... args) throws Exception {
        Path dpkgDeb = ExternalCommand.onPath("dpkg-deb")
                .orElseThrow(() -> new AssertionError("no dpkg-deb: it built the .deb, it must be here"));
        List<String> command = new ArrayList<>(List.of(dpkgDeb.toString()));
        command.addAll(List.of(args));
        return ExternalCommand.run(temp, Map.of(), Duration.ofMinutes(5), command);
    }

    /** JavaCPP creates an empty ~/.javacpp/cache; with the natives on java.library.path it puts nothing in it. */
    private static void assertNothingUnpackedInto(Path home) throws IOException {
        Path javacpp = home.resolve(".javacpp");
        if (Files.exists(javacpp)) {
            try (Stream<Path> files = Files.walk(javacpp)) {
                assertThat(files.filter(Files::isRegularFile).toList()).as("files unpacked into " + javacpp).isEmpty();
            }
        }
    }

    private void awaitAvailable(Process server, Path log, int port) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new AssertionError("server exited with " + server.exitValue() + ": "
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            try {
                HttpResponse<String> status = http.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + "/v1/models/" + MODEL))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (status.statusCode() == 200) {
                    JsonNode state = JSON.readTree(status.body()).path("model_version_status").path(0).path("state");
                    if (state.asText().equals("AVAILABLE")) {
                        return;
                    }
                }
            } catch (IOException notListeningYet) {
                // the server listens once its models have loaded
            }
            Thread.sleep(50);
        }
        throw new AssertionError("model not AVAILABLE in 120 s: " + Files.readString(log, StandardCharsets.UTF_8));
    }

    private HttpResponse<String> post(int port, String path, String json) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<Path> tensorflowLibrariesMappedBy(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc", String.valueOf(pid), "maps")).stream()
                .filter(line -> line.contains("/") && line.contains("tensorflow") && line.contains(".so"))
                .map(line -> Path.of(line.substring(line.indexOf('/'))))
                .distinct()
                .toList();
    }

    private static long residentKb(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status")).stream()
                .filter(line -> line.startsWith("VmRSS:"))
                .map(line -> Long.parseLong(line.replaceAll("\\D", "")))
                .findFirst().orElse(-1L);
    }

    /** The first line a process prints, within {@code timeout} (Xvfb -displayfd 1 prints its display number). */
    private static String readLine(InputStream in, Duration timeout) throws Exception {
        var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
        var line = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return reader.readLine();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        String value = line.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (value == null || !value.trim().matches("\\d+")) {
            throw new AssertionError("Xvfb did not report a display: " + value);
        }
        return value;
    }

    /** The body of a shell function in a maintainer script. */
    private static String function(String script, String name) {
        int start = script.indexOf(name + "() {\n");
        assertThat(start).as("function " + name).isNotNegative();
        return script.substring(start, script.indexOf("\n}\n", start));
    }

    private static Map<String, String> controlFields(String control) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : control.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith(" ")) {
                fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        }
        return fields;
    }

    /** The width of a PNG (its IHDR), which must be square. */
    private static int pngSize(byte[] png) {
        assertThat(Arrays.copyOf(png, 8)).isEqualTo(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteBuffer buffer = ByteBuffer.wrap(png);
        int width = buffer.getInt(16);
        assertThat(buffer.getInt(20)).isEqualTo(width);
        return width;
    }

    private static Set<String> relativeFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static Set<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static long treeSize(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).sum();
        }
    }

    /** MiB, as du -h and ls -lh count. */
    private static String mb(long bytes) {
        return String.format("%.0f", bytes / 1048576.0);
    }

    private static long millisSince(long startedNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
