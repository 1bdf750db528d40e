package org.tinyice.adapters.http.hook;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.application.port.out.ListenerAuthHook;

/**
 * Icecast's URL authentication on the wire: form-encoded POSTs with Icecast's field names
 * ({@code action, server, port, client, mount, user, pass, ip, agent}, plus {@code duration} and
 * {@code sent} on removal), and the {@code icecast-auth-user: 1} answer header meaning "admit", so
 * hooks written for Icecast work unchanged.
 */
public final class HttpListenerAuthHook implements ListenerAuthHook {

    private static final System.Logger LOG = System.getLogger(HttpListenerAuthHook.class.getName());
    private static final Duration REMOVE_TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient client;
    private final Supplier<ServerConfig> config;

    public HttpListenerAuthHook(Supplier<ServerConfig> config) {
        this.config = config;
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public Decision listenerAdd(URI url, ListenerAdd request, Duration timeout) {
        Map<String, String> form = common("listener_add", request.clientId(), request.mount(), request.user(),
                request.address(), request.userAgent());
        form.put("pass", request.password());
        try {
            HttpResponse<Void> response = client.send(post(url, form, timeout), HttpResponse.BodyHandlers.discarding());
            if (response.headers().firstValue("icecast-auth-user").map(v -> v.trim().equals("1")).orElse(false)) {
                return Decision.ADMIT;
            }
            return response.statusCode() >= 500 ? Decision.UNREACHABLE : Decision.DENY;
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "listener auth hook " + masked(url) + " unreachable: " + e);
            return Decision.UNREACHABLE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Decision.UNREACHABLE;
        }
    }

    @Override
    public void listenerRemove(URI url, ListenerRemove notice) {
        Map<String, String> form = common("listener_remove", notice.clientId(), notice.mount(), notice.user(),
                notice.address(), notice.userAgent());
        form.put("duration", Long.toString(notice.durationSeconds()));
        form.put("sent", Long.toString(notice.bytesSent()));
        client.sendAsync(post(url, form, REMOVE_TIMEOUT), HttpResponse.BodyHandlers.discarding())
                .exceptionally(failure -> {
                    LOG.log(System.Logger.Level.WARNING, "listener_remove to " + masked(url) + " failed: " + failure);
                    return null;
                });
    }

    /**
     * The hook's address as logs may show it: operators put credentials in it (user info, a token in
     * the query), so those are replaced by {@code ***}; scheme, host, port and path stay to tell hooks apart.
     */
    static String masked(URI url) {
        StringBuilder out = new StringBuilder();
        if (url.getScheme() != null) {
            out.append(url.getScheme()).append("://");
        }
        String authority = url.getRawAuthority();
        if (authority != null) {
            int at = authority.lastIndexOf('@');
            out.append(at < 0 ? authority : "***@" + authority.substring(at + 1));
        }
        if (url.getRawPath() != null) {
            out.append(url.getRawPath());
        }
        if (url.getRawQuery() != null) {
            // a part without "=" may be a bare token: hidden whole
            out.append('?').append(Arrays.stream(url.getRawQuery().split("&", -1))
                    .map(part -> part.contains("=") ? part.substring(0, part.indexOf('=')) + "=***" : "***")
                    .collect(Collectors.joining("&")));
        }
        return out.toString();
    }

    private Map<String, String> common(String action, long client, String mount, String user, String address,
                                       String agent) {
        ServerConfig now = config.get();
        Map<String, String> form = new LinkedHashMap<>();
        form.put("action", action);
        form.put("server", now.hostname());
        form.put("port", Integer.toString(now.port()));
        form.put("client", Long.toString(client));
        form.put("mount", mount);
        form.put("user", user);
        form.put("ip", address);
        form.put("agent", agent);
        return form;
    }

    private static HttpRequest post(URI url, Map<String, String> form, Duration timeout) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }
}
