package io.livestage.gateway.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;

import io.vertx.core.net.SocketAddress;

/**
 * One instance of a service behind the gateway: a base URL of {@code livestage.gateway.services.<name>}. Parsed and
 * checked once at startup, so a typo stops the gateway with the property named instead of turning every request to
 * that service into a 502.
 *
 * @param url the base URL as configured (surrounding whitespace removed), used in logs and health data
 * @param host the host name or address connections go to (an IPv6 literal without its brackets)
 * @param port the port (80 when the URL names none)
 */
public record Origin(String url, String host, int port) {

    /** Where connections to this instance go. */
    public SocketAddress address() {
        return SocketAddress.inetSocketAddress(port, host);
    }

    /**
     * The instances of service {@code name}: {@code value} is one base URL or several separated by commas (whitespace
     * around each is ignored), each {@code http://host[:port]} with no path beyond {@code /}.
     *
     * @throws IllegalArgumentException naming {@code livestage.gateway.services.<name>} and the entry at fault
     */
    public static List<Origin> parseList(String name, String value) {
        String property = "livestage.gateway.services." + name;
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(property + " is empty: give the service's base URL, e.g. http://127.0.0.1:8081");
        }
        List<Origin> origins = new ArrayList<>();
        String[] entries = value.split(",", -1);
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].strip();
            if (entry.isEmpty()) {
                throw new IllegalArgumentException(property + " has an empty entry (#" + (i + 1) + " of " + entries.length
                        + " in '" + value + "'): separate base URLs with single commas, e.g. http://127.0.0.1:8081,http://127.0.0.1:9081");
            }
            origins.add(parse(property, entry));
        }
        return List.copyOf(origins);
    }

    private static Origin parse(String property, String entry) {
        if (!entry.contains("://")) {
            throw refused(property, entry, "no http:// in front (did you mean http://" + entry + "?)");
        }
        URI uri;
        try {
            uri = new URI(entry);
        } catch (URISyntaxException e) {
            throw refused(property, entry, "not a URL (" + e.getReason() + ")");
        }
        if (!"http".equalsIgnoreCase(uri.getScheme())) {
            throw refused(property, entry, uri.getScheme() == null ? "no scheme" : "the scheme is not http");
        }
        if (uri.getHost() == null) {
            throw refused(property, entry, "no valid host[:port]");
        }
        if (uri.getPort() > 65535) {
            throw refused(property, entry, "the port is over 65535");
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw refused(property, entry, "user info, query and fragment are not allowed");
        }
        if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")) {
            throw refused(property, entry, "a path is not supported (requests keep their own path)");
        }
        String host = uri.getHost();
        // an IPv6 literal is written [::1] in a URL, but connected to as ::1
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new Origin(entry, host, uri.getPort() > 0 ? uri.getPort() : 80);
    }

    private static IllegalArgumentException refused(String property, String entry, String why) {
        return new IllegalArgumentException(property + ": '" + entry + "' is not a base URL of the form "
                + "http://host[:port]: " + why);
    }
}
