package dev.servedeck.core.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servedeck.core.lifecycle.AspiredVersionsManager;
import dev.servedeck.core.lifecycle.AvailabilityPreservingPolicy;
import dev.servedeck.core.lifecycle.FakeLoader;
import dev.servedeck.core.lifecycle.Loader;
import dev.servedeck.core.lifecycle.ServableHandle;
import dev.servedeck.core.lifecycle.ServableStateMonitor;
import dev.servedeck.core.servable.ManagerState;
import dev.servedeck.core.servable.Servable;
import dev.servedeck.core.servable.ServableId;
import dev.servedeck.core.servable.ServableRequest;
import dev.servedeck.core.servable.ServableState;
import dev.servedeck.core.source.ServableVersionPolicy.All;
import dev.servedeck.core.source.ServableVersionPolicy.Latest;
import dev.servedeck.core.source.ServableVersionPolicy.Specific;
import dev.servedeck.core.testing.TestFolders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSystemStoragePathSourceTest {

    private static final Instant LONG_AGO = Instant.parse("2020-01-01T00:00:00Z");

    @TempDir
    Path base;

    private final AdjustableClock clock = new AdjustableClock(Instant.now());
    private final RecordingTarget target = new RecordingTarget();
    private final ServableStateMonitor monitor = new ServableStateMonitor();
    private final RequiredFilesReadiness readiness = new RequiredFilesReadiness("saved_model.pb", "variables/variables.index");
    private final Map<Path, Integer> loadersMade = new ConcurrentHashMap<>();
    private final FileSystemStoragePathSource source = new FileSystemStoragePathSource(this::loaderFor, readiness,
            target, monitor, Duration.ofSeconds(1), clock);

    @AfterEach
    void closeSource() {
        source.close();
    }

    @Test
    void discoversDigitFoldersAndIgnoresEverythingElse() throws IOException {
        settledVersion("1");
        settledVersion("2");
        settledVersion("00000123");
        settledVersion("abc");
        settledVersion("12a");
        settledVersion("99999999999999999999");
        Files.writeString(base.resolve("7"), "a file, not a version folder");

        source.updateConfig(List.of(new MonitoredModel("m", base, new All())));

        assertThat(target.calls()).singleElement().satisfies(call -> {
            assertThat(call.name()).isEqualTo("m");
            assertThat(call.versionNumbers()).containsExactly(1L, 2L, 123L);
            assertThat(call.versions()).allSatisfy(v -> assertThat(v.id().name()).isEqualTo("m"));
            assertThat(pathOf(call.versions().get(2).loader())).isEqualTo(base.resolve("00000123"));
        });
    }

    @Test
    void appliesTheVersionPolicyAndItsChanges() throws IOException {
        settledVersion("1");
        settledVersion("2");
        settledVersion("5");

        source.updateConfig(List.of(new MonitoredModel("m", base, new Latest(1))));
        assertThat(target.last().versionNumbers()).containsExactly(5L);

        source.updateConfig(List.of(new MonitoredModel("m", base, new Latest(2))));
        assertThat(target.last().versionNumbers()).containsExactly(2L, 5L);

        source.updateConfig(List.of(new MonitoredModel("m", base, new Specific(new TreeSet<>(List.of(1L, 9L))))));
        assertThat(target.last().versionNumbers()).containsExactly(1L);

        source.updateConfig(List.of(new MonitoredModel("m", base, new All())));
        assertThat(target.last().versionNumbers()).containsExactly(1L, 2L, 5L);
    }

    @Test
    void aFolderIsNotCheckedWhileItsFilesChange() throws IOException {
        settledVersion("1");
        source.updateConfig(List.of(new MonitoredModel("m", base, new Latest(1))));
        assertThat(target.last().versionNumbers()).containsExactly(1L);

        Path copying = Files.createDirectories(base.resolve("2"));
        Files.writeString(copying.resolve("saved_model.pb"), "graph");
        Files.createDirectories(copying.resolve("variables"));
        Files.writeString(copying.resolve("variables/variables.index"), "index");
        clock.set(Instant.now());
        source.pollOnce();
        Files.writeString(copying.resolve("variables/variables.data-00000-of-00001"), "weights, part 1");
        source.pollOnce();
        Files.writeString(copying.resolve("variables/variables.data-00000-of-00001"), " and part 2", StandardOpenOption.APPEND);
        source.pollOnce();
        assertThat(target.calls()).as("still copying: nothing new aspired").hasSize(1);
        assertThat(readiness.checksOf(copying)).as("nothing read while it is written").isZero();
        assertThat(monitor.state(new ServableId("m", 2))).hasValueSatisfying(state ->
                assertThat(state.health().message()).isEqualTo("waiting for its files to stop changing"));
        assertThat(source.hasUnstableVersions()).isTrue();

        source.pollOnce();

        assertThat(target.calls()).hasSize(2);
        assertThat(target.last().versionNumbers()).containsExactly(2L);
        assertThat(readiness.checksOf(copying)).isEqualTo(1);
        assertThat(source.hasUnstableVersions()).isFalse();
    }

    @Test
    void anIncompleteNewestVersionWaitsWithoutDisplacingTheServingOneAndIsAspiredOnceComplete() throws IOException {
        settledVersion("1");
        source.updateConfig(List.of(new MonitoredModel("m", base, new Latest(1))));
        Path v2 = settle(writeFile(base.resolve("2/saved_model.pb"), "graph of 2"));

        source.pollOnce();
        source.pollOnce();

        assertThat(target.calls()).as("a paused copy is quiet, not complete").singleElement()
                .satisfies(call -> assertThat(call.versionNumbers()).containsExactly(1L));
        ServableState waiting = monitor.state(new ServableId("m", 2)).orElseThrow();
        assertThat(waiting.state()).isEqualTo(ManagerState.START);
        assertThat(waiting.waiting()).isTrue();
        assertThat(waiting.failed()).isFalse();
        assertThat(waiting.health().message()).isEqualTo("waiting for variables/variables.index");
        assertThat(readiness.checksOf(v2)).as("checked once while nothing changes").isEqualTo(1);
        assertThat(source.hasUnstableVersions()).as("a quiet incomplete folder is not waited for").isFalse();

        writeFile(v2.resolve("variables/variables.index"), "index");
        source.pollOnce();
        assertThat(target.calls()).as("the poll that sees the last write sees files changing").hasSize(1);
        source.pollOnce();

        assertThat(target.last().versionNumbers()).containsExactly(2L);
        assertThat(pathOf(target.last().versions().get(0).loader())).isEqualTo(v2);
        assertThat(monitor.state(new ServableId("m", 2))).as("no END: the manager's START replaces the wait")
                .map(ServableState::state).contains(ManagerState.START);
    }

    @Test
    void aWaitingVersionNeverCountsAsOneOfTheLatest() throws IOException {
        settledVersion("1");
        settledVersion("2");
        settle(writeFile(base.resolve("3/saved_model.pb"), "graph of 3"));

        source.updateConfig(List.of(new MonitoredModel("m", base, new Latest(2))));

        assertThat(target.last().versionNumbers()).containsExactly(1L, 2L);
        assertThat(monitor.versionStates("m")).containsOnlyKeys(3L);
    }

    @Test
    void everyPickedVersionThatIsIncompleteWaitsAndTheNextCompleteOneServes() throws IOException {
        settledVersion("1");
        settle(writeFile(base.resolve("2/saved_model.pb"), "graph of 2"));
        settle(Files.createDirectories(base.resolve("3")));

        source.updateConfig(List.of(new MonitoredModel("m", base, new Latest(1))));

        assertThat(target.last().versionNumbers()).containsExactly(1L);
        assertThat(monitor.versionStates("m")).containsOnlyKeys(2L, 3L);
        assertThat(monitor.state(new ServableId("m", 3)).orElseThrow().health().message())
                .isEqualTo("waiting for saved_model.pb");
    }

    @Test
    void aWaitEndsWhenItsFolderGoesAwayOrANewerVersionIsComplete() throws IOException {
        settledVersion("1");
        Path v2 = settle(writeFile(base.resolve("2/saved_model.pb"), "graph of 2"));
        source.updateConfig(List.of(new MonitoredModel("m", base, new Latest(1))));
        assertThat(monitor.state(new ServableId("m", 2)).map(ServableState::waiting)).contains(true);

        TestFolders.delete(v2);
        source.pollOnce();

        assertThat(monitor.state(new ServableId("m", 2))).hasValueSatisfying(state -> {
            assertThat(state.state()).isEqualTo(ManagerState.END);
            assertThat(state.failed()).isFalse();
        });

        settle(writeFile(base.resolve("3/saved_model.pb"), "graph of 3"));
        source.pollOnce();
        assertThat(monitor.state(new ServableId("m", 3)).map(ServableState::waiting)).contains(true);
        settledVersion("4");
        source.pollOnce();
        assertThat(target.last().versionNumbers()).containsExactly(4L);
        assertThat(monitor.state(new ServableId("m", 3)).map(ServableState::state)).contains(ManagerState.END);
    }

    @Test
    void theLastVersionKeepsServingWhenEveryVersionFolderVanishesUntilANewOneIsComplete() throws IOException {
        Path v1 = settledVersion("1");
        source.updateConfig(List.of(new MonitoredModel("m", base, new Latest(1))));
        assertThat(target.last().versionNumbers()).containsExactly(1L);

        // An NFS mount that lists empty for a poll, or a deleted folder: nothing to serve on disk.
        TestFolders.delete(v1);
        source.pollOnce();
        source.pollOnce();
        assertThat(target.calls()).as("the target is never told to serve nothing").hasSize(1);

        // A config reload re-tells the target what it serves: still version 1, with the loader it had.
        source.updateConfig(List.of(new MonitoredModel("m", base, new Latest(1))));
        assertThat(target.last().versionNumbers()).containsExactly(1L);
        assertThat(pathOf(target.last().versions().get(0).loader())).isEqualTo(v1);

        // The only new version is incomplete: version 1 still serves.
        settle(writeFile(base.resolve("2/saved_model.pb"), "graph of 2"));
        source.pollOnce();
        assertThat(target.last().versionNumbers()).containsExactly(1L);

        settledVersion("3");
        source.pollOnce();
        assertThat(target.last().versionNumbers()).containsExactly(3L);
    }

    @Test
    void aPolicyThatNoLongerSelectsTheKeptVersionUnloadsIt() throws IOException {
        Path v1 = settledVersion("1");
        source.updateConfig(List.of(new MonitoredModel("m", base, new Latest(1))));
        TestFolders.delete(v1);
        source.pollOnce();

        // What the console does to unload the last version: a specific policy without it.
        source.updateConfig(List.of(new MonitoredModel("m", base, new Specific(new TreeSet<>()))));

        assertThat(target.last().versionNumbers()).isEmpty();
    }

    @Test
    void aModelDroppedFromTheConfigEndsItsWaits() throws IOException {
        settle(writeFile(base.resolve("1/saved_model.pb"), "graph of 1"));
        source.updateConfig(List.of(new MonitoredModel("m", base, new Latest(1))));
        assertThat(monitor.state(new ServableId("m", 1)).map(ServableState::waiting)).contains(true);

        source.updateConfig(List.of());

        assertThat(monitor.state(new ServableId("m", 1)).map(ServableState::state)).contains(ManagerState.END);
    }

    @Test
    void aReadinessCheckThatThrowsMakesTheVersionWait() throws IOException {
        Path v1 = settledVersion("1");
        FileSystemStoragePathSource throwing = new FileSystemStoragePathSource(this::loaderFor, folder -> {
            throw new IllegalStateException("bug in a format check");
        }, target, monitor, Duration.ofSeconds(1), clock);
        try {
            throwing.updateConfig(List.of(new MonitoredModel("m", base, new Latest(1))));
        } finally {
            throwing.close();
        }

        assertThat(target.last().versionNumbers()).isEmpty();
        assertThat(monitor.state(new ServableId("m", 1)).orElseThrow().health().message())
                .contains("bug in a format check");
        assertThat(loadersMade).doesNotContainKey(v1);
    }

    @Test
    void aFolderSeenForTheFirstTimeIsAspiredAtOnceWhenQuietForTheQuietPeriod() throws IOException {
        completeVersion(base, "1");
        clock.set(Instant.now().plus(FileSystemStoragePathSource.DEFAULT_QUIET_PERIOD).plusSeconds(1));

        source.updateConfig(List.of(new MonitoredModel("m", base, new Latest(1))));

        assertThat(target.last().versionNumbers()).containsExactly(1L);
    }

    @Test
    void aFreshFolderSeenForTheFirstTimeWaitsForTheNextPoll() throws IOException {
        completeVersion(base, "1");

        source.updateConfig(List.of(new MonitoredModel("m", base, new Latest(1))));
        assertThat(target.last().versionNumbers()).isEmpty();

        source.pollOnce();
        assertThat(target.last().versionNumbers()).containsExactly(1L);
    }

    @Test
    void anAspiredVersionStaysAspiredWhenItsFolderChangesLater() throws IOException {
        Path v1 = settledVersion("1");
        source.updateConfig(List.of(new MonitoredModel("m", base, new Latest(1))));

        Files.writeString(v1.resolve("extra.txt"), "touched");
        source.pollOnce();
        source.pollOnce();

        assertThat(target.calls()).singleElement().satisfies(call -> assertThat(call.versionNumbers()).containsExactly(1L));
    }

    @Test
    void anEmptyFolderIsNeverAspired() throws IOException {
        settledVersion("1");
        Path empty = Files.createDirectories(base.resolve("2"));
        Files.setLastModifiedTime(empty, FileTime.from(LONG_AGO));

        source.updateConfig(List.of(new MonitoredModel("m", base, new Latest(1))));
        source.pollOnce();
        source.pollOnce();

        assertThat(target.calls()).singleElement().satisfies(call -> assertThat(call.versionNumbers()).containsExactly(1L));
        assertThat(monitor.state(new ServableId("m", 2)).orElseThrow().health().message())
                .isEqualTo("waiting for saved_model.pb");
    }

    @Test
    void tellsTheTargetOnlyWhenTheAspiredSetChangesAndAfterEveryConfigUpdate() throws IOException {
        settledVersion("1");
        List<MonitoredModel> config = List.of(new MonitoredModel("m", base, new Latest(1)));

        source.updateConfig(config);
        source.pollOnce();
        source.pollOnce();
        assertThat(target.calls()).hasSize(1);

        source.updateConfig(config);
        assertThat(target.calls()).hasSize(2);
        assertThat(target.last().versionNumbers()).containsExactly(1L);
    }

    @Test
    void keepsTheSameLoaderForAVersionAcrossPolls() throws IOException {
        settledVersion("1");
        source.updateConfig(List.of(new MonitoredModel("m", base, new All())));
        Loader firstLoader = target.last().versions().get(0).loader();

        settledVersion("2");
        source.pollOnce();

        assertThat(target.last().versionNumbers()).containsExactly(1L, 2L);
        assertThat(target.last().versions().get(0).loader()).isSameAs(firstLoader);
        assertThat(loadersMade).containsEntry(base.resolve("1"), 1).containsEntry(base.resolve("2"), 1);
    }

    @Test
    void aVersionThatComesBackGetsANewLoader() throws IOException {
        settledVersion("1");
        source.updateConfig(List.of(new MonitoredModel("m", base, new Latest(1))));
        Loader firstLoader = target.last().versions().get(0).loader();

        Path v2 = settledVersion("2");
        source.pollOnce();
        TestFolders.delete(v2);
        source.pollOnce();

        assertThat(target.callsFor("m")).extracting(RecordingTarget.Call::versionNumbers)
                .containsExactly(List.of(1L), List.of(2L), List.of(1L));
        assertThat(target.last().versions().get(0).loader()).isNotSameAs(firstLoader);
    }

    @Test
    void aVersionWhoseLoadFailedGetsANewLoaderOnceItsFilesChange() throws Exception {
        Path v1 = settledVersion("1");
        source.updateConfig(List.of(new MonitoredModel("m", base, new Latest(1))));
        Loader failed = target.last().versions().get(0).loader();
        assertThatThrownBy(failed::load).as("this test's loaders always fail").isInstanceOf(UnsupportedOperationException.class);

        source.pollOnce();
        assertThat(target.calls()).as("same files, same loader: retries stay the manager's").hasSize(1);

        // The broken copy is fixed in place: no rename, no restart.
        Files.writeString(v1.resolve("variables/variables.data-00000-of-00001"), "the shard that was missing");
        source.pollOnce();

        assertThat(target.calls()).hasSize(2);
        assertThat(target.last().versionNumbers()).containsExactly(1L);
        assertThat(target.last().versions().get(0).loader()).isNotSameAs(failed);
        assertThat(loadersMade).containsEntry(v1, 2);
    }

    @Test
    void aVersionThatNeverFailedKeepsItsLoaderWhenItsFilesChange() throws Exception {
        Path v1 = settledVersion("1");
        source.updateConfig(List.of(new MonitoredModel("m", base, new Latest(1))));

        Files.writeString(v1.resolve("assets.extra.txt"), "written after the load");
        source.pollOnce();

        assertThat(target.calls()).hasSize(1);
        assertThat(loadersMade).containsEntry(v1, 1);
    }

    @Test
    void aRemovedFolderIsUnaspired() throws IOException {
        settledVersion("1");
        Path v2 = settledVersion("2");
        source.updateConfig(List.of(new MonitoredModel("m", base, new All())));

        TestFolders.delete(v2);
        source.pollOnce();

        assertThat(target.last().versionNumbers()).containsExactly(1L);
    }

    @Test
    void aModelDroppedFromTheConfigGetsAnEmptyAspiredSet() throws IOException {
        settledVersion("1");
        source.updateConfig(List.of(new MonitoredModel("m", base, new All())));

        source.updateConfig(List.of());

        assertThat(target.last().name()).isEqualTo("m");
        assertThat(target.last().versions()).isEmpty();
        source.pollOnce();
        assertThat(target.calls()).hasSize(2);
    }

    @Test
    void aMissingBasePathAspiresNothingUntilItAppears() throws IOException {
        Path missing = base.resolve("not-yet");

        source.updateConfig(List.of(new MonitoredModel("m", missing, new Latest(1))));
        source.pollOnce();
        assertThat(target.calls()).isEmpty();

        settledVersion(missing, "3");
        source.pollOnce();

        assertThat(target.last().versionNumbers()).containsExactly(3L);
    }

    @Test
    void pollsOnANamedDaemonThreadOnceStarted() throws Exception {
        FileSystemStoragePathSource polling = new FileSystemStoragePathSource(this::loaderFor, readiness, target,
                monitor, Duration.ofMillis(10), clock);
        try {
            polling.updateConfig(List.of(new MonitoredModel("m", base, new Latest(1))));
            polling.start();
            settledVersion("4");

            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (target.last().versionNumbers().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }

            assertThat(target.last().versionNumbers()).containsExactly(4L);
            assertThat(target.last().thread().getName()).isEqualTo("servedeck-fs-poller");
            assertThat(target.last().thread().isDaemon()).isTrue();
        } finally {
            polling.close();
        }
    }

    @Test
    void feedsTheManagerEndToEnd() throws Exception {
        try (AspiredVersionsManager manager = new AspiredVersionsManager(monitor, new AvailabilityPreservingPolicy(),
                1, 1, Clock.systemUTC());
                FileSystemStoragePathSource feeding = new FileSystemStoragePathSource(
                        path -> FakeLoader.succeeding(path.getFileName().toString()), readiness, manager, monitor,
                        Duration.ofSeconds(1), clock)) {
            settledVersion("1");
            feeding.updateConfig(List.of(new MonitoredModel("m", base, new Latest(1))));
            assertThat(monitor.awaitState(new ServableId("m", 1), s -> s.state() == ManagerState.AVAILABLE,
                    Duration.ofSeconds(5))).isTrue();

            settledVersion("2");
            feeding.pollOnce();

            assertThat(monitor.awaitState(new ServableId("m", 1), s -> s.state() == ManagerState.END,
                    Duration.ofSeconds(5))).isTrue();
            try (ServableHandle handle = manager.acquire(ServableRequest.latest("m"))) {
                assertThat(handle.id()).isEqualTo(new ServableId("m", 2));
            }
        }
    }

    private Loader loaderFor(Path versionFolder) {
        loadersMade.merge(versionFolder, 1, Integer::sum);
        return new PathLoader(versionFolder);
    }

    /** A loader that only remembers its folder; the source never loads. */
    private static final class PathLoader implements Loader {

        private final Path path;

        PathLoader(Path path) {
            this.path = path;
        }

        Path path() {
            return path;
        }

        @Override
        public Servable load() {
            throw new UnsupportedOperationException("the source never loads");
        }
    }

    /** A complete version folder whose files were last written long ago. */
    private Path settledVersion(String name) throws IOException {
        return settledVersion(base, name);
    }

    private static Path settledVersion(Path basePath, String name) throws IOException {
        return settle(completeVersion(basePath, name));
    }

    /** A version folder holding every file {@link #readiness} asks for, just written. */
    private static Path completeVersion(Path basePath, String name) throws IOException {
        Path folder = Files.createDirectories(basePath.resolve(name));
        Files.createDirectories(folder.resolve("variables"));
        Files.writeString(folder.resolve("saved_model.pb"), "graph of " + name);
        Files.writeString(folder.resolve("variables/variables.index"), "index");
        return folder;
    }

    /** Writes a file, making its folders; returns its version folder (the base path's child). */
    private Path writeFile(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return base.resolve(base.relativize(file).getName(0));
    }

    private static Path settle(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.setLastModifiedTime(path, FileTime.from(LONG_AGO));
            }
        }
        return folder;
    }

    /** The folder a version's loader loads, through the source's watching wrapper. */
    private static Path pathOf(Loader loader) {
        return ((PathLoader) ((WatchedVersionLoader) loader).watched()).path();
    }
}
