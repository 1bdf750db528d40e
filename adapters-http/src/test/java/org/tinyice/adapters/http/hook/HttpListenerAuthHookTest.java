package org.tinyice.adapters.http.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tinyice.adapters.http.QueryString;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.application.port.out.ListenerAuthHook;
import org.tinyice.application.port.out.ListenerAuthHook.ListenerAdd;
import org.tinyice.application.port.out.ListenerAuthHook.ListenerRemove;
import org.tinyice.application.port.out.ListenerAuthHookContract;

/** {@link HttpListenerAuthHook} against real hook servers (the JDK's), speaking Icecast's form fields. */
class HttpListenerAuthHookTest extends ListenerAuthHookContract {

    private final List<HttpServer> servers = new ArrayList<>();
    private final Map<URI, List<Map<String, String>>> forms = new ConcurrentHashMap<>();
    private final HttpListenerAuthHook hook = new HttpListenerAuthHook(ServerConfig::defaults);

    @AfterEach
    void stop() {
        servers.forEach(server -> server.stop(0));
    }

    @Override
    protected ListenerAuthHook hook() {
        return hook;
    }

    @Override
    protected URI endpoint(Behaviour behaviour) throws IOException {
        if (behaviour == Behaviour.DOWN) {
            try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                return URI.create("http://127.0.0.1:" + free.getLocalPort() + "/auth");
            }
        }
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/auth");
        List<Map<String, String>> seen = new CopyOnWriteArrayList<>();
        forms.put(uri, seen);
        server.createContext("/auth", exchange -> answer(exchange, behaviour, seen));
        server.start();
        servers.add(server);
        return uri;
    }

    private static void answer(HttpExchange exchange, Behaviour behaviour, List<Map<String, String>> seen)
            throws IOException {
        seen.add(QueryString.parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.US_ASCII),
                StandardCharsets.UTF_8));
        switch (behaviour) {
            case ADMITS -> exchange.getResponseHeaders().add("icecast-auth-user", "1");
            case DENIES -> exchange.getResponseHeaders().add("icecast-auth-message", "not on the list");
            case HANGS -> {
                try {
                    Thread.sleep(SLOW.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            default -> { }
        }
        exchange.sendResponseHeaders(behaviour == Behaviour.FAILS ? 500 : 200, -1);
        exchange.close();
    }

    @Override
    protected List<ListenerAdd> additionsSeenBy(URI endpoint) {
        return forms.get(endpoint).stream().filter(f -> f.get("action").equals("listener_add"))
                .map(f -> new ListenerAdd(Long.parseLong(f.get("client")), f.get("mount"), f.get("ip"),
                        f.get("agent"), f.get("user"), f.get("pass")))
                .toList();
    }

    @Override
    protected List<ListenerRemove> removalsSeenBy(URI endpoint) {
        return forms.get(endpoint).stream().filter(f -> f.get("action").equals("listener_remove"))
                .map(f -> new ListenerRemove(Long.parseLong(f.get("client")), f.get("mount"), f.get("ip"),
                        f.get("agent"), f.get("user"), Long.parseLong(f.get("duration")),
                        Long.parseLong(f.get("sent"))))
                .toList();
    }

    @Test
    void aHookAddressIsLoggedWithoutItsCredentials() {
        assertEquals("https://***@auth.example:8443/icecast/add?token=***&station=***",
                HttpListenerAuthHook.masked(URI.create(
                        "https://radio:s3cret@auth.example:8443/icecast/add?token=abc123&station=one")));
        assertEquals("http://auth.example/add?***", HttpListenerAuthHook.masked(URI.create(
                "http://auth.example/add?abc123#frag")));
        assertEquals("http://127.0.0.1:9000/auth", HttpListenerAuthHook.masked(URI.create("http://127.0.0.1:9000/auth")));
    }
}
