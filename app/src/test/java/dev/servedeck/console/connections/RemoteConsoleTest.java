package dev.servedeck.console.connections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.testfx.util.WaitForAsyncUtils.asyncFx;
import static org.testfx.util.WaitForAsyncUtils.waitFor;

import dev.servedeck.console.backend.ModelEntry;
import dev.servedeck.console.backend.RestCall;
import dev.servedeck.console.backend.RestReply;
import dev.servedeck.console.backend.ServerStatus;
import dev.servedeck.console.shell.Page;
import dev.servedeck.console.testing.ConsoleUnderTest;
import dev.servedeck.console.testing.RemoteTestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.framework.junit5.ApplicationExtension;

/**
 * The console opened with {@code --server} on a headless server in another process (TLS, tokens): a wrong token is
 * said clearly and freezes nothing, the right one makes every page work; when the network to the server goes away,
 * or the server process stops and a new one starts behind the same ports, the console says it is unreachable within
 * seconds, stays responsive, and comes back by itself.
 */
@ExtendWith(ApplicationExtension.class)
class RemoteConsoleTest {

    @RegisterExtension
    static final RemoteTestServer SERVER = RemoteTestServer.withDemoModels();

    @TempDir
    static Path dataDir;

    private ConsoleUnderTest console;

    @AfterEach
    void close() throws Exception {
        if (console != null) {
            console.close();
        }
    }

    @Test
    void aWrongTokenIsSaidClearlyAndTheRightOneMakesEveryPageWork(FxRobot robot) throws Exception {
        console = open(RemoteTestServer.WRONG_TOKEN);
        long started = System.nanoTime();
        CompletableFuture<Void> connecting = asyncFx(() -> console.composition().server().start()).get();
        waitUntil(10, () -> text(robot, "#serverState").equals("edge-test: Failed"));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        robot.clickOn("#nav-server");
        waitUntil(5, () -> text(robot, "#failure").startsWith("edge-test refused the console's token (UNAUTHENTICATED"));
        assertThat(text(robot, "#failure")).contains("check the token given with --token-file or on the Connections page");
        connecting.handle((done, failure) -> null).get(5, TimeUnit.SECONDS);
        // The refusal neither freezes the window nor lets operations wait: they fail at once with the reason.
        for (Page page : Page.values()) {
            robot.clickOn("#nav-" + page.name().toLowerCase());
        }
        assertThat(console.backend().loadVersion("half_plus_two", 1)).failsWithin(1, TimeUnit.SECONDS)
                .withThrowableThat().withMessageContaining("refused the console's token");
        assertThat(console.backend().models()).isEmpty();
        console.close();

        console = open(RemoteTestServer.ADMIN_TOKEN);
        console.startServer();
        waitUntil(10, () -> text(robot, "#serverState").equals("edge-test: Running"));
        robot.clickOn("#nav-server");
        assertThat(robot.lookup("#start").queryAs(Button.class).isDisabled()).isTrue();
        assertThat(robot.lookup("#stop").queryAs(Button.class).isDisabled()).isTrue();
        waitUntil(10, () -> text(robot, "#models").equals("2"));
        robot.clickOn("#nav-models");
        assertThat(text(robot, "#basePathNote")).startsWith("Base paths are folders on edge-test's machine");
        assertThat(robot.lookup("#browse").queryAs(Button.class).isDisabled()).isTrue();
        assertThat(console.backend().models()).extracting(ModelEntry::name).containsExactly("half_plus_two", "mlp");
        for (Page page : Page.values()) {
            robot.clickOn("#nav-" + page.name().toLowerCase());
        }
        robot.clickOn("#nav-connections");
        ListView<Connection> list = robot.lookup("#list").queryListView();
        assertThat(list.getItems()).extracting(Connection::name).contains("Embedded server", "edge-test");
        RestReply predicted = console.backend().sendRest(RestCall.post("/v1/models/half_plus_two:predict",
                "{\"instances\": [[1.0], [2.0]]}")).get(30, TimeUnit.SECONDS);
        assertThat(predicted.body().replace(" ", "")).contains("[[2.5],[3.0]]");
        asyncFx(() -> console.screenshot("console")).get();
    }

