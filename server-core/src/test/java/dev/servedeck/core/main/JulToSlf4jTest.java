package dev.servedeck.core.main;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class JulToSlf4jTest {

    @Test
    void grpcJavaWarningsThroughJavaUtilLoggingReachTheServersLog() {
        Logger grpcLogger = (Logger) LoggerFactory.getLogger("io.grpc.netty.NettyServerHandler");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        grpcLogger.addAppender(appender);
        try {
            JulToSlf4j.install();
            JulToSlf4j.install(); // twice: must not log each record twice

            java.util.logging.Logger.getLogger("io.grpc.netty.NettyServerHandler")
                    .warning("Stream Error: client went away");

            List<ILoggingEvent> events = appender.list;
            assertEquals(1, events.size(), "one SLF4J event per JUL record");
            assertEquals(Level.WARN, events.get(0).getLevel());
            assertTrue(events.get(0).getFormattedMessage().contains("client went away"));
        } finally {
            grpcLogger.detachAppender(appender);
        }
    }
}
