package io.livestage.chat.ws;

import jakarta.enterprise.context.ApplicationScoped;

import io.netty.channel.ChannelHandlerContext;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.quarkus.websockets.next.UserData.TypedKey;
import io.smallrye.mutiny.Uni;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Takes from each room-channel handshake the Netty channel behind the socket (the Vert.x connection's handler
 * context, the one its WebSocket writes through) and hands it to the connection's user data. websockets-next exposes
 * neither the channel nor the Vert.x socket (which Vert.x Web wraps); the upgrade's HTTP request is public and its
 * connection is the socket's. The channel tells which event loop owns the socket and lets broadcasts write a shared
 * frame without a flush ({@link SocketWriter}). Never refuses an upgrade.
 */
@ApplicationScoped
public class RoomChannelUpgrade implements HttpUpgradeCheck {
    static final TypedKey<ChannelHandlerContext> CHANNEL = new TypedKey<>("livestage.chat.channel");

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        if (context.httpRequest().connection() instanceof ConnectionBase connection) {
            context.userData().put(CHANNEL, connection.channelHandlerContext());
        }
        return CheckResult.permitUpgrade();
    }
}
