import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.imageio.ImageIO;

/**
 * Step 1 of the installer build (the {@code installers} profile in packaging/pom.xml runs it, then jlink and
 * jpackage): lays out what jpackage packages, from the jars the reactor has just built. Plain Java so that the
 * same step runs on Linux, Windows and macOS.
 *
 * <pre>
 * &lt;installer dir&gt;/input/                   jpackage --input (ends up as $APPDIR in the installed application)
 *   servedeck-console.jar                  the console's thin jar (main launcher)
 *   servedeck-server.jar                   the headless server's thin jar (servedeck-server launcher)
 *   lib/*.jar                              the console's runtime libraries (a superset of the server's)
 *   lib/&lt;JavaFX natives&gt;                   unpacked from the javafx-*-&lt;os&gt; jars, beside them: JavaFX loads them
 *                                          from there instead of unpacking them into ~/.openjfx/cache
 *   native/                                TensorFlow's natives, unpacked once (as the container's native/),
 *                                          loaded with -Djava.library.path=$APPDIR/native and
 *                                          -Dorg.bytedeco.javacpp.pathsFirst=true: no 7-8 s unpack into
 *                                          ~/.javacpp at first start, nothing written
 * &lt;installer dir&gt;/icons/servedeck.{png,ico,icns}   the application icon for each OS, from ui-resources' PNGs
 * </pre>
 *
 * It also removes the outputs of the later steps (runtime/, app-image/, packages/): jlink and jpackage refuse
 * to write into an existing folder.
 *
 * <p>Run with TensorFlow on the class path (the console's lib/) and JavaCPP's cache in a scratch folder:
 * {@code java -cp <console target>/lib/* -Dorg.bytedeco.javacpp.cachedir=<scratch> PrepareInstaller.java
 * <server target> <console target> <icons dir> <installer dir>}. Loading TensorFlow once unpacks its natives
 * into the scratch cache; they are copied from there (regular files only: jpackage copies symbolic links as
 * whole files, and the libraries find each other by their versioned names) and the jar they came in is left out.
 */
public final class PrepareInstaller {

    private static final Pattern TENSORFLOW_NATIVE_JAR = Pattern.compile("tensorflow-core-native-[^-]+-.+\\.jar");
    private static final Pattern JAVAFX_PLATFORM_JAR = Pattern.compile("javafx-[a-z]+-[0-9.]+-(linux|win|mac).*\\.jar");
    private static final Pattern NATIVE_LIBRARY = Pattern.compile("[^/]+\\.(so|dll|dylib)");
    private static final Pattern JNI_TENSORFLOW = Pattern.compile("(lib)?jnitensorflow\\.(so|dll|dylib)");

