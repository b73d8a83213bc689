package dev.servedeck.console.logs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servedeck.console.backend.ServerEvent;
import dev.servedeck.console.backend.ServerEvent.Severity;
import dev.servedeck.console.testing.FakeBackend;
import dev.servedeck.core.requestlog.RequestLogEntry;
import dev.servedeck.core.status.Code;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LogsViewModelTest {

    /** Holds "FX thread" work until the test runs it, so the test sees how many updates were posted. */
    private static final class HeldExecutor implements Executor {
        final List<Runnable> posted = new ArrayList<>();

        @Override
        public void execute(Runnable command) {
            posted.add(command);
        }

        void runAll() {
            List<Runnable> now = List.copyOf(posted);
            posted.clear();
            now.forEach(Runnable::run);
        }
    }

    private static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");

    private FakeBackend backend;
    private HeldExecutor fx;
    private LogsViewModel viewModel;

    @BeforeEach
    void setUp() {
        backend = new FakeBackend();
        fx = new HeldExecutor();
        viewModel = new LogsViewModel(backend, fx);
    }

    private static RequestLogEntry request(int i, String model, Code status) {
        return new RequestLogEntry(T0.plusMillis(i), model, status == Code.NOT_FOUND ? OptionalLong.empty() : OptionalLong.of(1),
                "serving_default", "Predict", i % 2 == 0 ? "REST" : "GRPC", status, 100 + i, 8, 8,
                Optional.empty(), Optional.empty());
    }

    private static ServerEvent event(Severity severity, String message) {
        return new ServerEvent(T0, severity, "server", message);
    }

    private void drainAndShow() {
        viewModel.drain();
        fx.runAll();
    }

    @Test
    void listenerCallsReachTheFxThreadInOneBatchPerDrain() {
        for (int i = 0; i < 1_000; i++) {
            backend.emitRequest(request(i, "half_plus_two", Code.OK));
        }
        backend.emit(event(Severity.INFO, "half_plus_two version 1 is AVAILABLE"));

        assertThat(fx.posted).as("listeners only queue").isEmpty();
        assertThat(viewModel.requests()).isEmpty();

        viewModel.drain();
        assertThat(fx.posted).hasSize(1);
        fx.runAll();

        assertThat(viewModel.requests()).hasSize(1_000);
        assertThat(viewModel.requests().get(0).latencyMicros()).isEqualTo(100);
        assertThat(viewModel.requests().get(999).latencyMicros()).isEqualTo(1_099);
        assertThat(viewModel.events()).extracting(EventRow::message).containsExactly("half_plus_two version 1 is AVAILABLE");

        viewModel.drain();
        assertThat(fx.posted).as("nothing queued, nothing posted").isEmpty();
    }

    @Test
    void aRequestRowShowsEveryColumn() {
        backend.emitRequest(request(3, "mlp", Code.OK));
        drainAndShow();

        RequestRow row = viewModel.requests().get(0);
        assertThat(row.model()).isEqualTo("mlp");
        assertThat(row.version()).isEqualTo("1");
        assertThat(row.signature()).isEqualTo("serving_default");
        assertThat(row.api()).isEqualTo("Predict");
        assertThat(row.entrypoint()).isEqualTo("GRPC");
        assertThat(row.status()).isEqualTo("OK");
        assertThat(row.ok()).isTrue();
        assertThat(row.latencyMicros()).isEqualTo(103);
        assertThat(row.requestBytes()).isEqualTo(8);
        assertThat(row.time()).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3}");
    }

    @Test
    void showsTheHistoryOnceEvenWhenAnEventArrivesWhileItIsRead() {
        ServerEvent started = event(Severity.INFO, "Serving 2 model(s)");
        ServerEvent racing = event(Severity.WARNING, "No version of extra found");
        FakeBackend racy = new FakeBackend() {
            @Override
            public List<ServerEvent> recentEvents() {
                emit(racing); // published between the subscription and the history read: seen by both
                return super.recentEvents();
            }
        };
        racy.emit(started);
        racy.requests = List.of(request(1, "half_plus_two", Code.OK));

        LogsViewModel late = new LogsViewModel(racy, fx);
        late.drain();
        fx.runAll();

        assertThat(late.events()).extracting(EventRow::message).containsExactly("Serving 2 model(s)", "No version of extra found");
        assertThat(late.requests()).hasSize(1);
    }

    @Test
    void keepsOnlyTheNewestRows() {
        int total = LogsViewModel.MAX_ROWS + 500;
        for (int i = 0; i < total; i++) {
            backend.emitRequest(request(i, "half_plus_two", Code.OK));
            if (i % 1_000 == 999) {
                drainAndShow();
            }
        }
        drainAndShow();

        assertThat(viewModel.requests()).hasSize(LogsViewModel.MAX_ROWS);
        assertThat(viewModel.requests().get(0).latencyMicros()).isEqualTo(100 + 500);
        assertThat(viewModel.requests().get(LogsViewModel.MAX_ROWS - 1).latencyMicros()).isEqualTo(100 + total - 1);
    }

    @Test
    void theQueueIsBoundedWhenTheFxThreadFallsBehind() {
        int total = 3 * LogsViewModel.MAX_ROWS;
        for (int i = 0; i < total; i++) {
            backend.emitRequest(request(i, "half_plus_two", Code.OK));
        }
        drainAndShow();

        assertThat(viewModel.requests()).hasSize(LogsViewModel.MAX_ROWS);
        assertThat(viewModel.requests().get(LogsViewModel.MAX_ROWS - 1).latencyMicros()).isEqualTo(100 + total - 1);
    }

    @Test
    void theFilterMatchesAnyColumnIgnoringCase() {
        backend.emitRequest(request(0, "half_plus_two", Code.OK));
        backend.emitRequest(request(1, "mlp", Code.OK));
        backend.emitRequest(request(2, "mlp", Code.INVALID_ARGUMENT));
        backend.emit(event(Severity.INFO, "mlp version 1 is AVAILABLE"));
        backend.emit(event(Severity.ERROR, "Loading half_plus_two version 3 failed"));
        drainAndShow();

        viewModel.filterProperty().set("MLP");
        assertThat(viewModel.visibleRequests()).extracting(RequestRow::model).containsExactly("mlp", "mlp");
        assertThat(viewModel.visibleEvents()).extracting(EventRow::message).containsExactly("mlp version 1 is AVAILABLE");
        assertThat(viewModel.requestCountProperty().get()).isEqualTo("2 of 3 requests");

        viewModel.filterProperty().set("invalid_arg");
        assertThat(viewModel.visibleRequests()).extracting(RequestRow::status).containsExactly("INVALID_ARGUMENT");

        viewModel.filterProperty().set("grpc");
        assertThat(viewModel.visibleRequests()).extracting(RequestRow::entrypoint).containsExactly("GRPC");

        viewModel.filterProperty().set("");
        assertThat(viewModel.visibleRequests()).hasSize(3);
        assertThat(viewModel.requestCountProperty().get()).isEqualTo("3 requests");
    }

    @Test
    void statusAndSeverityFiltersCombineWithTheText() {
        backend.emitRequest(request(0, "half_plus_two", Code.OK));
        backend.emitRequest(request(1, "nope", Code.NOT_FOUND));
        backend.emitRequest(request(2, "mlp", Code.INVALID_ARGUMENT));
        backend.emit(event(Severity.INFO, "started"));
        backend.emit(event(Severity.WARNING, "No version of x found"));
        backend.emit(event(Severity.ERROR, "Could not start"));
        drainAndShow();

        viewModel.statusFilterProperty().set(StatusFilter.ERRORS);
        assertThat(viewModel.visibleRequests()).extracting(RequestRow::model).containsExactly("nope", "mlp");
        assertThat(viewModel.visibleRequests().get(0).version()).as("failed before a version was chosen").isEmpty();
        viewModel.filterProperty().set("mlp");
        assertThat(viewModel.visibleRequests()).extracting(RequestRow::model).containsExactly("mlp");
        viewModel.filterProperty().set("");
        viewModel.statusFilterProperty().set(StatusFilter.OK);
        assertThat(viewModel.visibleRequests()).extracting(RequestRow::model).containsExactly("half_plus_two");

        viewModel.severityFilterProperty().set(SeverityFilter.WARNINGS_AND_ERRORS);
        assertThat(viewModel.visibleEvents()).extracting(EventRow::message).containsExactly("No version of x found", "Could not start");
        viewModel.severityFilterProperty().set(SeverityFilter.ERRORS);
        assertThat(viewModel.visibleEvents()).extracting(EventRow::message).containsExactly("Could not start");
    }

    @Test
    void pauseHoldsNewRowsAndResumeShowsThem() {
        backend.emitRequest(request(0, "half_plus_two", Code.OK));
        drainAndShow();
        viewModel.pausedProperty().set(true);

        backend.emitRequest(request(1, "half_plus_two", Code.OK));
        backend.emit(event(Severity.INFO, "while paused"));
        drainAndShow();

        assertThat(viewModel.requests()).hasSize(1);
        assertThat(viewModel.events()).isEmpty();
        assertThat(viewModel.heldProperty().get()).isEqualTo(2);

        viewModel.pausedProperty().set(false);

        assertThat(viewModel.requests()).hasSize(2);
        assertThat(viewModel.events()).extracting(EventRow::message).containsExactly("while paused");
        assertThat(viewModel.heldProperty().get()).isZero();
    }

    @Test
    void clearEmptiesBothTables() {
        backend.emitRequest(request(0, "half_plus_two", Code.OK));
        backend.emit(event(Severity.INFO, "started"));
        drainAndShow();

        viewModel.clear();

        assertThat(viewModel.requests()).isEmpty();
        assertThat(viewModel.events()).isEmpty();
        assertThat(viewModel.eventCountProperty().get()).isEqualTo("0 events");
    }

    @Test
    void copiesRowsAsTabSeparatedLines() {
        backend.emitRequest(request(0, "half_plus_two", Code.OK));
        backend.emit(event(Severity.ERROR, "Could not start: port in use"));
        drainAndShow();

        String requests = LogsViewModel.asText(viewModel.requests());
        String events = LogsViewModel.asText(viewModel.events());

        assertThat(requests).endsWith("\thalf_plus_two\t1\tserving_default\tPredict\tREST\tOK\t100\t8\t8");
        assertThat(events).endsWith("\tERROR\tserver\tCould not start: port in use");
        backend.emitRequest(request(1, "mlp", Code.OK));
        drainAndShow();
        assertThat(LogsViewModel.asText(viewModel.requests()).lines()).hasSize(2);
    }

    @Test
    void stopsListeningWhenClosed() {
        viewModel.close();

        backend.emitRequest(request(0, "half_plus_two", Code.OK));
        backend.emit(event(Severity.INFO, "after close"));
        viewModel.drain();

        assertThat(fx.posted).isEmpty();
    }
}
