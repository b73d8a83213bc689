package dev.servedeck.core.main;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servedeck.core.tensorflow.ModelWarmupOptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** --enable_model_warmup and --num_request_iterations_for_warmup, parsed in process, with TF Serving's defaults. */
class WarmupFlagsTest {

    @Test
    void warmupIsOnAndReplaysOnceByDefault() {
        assertThat(warmup()).isEqualTo(new ModelWarmupOptions(true, 1));
    }

    @Test
    void enableModelWarmupFalseSwitchesItOff() {
        assertThat(warmup("--enable_model_warmup=false").enabled()).isFalse();
        assertThat(warmup("--enable_model_warmup").enabled()).isTrue();
    }

    @Test
    void iterationsCountOnlyWhenPositiveAsInTfServing() {
        assertThat(warmup("--num_request_iterations_for_warmup=4").requestIterations()).isEqualTo(4);
        assertThat(warmup("--num_request_iterations_for_warmup=0").requestIterations()).isEqualTo(1);
        assertThat(warmup("--num_request_iterations_for_warmup=-3").requestIterations()).isEqualTo(1);
    }

    private static ModelWarmupOptions warmup(String... args) {
        ServerCommand command = new ServerCommand();
        new CommandLine(command).parseArgs(args);
        return command.serverOptions().core().tensorflow().warmup();
    }
}
