package io.livestage.devstack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Port checks, so a busy port is reported before a component fails with a less obvious error. */
public final class Ports {

    private Ports() {
    }

    /** Free on {@code host} and on the wildcard address (a service listening on 0.0.0.0 holds it too). */
    public static boolean isFree(String host, int port) {
        try (ServerSocket wildcard = new ServerSocket(); ServerSocket loopback = new ServerSocket()) {
            wildcard.setReuseAddress(true);
            wildcard.bind(new InetSocketAddress(port));
            wildcard.close();
            loopback.setReuseAddress(true);
            loopback.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Throws a {@link DevStackException} naming the env var that moves the component to another port. */
    public static void requireFree(String what, int port, String envVar) {
        if (!isFree(DevStackConfig.HOST, port)) {
            throw new DevStackException(what + ": port " + port + " on " + DevStackConfig.HOST + " is already in use.",
                    "Is a previous stack still running? Try ./livestage down. Otherwise find the process with"
                            + " `lsof -iTCP:" + port + " -sTCP:LISTEN` (or `ss -ltnp | grep " + port + "`),"
                            + " stop it, or pick another port: " + envVar + "=<port> ./livestage up");
        }
    }

    public static boolean accepts(String host, int port, int timeoutMillis) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), timeoutMillis);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A port that was free a moment ago (tests). */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getByName(DevStackConfig.HOST))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("No free port", e);
        }
    }
}
