package org.tinyice.adapters.http.icecast;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.lang.reflect.Constructor;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.tinyice.adapters.http.TinyIceHttpServer;
import org.tinyice.adapters.http.api.ApiHttpService;
import org.tinyice.adapters.http.dashboard.Dashboard;
import org.tinyice.adapters.http.dashboard.LiveEvents;
import org.tinyice.adapters.http.dashboard.PublicHttpService;

/**
 * Helidon's routes and {@link IcecastRequests} must agree: a connection whose first request line
 * Icecast's side claims never reaches Helidon's routing, so a page or API route that Icecast claims
 * would answer Icecast's 404, and a path Icecast leaves to Helidon that no route serves would get
 * Helidon's. The routes are read off the real services by recording what they register.
 */
class RoutedPathsTest {

    private record Route(String method, String path) { }

    /** Every route the server registers, as {@link TinyIceHttpServer#routes} registers them. */
    private static List<Route> routes() throws Exception {
        LiveEvents events = new LiveEvents(() -> 1);
        Dashboard dashboard = construct(Dashboard.class, events);
        List<Map.Entry<String, HttpService>> pages = new ArrayList<>();
        dashboard.services().forEach(service -> pages.add(Map.entry("/admin", service)));
        pages.add(Map.entry("", construct(PublicHttpService.class, events)));
        List<Route> routes = new ArrayList<>();
        TinyIceHttpServer.routes(recorder("", routes), construct(ApiHttpService.class, events), pages, () -> true, java.util.List::of);
        return routes;
    }

    /** A service built with its widest constructor, its use cases mocked (routing only takes method references). */
    private static <T> T construct(Class<T> type, LiveEvents events) throws Exception {
        Constructor<?> widest = Arrays.stream(type.getConstructors())
                .max(Comparator.comparingInt(Constructor::getParameterCount)).orElseThrow();
        Object[] arguments = Arrays.stream(widest.getParameterTypes())
                .map(p -> p == LiveEvents.class ? events : p == Clock.class ? Clock.systemUTC() : mock(p))
                .toArray();
        return type.cast(widest.newInstance(arguments));
    }

    /** An {@link HttpRules} that records each route under {@code prefix} and walks registered services. */
    private static HttpRules recorder(String prefix, List<Route> routes) {
        return (HttpRules) Proxy.newProxyInstance(HttpRules.class.getClassLoader(), new Class<?>[] {HttpRules.class},
                (proxy, method, args) -> {
                    String name = method.getName();
                    Object[] given = args == null ? new Object[0] : args;
                    boolean everyPath = given.length == 0 || !(given[0] instanceof String);
                    if (name.equals("register")) {
                        String under = given.length > 0 && given[0] instanceof String s ? prefix + s : prefix;
                        for (Object services : given) {
                            if (services instanceof Object[] array) {
                                for (Object service : array) {
                                    HttpService real = service instanceof Supplier<?> supplier
                                            ? (HttpService) supplier.get() : (HttpService) service;
                                    real.routing(recorder(under, routes));
                                }
                            }
                        }
                    } else if (Set.of("get", "head", "any", "post", "put", "delete").contains(name)) {
                        // a handler without a pattern serves the prefix itself and everything under it
                        for (String pattern : everyPath ? List.of("", "/*") : List.of((String) given[0])) {
                            routes.add(new Route(name.toUpperCase(), prefix + pattern));
                        }
                    } else if (!method.getReturnType().equals(HttpRules.class)) {
                        throw new UnsupportedOperationException("record " + method);
                    }
                    return proxy;
                });
    }

    /** A concrete path a route pattern matches: {@code /player/*} becomes {@code /player/x}. */
    private static String example(String pattern) {
        String path = pattern.replace("*", "x").replace("{", "").replace("}", "");
        return path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
    }

    @Test
    void everyRouteThatABrowserGetsIsLeftToHelidon() throws Exception {
        List<Route> routes = routes();
        assertTrue(routes.size() > 20, "recorded " + routes);
        for (Route route : routes) {
            if (route.method().equals("GET") || route.method().equals("HEAD") || route.method().equals("ANY")) {
                String path = example(route.path());
                assertFalse(IcecastRequests.isIcecast("GET " + path + " HTTP/1.1"),
                        route + " is registered with Helidon, but Icecast's side claims GET " + path);
            }
        }
    }

    @Test
    void everyPathLeftToHelidonHasARoute() throws Exception {
        Set<String> served = new TreeSet<>();
        for (Route route : routes()) {
            served.add(example(route.path()));
        }
        for (String path : IcecastRequests.ROUTED_EXACT) {
            assertTrue(served.contains(path) || path.equals("/metrics"),
                    path + " is left to Helidon, but no route serves it: " + served);
        }
        for (String prefix : IcecastRequests.ROUTED_PREFIXES) {
            assertTrue(served.stream().anyMatch(path -> path.startsWith(prefix)) || prefix.equals("/metrics/"),
                    prefix + "... is left to Helidon, but no route serves it: " + served);
        }
    }
}