    @Test
    void aLostServerIsShownUnreachableWithinSecondsAndTheConsoleComesBackByItself(FxRobot robot) throws Exception {
        console = open(RemoteTestServer.ADMIN_TOKEN);
        console.startServer();
        robot.clickOn("#nav-monitor");
        waitUntil(10, () -> console.backend().statistics().isPresent());

        long cut = System.nanoTime();
        SERVER.cutNetwork();
        try {
            waitUntil(10, () -> text(robot, "#serverState").equals("edge-test: Unreachable"));
            Duration noticed = Duration.ofNanos(System.nanoTime() - cut);
            assertThat(noticed).isLessThan(Duration.ofSeconds(RemoteBackendTimings.NOTICE_WITHIN_SECONDS));
            assertThat(console.backend().status().message()).startsWith("Cannot reach edge-test (localhost:")
                    .contains("trying again in");
            // Responsive: the FX thread answers at once, pages open, operations fail fast with the reason.
            long asked = System.nanoTime();
            asyncFx(() -> true).get(1, TimeUnit.SECONDS);
            for (Page page : Page.values()) {
                robot.clickOn("#nav-" + page.name().toLowerCase());
            }
            assertThat(console.backend().setLabel("half_plus_two", "stable", 1)).failsWithin(1, TimeUnit.SECONDS)
                    .withThrowableThat().withMessageContaining("Cannot reach edge-test");
            assertThat(console.backend().sendRest(RestCall.get("/v1/models/half_plus_two")))
                    .failsWithin(1, TimeUnit.SECONDS);
            assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofSeconds(20));
            assertThat(console.backend().statistics()).isEmpty();
            robot.clickOn("#nav-server");
            waitUntil(5, () -> text(robot, "#failure").startsWith("Cannot reach edge-test"));
        } finally {
            SERVER.restoreNetwork();
        }

        // Back within the longest backoff (10 s) and a try; streams resume, operations work again.
        waitUntil(30, () -> console.backend().status().state() == ServerStatus.State.RUNNING);
        waitUntil(5, () -> text(robot, "#serverState").equals("edge-test: Running"));
        assertThat(console.backend().recentEvents()).anyMatch(event -> event.message().startsWith(
                "Connected again to edge-test"));
        waitUntil(10, () -> console.backend().statistics().isPresent());
        assertThat(console.backend().setLabel("half_plus_two", "stable", 1)).succeedsWithin(30, TimeUnit.SECONDS);
        waitUntil(10, () -> console.backend().models().stream().anyMatch(model -> model.labels().containsKey("stable")));
        assertThat(console.backend().removeLabel("half_plus_two", "stable")).succeedsWithin(30, TimeUnit.SECONDS);
    }

    @Test
    void aServerStoppedAndStartedAgainBehindTheSamePortsIsManagedAgain(FxRobot robot) throws Exception {
        console = open(RemoteTestServer.ADMIN_TOKEN);
        console.startServer();
        // A label the restarted server will not have: the console must show the new server, not its memory.
        assertThat(console.backend().setLabel("half_plus_two", "canary", 1)).succeedsWithin(60, TimeUnit.SECONDS);
        waitUntil(10, () -> console.backend().models().get(0).labels().containsKey("canary"));

        SERVER.stopProcess();
        waitUntil(10, () -> text(robot, "#serverState").equals("edge-test: Unreachable"));
        asyncFx(() -> true).get(1, TimeUnit.SECONDS);
        assertThat(console.backend().status().message()).startsWith("Cannot reach edge-test");

        SERVER.startProcessAgain();
        waitUntil(60, () -> console.backend().status().state() == ServerStatus.State.RUNNING);
        waitUntil(5, () -> text(robot, "#serverState").equals("edge-test: Running"));
        waitUntil(10, () -> console.backend().models().size() == 2
                && console.backend().models().get(0).labels().isEmpty());
        assertThat(console.backend().recentEvents()).anyMatch(event -> event.message().startsWith(
                "Connected again to edge-test"));
        RestReply predicted = console.backend().sendRest(RestCall.post("/v1/models/half_plus_two:predict",
                "{\"instances\": [[3.0]]}")).get(30, TimeUnit.SECONDS);
        assertThat(predicted.body().replace(" ", "")).contains("[[3.5]]");
        waitUntil(10, () -> console.backend().statistics().isPresent());
    }

    private ConsoleUnderTest open(String token) throws Exception {
        Stage stage = FxToolkit.registerPrimaryStage();
        return asyncFx(() -> ConsoleUnderTest.openRemote(stage, SERVER, token, dataDir)).get();
    }

    private static void waitUntil(int seconds, Callable<Boolean> condition) throws Exception {
        waitFor(seconds, TimeUnit.SECONDS, () -> asyncFx(condition).get());
    }

    private static String text(FxRobot robot, String query) throws Exception {
        return asyncFx(() -> robot.lookup(query).queryAs(Label.class).getText()).get();
    }

    /** What the console promises an operator about a lost server. */
    private static final class RemoteBackendTimings {
        /** The backend's silence limit is 5 s; a reset connection is seen at once. */
        static final int NOTICE_WITHIN_SECONDS = 8;
    }
}
