package dev.servedeck.core.rest;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Right behind the SslHandler: a refused handshake (no client certificate, one from another CA, a client that
 * does not trust ours, a scanner) is the client's problem, logged at debug and the connection closed, instead of
 * a warning with a stack trace per attempt. Other failures pass on to the connection handler.
 */
@Sharable
final class TlsFailureLogger extends ChannelInboundHandlerAdapter {

    static final TlsFailureLogger INSTANCE = new TlsFailureLogger();
    private static final Logger LOG = LoggerFactory.getLogger(TlsFailureLogger.class);

    private TlsFailureLogger() {
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        SSLException tls = tlsCause(cause);
        if (tls == null) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        LOG.debug("TLS with {} failed: {}", ctx.channel().remoteAddress(), tls.toString());
        ctx.close();
    }

    private static SSLException tlsCause(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SSLException ssl) {
                return ssl;
            }
        }
        return null;
    }
}
