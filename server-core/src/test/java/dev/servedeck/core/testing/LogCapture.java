package dev.servedeck.core.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** What one class logs while a test runs, through a logback appender of its own. */
public final class LogCapture implements AutoCloseable {

    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private LogCapture(Class<?> source) {
        this.logger = (Logger) LoggerFactory.getLogger(source);
        appender.start();
        logger.addAppender(appender);
    }

    /** Starts capturing what {@code source}'s logger logs. */
    public static LogCapture of(Class<?> source) {
        return new LogCapture(source);
    }

    /** The events so far (logged from any thread). */
    public List<ILoggingEvent> events() {
        // AppenderBase appends under the appender's lock: copy under it too.
        synchronized (appender) {
            return List.copyOf(appender.list);
        }
    }

    /** The formatted messages so far. */
    public List<String> messages() {
        return events().stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
    }
}
