package org.tinyice.adapters.http.dashboard;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tinyice.application.config.UserAccount.Role;
import org.tinyice.application.port.in.ControlMountsUseCase;
import org.tinyice.application.port.in.ControlMountsUseCase.ControlResult;
import org.tinyice.application.port.in.ControlMountsUseCase.ListenersResult;
import org.tinyice.application.port.in.LiveStatsQuery;
import org.tinyice.application.port.in.LogInUseCase;
import org.tinyice.application.port.in.LogInUseCase.DashboardSession;
import org.tinyice.application.port.in.LogInUseCase.LogInResult;
import org.tinyice.application.port.in.ManageLockoutsUseCase;
import org.tinyice.application.port.in.ManageLockoutsUseCase.LiftResult;
import org.tinyice.application.port.in.ManageUsersUseCase;
import org.tinyice.application.port.in.ManageUsersUseCase.UserChange;

/**
 * The admin dashboard under {@code /admin} (Icecast's own {@code /admin/<command>} paths never reach
 * this service: the Icecast connection takes them). Pages need a session and otherwise redirect to the
 * login page; JSON and the event stream answer 401 without one. Every POST from a session must carry
 * the session's CSRF token in {@code X-CSRF-Token}, and a POST whose {@code Origin} is another site is
 * refused; nothing changes state on GET. The rules of who may do what are the application's.
 */
public final class DashboardHttpService implements HttpService {

    static final HeaderName CSRF_HEADER = HeaderNames.create("X-CSRF-Token");
    private static final String JSON = "application/json; charset=UTF-8";
    private static final long MAX_FORM_BYTES = 8 * 1024;
    private static final DateTimeFormatter UNTIL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final LogInUseCase login;
    private final ManageLockoutsUseCase lockouts;
    private final ControlMountsUseCase control;
    private final ManageUsersUseCase users;
    private final LiveStatsQuery live;
    private final LiveEvents events;
    private final Assets assets;
    private final Clock clock;

    public DashboardHttpService(LogInUseCase login, ManageLockoutsUseCase lockouts, ControlMountsUseCase control,
                                ManageUsersUseCase users, LiveStatsQuery live, LiveEvents events, Clock clock) {
        this(login, lockouts, control, users, live, events, new Assets(), clock);
    }

