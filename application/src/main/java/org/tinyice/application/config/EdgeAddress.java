package org.tinyice.application.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;

/**
 * Where listeners reach an edge: {@code http://host:port}, the address a full server sends them to
 * ({@code "redirect_to"}, {@code "master": {"public_url"}}, or what an edge reported on its stream-list
 * poll). The host is held to letters, digits, dots, dashes and an IPv6 literal's colons, because it ends
 * up in a {@code Location} header that players follow.
 *
 * @param host a host name or an IP address (an IPv6 one without brackets)
 * @param port 1 to 65535
 */
public record EdgeAddress(String host, int port) {

    public EdgeAddress {
        Objects.requireNonNull(host, "host");
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty() || host.length() > 253 || !host.matches("[A-Za-z0-9.:-]+")) {
            throw new IllegalArgumentException("not a host name or IP address: " + host);
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("not a port: " + port);
        }
    }

    /**
     * Reads {@code http://host:port} (port 80 when left out; a lone {@code /} path is allowed).
     *
     * @param key the setting it comes from, named in the message when it is refused
     */
    public static EdgeAddress parse(String text, String key) {
        String problem = "\"" + key + "\" must look like http://host:port (plain http, no path, user, query or"
                + " fragment): " + text;
        URI url;
        try {
            url = new URI(text);
        } catch (URISyntaxException e) {
            throw new InvalidSettingException(problem, key);
        }
        if (!"http".equalsIgnoreCase(url.getScheme()) || url.getHost() == null || url.getRawUserInfo() != null
                || url.getRawQuery() != null || url.getRawFragment() != null
                || !(url.getRawPath() == null || url.getRawPath().isEmpty() || url.getRawPath().equals("/"))) {
            throw new InvalidSettingException(problem, key);
        }
        try {
            return new EdgeAddress(url.getHost(), url.getPort() < 0 ? 80 : url.getPort());
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(problem, key);
        }
    }

    /** {@code http://host:port} and then {@code pathAndQuery} as the listener asked for it. */
    public String urlOf(String pathAndQuery) {
        return this + pathAndQuery;
    }

    /** {@code http://host:port}, as written in the file. */
    @Override
    public String toString() {
        return "http://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
