package dev.servedeck.core.loadgen.rest;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * Native epoll where Netty's Linux library loads, NIO elsewhere, for client connections (the REST server's
 * NettyTransport makes the same choice for server sockets). The epoll classes are a runtime-only dependency,
 * so they are reached by name rather than imported.
 */
record ClientTransport(String name, IoHandlerFactory ioHandlers, Class<? extends SocketChannel> channel) {

    static ClientTransport detect() {
        try {
            Class<?> epoll = Class.forName("io.netty.channel.epoll.Epoll");
            if (Boolean.TRUE.equals(epoll.getMethod("isAvailable").invoke(null))) {
                IoHandlerFactory factory = (IoHandlerFactory) Class.forName("io.netty.channel.epoll.EpollIoHandler")
                        .getMethod("newFactory").invoke(null);
                Class<? extends SocketChannel> channel = Class.forName("io.netty.channel.epoll.EpollSocketChannel")
                        .asSubclass(SocketChannel.class);
                return new ClientTransport("epoll", factory, channel);
            }
        } catch (ReflectiveOperationException | LinkageError e) {
            // NIO below
        }
        return new ClientTransport("nio", NioIoHandler.newFactory(), NioSocketChannel.class);
    }
}
