package dev.servedeck.core.rest;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Native epoll where Netty's Linux library loads, NIO elsewhere. The epoll classes are a runtime-only
 * dependency (the build picks the native jar per OS), so they are reached by name rather than imported.
 */
record NettyTransport(String name, IoHandlerFactory ioHandlers, Class<? extends ServerChannel> serverChannel) {

    private static final Logger LOG = LoggerFactory.getLogger(NettyTransport.class);

    static NettyTransport detect() {
        try {
            Class<?> epoll = Class.forName("io.netty.channel.epoll.Epoll");
            if (Boolean.TRUE.equals(epoll.getMethod("isAvailable").invoke(null))) {
                IoHandlerFactory factory = (IoHandlerFactory) Class.forName("io.netty.channel.epoll.EpollIoHandler")
                        .getMethod("newFactory").invoke(null);
                Class<? extends ServerChannel> channel = Class.forName("io.netty.channel.epoll.EpollServerSocketChannel")
                        .asSubclass(ServerChannel.class);
                return new NettyTransport("epoll", factory, channel);
            }
            LOG.debug("Native epoll unavailable, using NIO", (Throwable) epoll.getMethod("unavailabilityCause").invoke(null));
        } catch (ReflectiveOperationException | LinkageError e) {
            LOG.debug("Native epoll not on the class path, using NIO: {}", e.toString());
        }
        return new NettyTransport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class);
    }
}