    private PrepareInstaller() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: PrepareInstaller <server-core target> <app target> <icons dir> <installer dir>");
            System.exit(2);
        }
        Path serverTarget = Path.of(args[0]).toAbsolutePath().normalize();
        Path consoleTarget = Path.of(args[1]).toAbsolutePath().normalize();
        Path iconsSource = Path.of(args[2]).toAbsolutePath().normalize();
        Path installerDir = Path.of(args[3]).toAbsolutePath().normalize();
        long started = System.nanoTime();

        for (String output : List.of("input", "runtime", "app-image", "packages", "icons")) {
            deleteRecursively(installerDir.resolve(output));
        }
        Path input = installerDir.resolve("input");
        Path lib = input.resolve("lib");
        Files.createDirectories(lib);

        Path serverJar = require(serverTarget.resolve("servedeck-server.jar"));
        Path consoleJar = require(consoleTarget.resolve("servedeck-console.jar"));
        require(consoleTarget.resolve("lib"));
        Files.copy(serverJar, input.resolve("servedeck-server.jar"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.copy(consoleJar, input.resolve("servedeck-console.jar"), StandardCopyOption.COPY_ATTRIBUTES);

        // The console's libraries; the server's jar is among them under its artifact name (the same file as
        // servedeck-server.jar): once is enough, jpackage puts every jar of the input on the class path.
        Path tensorflowNativeJar = null;
        for (Path jar : list(consoleTarget.resolve("lib"))) {
            String name = jar.getFileName().toString();
            if (TENSORFLOW_NATIVE_JAR.matcher(name).matches()) {
                tensorflowNativeJar = jar;
            } else if (name.startsWith("servedeck-server-core-") && Arrays.equals(Files.readAllBytes(jar),
                    Files.readAllBytes(serverJar))) {
                continue;
            } else {
                Files.copy(jar, lib.resolve(name), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        if (tensorflowNativeJar == null) {
            throw new IllegalStateException("no tensorflow-core-native-<version>-<os>.jar in " + consoleTarget.resolve("lib"));
        }
        // The server's libraries must all be there (the server's lib/ is the console's minus the UI).
        for (Path jar : list(serverTarget.resolve("lib"))) {
            String name = jar.getFileName().toString();
            if (!TENSORFLOW_NATIVE_JAR.matcher(name).matches() && !Files.isRegularFile(lib.resolve(name))) {
                throw new IllegalStateException("the server needs " + name + ", which the console's lib/ does not "
                        + "have: the two resolved different versions");
            }
        }
        checkClassPath(input.resolve("servedeck-server.jar"), input);
        checkClassPath(input.resolve("servedeck-console.jar"), input);

        int javafxNatives = unpackJavafxNatives(lib);
        int tensorflowNatives = unpackTensorflowNatives(tensorflowNativeJar, input.resolve("native"));
        List<Path> icons = writeIcons(iconsSource, installerDir.resolve("icons"));

        System.out.printf("PrepareInstaller: %s with %d jars, %d JavaFX and %d TensorFlow native libraries, icons %s"
                        + " (%d ms)%n", input, list(lib).stream().filter(p -> p.toString().endsWith(".jar")).count() + 2,
                javafxNatives, tensorflowNatives, icons.stream().map(p -> p.getFileName().toString()).toList(),
                (System.nanoTime() - started) / 1_000_000);
    }

    /** Every Class-Path entry of a thin jar's manifest is in the input, but the TensorFlow natives' jar. */
    private static void checkClassPath(Path jar, Path input) throws IOException {
        Manifest manifest;
        try (JarFile file = new JarFile(jar.toFile())) {
            manifest = file.getManifest();
        }
        String classPath = manifest.getMainAttributes().getValue("Class-Path");
        if (classPath == null) {
            throw new IllegalStateException(jar + " has no Class-Path: not the thin jar the build makes");
        }
        for (String entry : classPath.trim().split("\\s+")) {
            String name = entry.substring(entry.lastIndexOf('/') + 1);
            boolean replaced = TENSORFLOW_NATIVE_JAR.matcher(name).matches() || name.startsWith("servedeck-server-core-");
            if (!replaced && !Files.isRegularFile(input.resolve(entry))) {
                throw new IllegalStateException(jar.getFileName() + " needs " + entry + ", missing from " + input);
            }
        }
    }

    /** JavaFX looks for its natives beside its jars before it unpacks them into ~/.openjfx/cache. */
    private static int unpackJavafxNatives(Path lib) throws IOException {
        int count = 0;
        for (Path jar : list(lib)) {
            if (!JAVAFX_PLATFORM_JAR.matcher(jar.getFileName().toString()).matches()) {
                continue;
            }
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                for (ZipEntry entry : zip.stream().toList()) {
                    if (!entry.isDirectory() && NATIVE_LIBRARY.matcher(entry.getName()).matches()) {
                        try (InputStream in = zip.getInputStream(entry)) {
                            Files.copy(in, lib.resolve(entry.getName()));
                        }
                        count++;
                    }
                }
            }
        }
        if (count == 0) {
            throw new IllegalStateException("no JavaFX natives in the javafx-*-<os> jars of " + lib);
        }
        return count;
    }

    /**
     * Loads TensorFlow once (this JVM runs with JavaCPP's cache in a scratch folder, which that unpacks into),
     * then copies the libraries it unpacked, and the licence, to {@code nativeDir}.
     */
    private static int unpackTensorflowNatives(Path nativeJar, Path nativeDir) throws IOException {
        String cacheDir = System.getProperty("org.bytedeco.javacpp.cachedir");
        if (cacheDir == null) {
            throw new IllegalStateException("run with -Dorg.bytedeco.javacpp.cachedir=<scratch folder>");
        }
        Path cache = Path.of(cacheDir).toAbsolutePath();
        deleteRecursively(cache);
        System.out.println("PrepareInstaller: TensorFlow " + org.tensorflow.TensorFlow.version()
                + " loaded; its natives are unpacked in " + cache);
        Path jni;
        try (Stream<Path> files = Files.walk(cache)) {
            jni = files.filter(p -> JNI_TENSORFLOW.matcher(p.getFileName().toString()).matches()).findFirst()
                    .orElseThrow(() -> new IllegalStateException("JavaCPP unpacked no jnitensorflow into " + cache));
        }
        if (!jni.startsWith(cache.resolve(nativeJar.getFileName().toString()))) {
            throw new IllegalStateException(jni + " did not come from " + nativeJar.getFileName());
        }
        Files.createDirectories(nativeDir);
        int count = 0;
        for (Path file : list(jni.getParent())) {
            if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                Files.copy(file, nativeDir.resolve(file.getFileName()));
                count++;
            }
        }
        // The licence sits beside the libraries in the jar (JavaCPP does not unpack it).
        String resourceDir = cache.resolve(nativeJar.getFileName().toString()).relativize(jni.getParent()).toString()
                .replace('\\', '/');
        try (ZipFile zip = new ZipFile(nativeJar.toFile())) {
            ZipEntry license = zip.getEntry(resourceDir + "/LICENSE");
            if (license != null) {
                try (InputStream in = zip.getInputStream(license)) {
                    Files.copy(in, nativeDir.resolve("LICENSE"), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        deleteRecursively(cache);
        return count;
    }

    /**
     * servedeck.png (Linux: the largest PNG), servedeck.ico (Windows) and servedeck.icns (macOS), both holding
     * PNG images, which Windows Vista+ and macOS 10.7+ read. Sizes missing from the sources are scaled down
     * from the largest.
     */
    private static List<Path> writeIcons(Path sourceDir, Path iconsDir) throws IOException {
        Map<Integer, byte[]> sources = new LinkedHashMap<>();
        for (Path png : list(sourceDir)) {
            var matcher = Pattern.compile("servedeck-(\\d+)\\.png").matcher(png.getFileName().toString());
            if (matcher.matches()) {
                sources.put(Integer.parseInt(matcher.group(1)), Files.readAllBytes(png));
            }
        }
        int largest = sources.keySet().stream().max(Integer::compare)
                .orElseThrow(() -> new IllegalStateException("no servedeck-<size>.png in " + sourceDir));
        Files.createDirectories(iconsDir);
        Path png = Files.write(iconsDir.resolve("servedeck.png"), sources.get(largest));

        Map<Integer, byte[]> ico = new LinkedHashMap<>();
        for (int size : List.of(16, 24, 32, 48, 64, 256)) {
            ico.put(size, png(sources, size));
        }
        Path icoFile = Files.write(iconsDir.resolve("servedeck.ico"), ico(ico));

        // Apple's PNG icon types: icp4 16, icp5 32, icp6 64, ic07 128, ic08 256; ic11-ic13 the @2x variants.
        Map<String, byte[]> icns = new LinkedHashMap<>();
        for (var type : List.of(Map.entry("icp4", 16), Map.entry("icp5", 32), Map.entry("icp6", 64),
                Map.entry("ic07", 128), Map.entry("ic08", 256), Map.entry("ic11", 32), Map.entry("ic12", 64),
                Map.entry("ic13", 256))) {
            icns.put(type.getKey(), png(sources, type.getValue()));
        }
        Path icnsFile = Files.write(iconsDir.resolve("servedeck.icns"), icns(icns));
        return List.of(png, icoFile, icnsFile);
    }

    /** The source PNG of that size, else the largest scaled down to it (high-quality, in halving steps). */
    private static byte[] png(Map<Integer, byte[]> sources, int size) throws IOException {
        if (sources.containsKey(size)) {
            return sources.get(size);
        }
        int from = sources.keySet().stream().filter(s -> s > size).min(Integer::compare)
                .orElseGet(() -> sources.keySet().stream().max(Integer::compare).orElseThrow());
        BufferedImage image = ImageIO.read(new java.io.ByteArrayInputStream(sources.get(from)));
        int current = image.getWidth();
        while (current != size) {
            int next = current / 2 >= size ? current / 2 : size;
            BufferedImage scaled = new BufferedImage(next, next, BufferedImage.TYPE_INT_ARGB);
            var g = scaled.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.drawImage(image, 0, 0, next, next, null);
            g.dispose();
            image = scaled;
            current = next;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    /** An ICO file: ICONDIR, one ICONDIRENTRY per image (little-endian), then the PNGs. */
    private static byte[] ico(Map<Integer, byte[]> images) {
        int headerSize = 6 + 16 * images.size();
        int total = headerSize + images.values().stream().mapToInt(b -> b.length).sum();
        ByteBuffer buffer = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putShort((short) 0).putShort((short) 1).putShort((short) images.size());
        int offset = headerSize;
        for (var image : images.entrySet()) {
            int size = image.getKey();
            buffer.put((byte) (size >= 256 ? 0 : size)).put((byte) (size >= 256 ? 0 : size)) // 0 means 256
                    .put((byte) 0).put((byte) 0) // no palette, reserved
                    .putShort((short) 1).putShort((short) 32) // planes, bits per pixel
                    .putInt(image.getValue().length).putInt(offset);
            offset += image.getValue().length;
        }
        images.values().forEach(buffer::put);
        return buffer.array();
    }

    /** An ICNS file: 'icns' and the file length, then (type, length including its 8-byte header, PNG) entries. */
    private static byte[] icns(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(body); // big-endian
        for (var entry : entries.entrySet()) {
            out.writeBytes(entry.getKey());
            out.writeInt(8 + entry.getValue().length);
            out.write(entry.getValue());
        }
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        DataOutputStream header = new DataOutputStream(file);
        header.writeBytes("icns");
        header.writeInt(8 + body.size());
        body.writeTo(file);
        return file.toByteArray();
    }

    private static Path require(Path path) {
        if (!Files.exists(path)) {
            throw new IllegalStateException("no " + path + ": build the jars first (this runs in the reactor's "
                    + "package phase, after server-core and app)");
        }
        return path;
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> files = Files.walk(path)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.delete(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }
}