    DashboardHttpService(LogInUseCase login, ManageLockoutsUseCase lockouts, ControlMountsUseCase control,
                         ManageUsersUseCase users, LiveStatsQuery live, LiveEvents events, Assets assets,
                         Clock clock) {
        this.login = login;
        this.lockouts = lockouts;
        this.control = control;
        this.users = users;
        this.live = live;
        this.events = events;
        this.assets = assets;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::dashboardPage)
                .get("/login", this::loginPage)
                .post("/login", this::logIn)
                .post("/logout", this::logOut)
                .get("/session", this::session)
                .get("/events", this::events)
                .get("/listeners", this::listeners)
                .post("/listeners/kick", this::kickListener)
                .post("/sources/kick", this::kickSource)
                .get("/lockouts", this::lockouts)
                .post("/lockouts/lift", this::liftLockout)
                .get("/users", this::users)
                .post("/users/add", this::addUser)
                .post("/users/remove", this::removeUser);
    }

    // ---- pages ----

    private void dashboardPage(ServerRequest req, ServerResponse res) {
        if (login.resume(SessionCookie.read(req).orElse("")).isEmpty()) {
            redirect(res, "/admin/login");
            return;
        }
        Assets.sendPage(res, assets.page("admin.html"));
    }

    private void loginPage(ServerRequest req, ServerResponse res) {
        if (login.peek(SessionCookie.read(req).orElse("")).isPresent()) {
            redirect(res, "/admin");
            return;
        }
        Assets.sendPage(res, loginHtml(""));
    }

    private void logIn(ServerRequest req, ServerResponse res) {
        if (!sameOrigin(req)) {
            json(res, Status.FORBIDDEN_403, LiveJson.message("error", "cross-site request refused"));
            return;
        }
        Optional<Map<String, String>> read = readForm(req, res);
        if (read.isEmpty()) {
            return;
        }
        Map<String, String> form = read.get();
        LogInResult result = login.logIn(new LogInUseCase.LogInCommand(form.get("user"), form.get("password"),
                remoteAddress(req), SessionCookie.read(req)));
        switch (result) {
            case LogInResult.LoggedIn in -> {
                SessionCookie.set(req, res, in.session().id());
                redirect(res, "/admin");
            }
            case LogInResult.Rejected r -> {
                res.status(Status.UNAUTHORIZED_401);
                Assets.sendPage(res, loginHtml("<p class=\"notice error\" id=\"login-error\">Wrong user name or password."
                        + "</p>"));
            }
            case LogInResult.LockedOut l -> {
                res.status(Status.TOO_MANY_REQUESTS_429);
                Assets.sendPage(res, loginHtml("<p class=\"notice error\" id=\"login-locked\">Too many failed logins"
                        + " from your address: locked out until " + escape(UNTIL.format(l.until()))
                        + ". An admin can lift this.</p>"));
            }
        }
    }

    private String loginHtml(String message) {
        return assets.page("login.html").replace("<!--message-->", message);
    }

    // ---- session ----

    private void logOut(ServerRequest req, ServerResponse res) {
        Optional<DashboardSession> session = mutation(req, res);
        if (session.isEmpty()) {
            return;
        }
        login.logOut(session.get().id());
        SessionCookie.clear(req, res);
        json(res, Status.OK_200, LiveJson.message("message", "logged out"));
    }

    private void session(ServerRequest req, ServerResponse res) {
        Optional<DashboardSession> session = login.resume(SessionCookie.read(req).orElse(""));
        if (session.isEmpty()) {
            unauthorized(res);
            return;
        }
        json(res, Status.OK_200, LiveJson.session(session.get().user(), session.get().csrfToken(),
                session.get().expiresAt()));
    }

    // ---- live view ----

    private void events(ServerRequest req, ServerResponse res) {
        String id = SessionCookie.read(req).orElse("");
        if (login.peek(id).isEmpty()) {
            unauthorized(res);
            return;
        }
        SecurityHeaders.apply(res, true);
        // the stream is background traffic: it does not keep an idle session alive, and it ends with it
        events.stream(res, () -> Optional.of(login.peek(id)
                .map(s -> LiveEvents.Event.of("stats", LiveJson.stats(live.liveStats(s.user()),
                        lockouts.lockouts(s.user()).orElse(List.of()))))
                .orElseGet(() -> LiveEvents.Event.last("logout", "{}"))));
    }

    private void listeners(ServerRequest req, ServerResponse res) {
        Optional<DashboardSession> session = login.peek(SessionCookie.read(req).orElse(""));
        if (session.isEmpty()) {
            unauthorized(res);
            return;
        }
        String mount = param(req, "mount");
        switch (control.listeners(session.get().user(), mount)) {
            case ListenersResult.Listeners l -> json(res, Status.OK_200, LiveJson.listeners(mount, l.listeners(),
                    clock.instant()));
            case ListenersResult.NoSuchMount n -> json(res, Status.NOT_FOUND_404,
                    LiveJson.message("error", "no source on that mount"));
            case ListenersResult.Forbidden f -> forbidden(res);
        }
    }

    // ---- actions ----

    private void kickListener(ServerRequest req, ServerResponse res) {
        Optional<DashboardSession> session = mutation(req, res);
        if (session.isEmpty()) {
            return;
        }
        long id;
        try {
            id = Long.parseLong(param(req, "id"));
        } catch (NumberFormatException e) {
            json(res, Status.BAD_REQUEST_400, LiveJson.message("error", "id must be a listener id"));
            return;
        }
        result(res, control.kickListener(session.get().user(), param(req, "mount"), id), "listener disconnected");
    }

    private void kickSource(ServerRequest req, ServerResponse res) {
        Optional<DashboardSession> session = mutation(req, res);
        if (session.isEmpty()) {
            return;
        }
        result(res, control.kickSource(session.get().user(), param(req, "mount")), "source disconnected");
    }

    private void lockouts(ServerRequest req, ServerResponse res) {
        Optional<DashboardSession> session = login.resume(SessionCookie.read(req).orElse(""));
        if (session.isEmpty()) {
            unauthorized(res);
            return;
        }
        lockouts.lockouts(session.get().user()).ifPresentOrElse(
                list -> json(res, Status.OK_200, LiveJson.lockouts(list)), () -> forbidden(res));
    }

    private void liftLockout(ServerRequest req, ServerResponse res) {
        Optional<DashboardSession> session = mutation(req, res);
        if (session.isEmpty()) {
            return;
        }
        switch (lockouts.lift(session.get().user(), param(req, "address"))) {
            case LiftResult.Lifted l -> json(res, Status.OK_200, LiveJson.message("message", "lockout lifted"));
            case LiftResult.NotLockedOut n -> json(res, Status.NOT_FOUND_404,
                    LiveJson.message("error", "that address is not locked out"));
            case LiftResult.Forbidden f -> forbidden(res);
        }
    }

    // ---- users (JSON only for now; the page to manage them is not built yet) ----

    private void users(ServerRequest req, ServerResponse res) {
        Optional<DashboardSession> session = login.resume(SessionCookie.read(req).orElse(""));
        if (session.isEmpty()) {
            unauthorized(res);
            return;
        }
        users.users(session.get().user()).ifPresentOrElse(
                list -> json(res, Status.OK_200, LiveJson.users(list)), () -> forbidden(res));
    }

    /** Form fields {@code name}, {@code password}, {@code role} ({@code admin} or {@code dj}), {@code mounts} (comma-separated). */
    private void addUser(ServerRequest req, ServerResponse res) {
        Optional<DashboardSession> session = mutation(req, res);
        if (session.isEmpty()) {
            return;
        }
        Optional<Map<String, String>> form = readForm(req, res);
        if (form.isEmpty()) {
            return;
        }
        Map<String, String> f = form.get();
        Role role = switch (f.getOrDefault("role", "dj")) {
            case "admin" -> Role.ADMIN;
            case "dj" -> Role.DJ;
            default -> null;
        };
        Set<String> mounts = new LinkedHashSet<>();
        for (String mount : f.getOrDefault("mounts", "").split(",")) {
            if (!mount.isBlank()) {
                mounts.add(mount.trim());
            }
        }
        userChange(res, users.addUser(session.get().user(),
                new ManageUsersUseCase.AddUserCommand(f.get("name"), f.get("password"), role, mounts)), "user added");
    }

    private void removeUser(ServerRequest req, ServerResponse res) {
        Optional<DashboardSession> session = mutation(req, res);
        if (session.isEmpty()) {
            return;
        }
        userChange(res, users.removeUser(session.get().user(), param(req, "name")), "user removed");
    }

    private static void userChange(ServerResponse res, UserChange change, String done) {
        switch (change) {
            case UserChange.Done d -> json(res, Status.OK_200, LiveJson.message("message", done));
            case UserChange.Forbidden f -> forbidden(res);
            case UserChange.NoSuchUser n -> json(res, Status.NOT_FOUND_404, LiveJson.message("error", "no such user"));
            case UserChange.AlreadyExists a -> json(res, Status.CONFLICT_409,
                    LiveJson.message("error", "a user of that name exists"));
            case UserChange.Invalid i -> json(res, Status.BAD_REQUEST_400, LiveJson.message("error", i.reason()));
        }
    }

    /**
     * The url-encoded form of a POST, or empty after answering 413: forms here are a few dozen bytes, so
     * no more than a little is read (nor an unbounded chunked body).
     */
    private static Optional<Map<String, String>> readForm(ServerRequest req, ServerResponse res) {
        if (!req.content().hasEntity()) {
            return Optional.of(Map.of());
        }
        if (req.headers().contentLength().orElse(Long.MAX_VALUE) > MAX_FORM_BYTES) {
            json(res, Status.REQUEST_ENTITY_TOO_LARGE_413, LiveJson.message("error", "form too large"));
            return Optional.empty();
        }
        return Optional.of(form(req.content().as(String.class)));
    }

    private static void result(ServerResponse res, ControlResult result, String done) {
        switch (result) {
            case ControlResult.Done d -> json(res, Status.OK_200, LiveJson.message("message", done));
            case ControlResult.NotFound n -> json(res, Status.NOT_FOUND_404, LiveJson.message("error", "not found"));
            case ControlResult.Forbidden f -> forbidden(res);
        }
    }

    /**
     * The session of a state-changing request, or empty after answering: 401 without a live session,
     * 403 for another site's request or a missing or wrong CSRF token.
     */
    private Optional<DashboardSession> mutation(ServerRequest req, ServerResponse res) {
        if (!sameOrigin(req)) {
            json(res, Status.FORBIDDEN_403, LiveJson.message("error", "cross-site request refused"));
            return Optional.empty();
        }
        Optional<DashboardSession> session = login.resume(SessionCookie.read(req).orElse(""));
        if (session.isEmpty()) {
            unauthorized(res);
            return Optional.empty();
        }
        if (!session.get().csrfMatches(req.headers().first(CSRF_HEADER).orElse(null))) {
            json(res, Status.FORBIDDEN_403, LiveJson.message("error", "missing or stale CSRF token: reload the page"));
            return Optional.empty();
        }
        return session;
    }

    /** A request without {@code Origin} (curl, old browsers) passes; one from another origin does not. */
    private static boolean sameOrigin(ServerRequest req) {
        Optional<String> origin = req.headers().first(HeaderNames.ORIGIN);
        if (origin.isEmpty()) {
            return true;
        }
        Optional<String> host = req.headers().first(HeaderNames.HOST);
        try {
            URI uri = URI.create(origin.get());
            String authority = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
            return host.isPresent() && authority != null && authority.equalsIgnoreCase(host.get());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static String remoteAddress(ServerRequest req) {
        SocketAddress address = req.remotePeer().address();
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return String.valueOf(address);
    }

    private static Map<String, String> form(String body) {
        Map<String, String> fields = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                try {
                    fields.putIfAbsent(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    // a malformed escape: leave that field out
                }
            }
        }
        return fields;
    }

    private static String param(ServerRequest req, String name) {
        return req.query().first(name).asOptional().orElse("");
    }

    private static void redirect(ServerResponse res, String location) {
        SecurityHeaders.apply(res, true).status(Status.SEE_OTHER_303).header(HeaderNames.LOCATION, location).send();
    }

    private static void unauthorized(ServerResponse res) {
        json(res, Status.UNAUTHORIZED_401, LiveJson.message("error", "log in first"));
    }

    private static void forbidden(ServerResponse res) {
        json(res, Status.FORBIDDEN_403, LiveJson.message("error", "not allowed for your account"));
    }

    static void json(ServerResponse res, Status status, String body) {
        SecurityHeaders.apply(res, true).status(status).header(HeaderNames.CONTENT_TYPE, JSON).send(body);
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }
}
