package org.tinyice.adapters.http.dashboard;

import static org.tinyice.adapters.http.dashboard.DashboardGate.error;
import static org.tinyice.adapters.http.dashboard.DashboardGate.forbidden;
import static org.tinyice.adapters.http.dashboard.DashboardGate.json;
import static org.tinyice.adapters.http.dashboard.DashboardGate.listenerId;
import static org.tinyice.adapters.http.dashboard.DashboardGate.ok;
import static org.tinyice.adapters.http.dashboard.DashboardGate.param;
import static org.tinyice.adapters.http.dashboard.DashboardGate.redirect;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tinyice.adapters.http.CrossSiteRequests;
import org.tinyice.adapters.http.EchoedText;
import org.tinyice.adapters.http.RemoteAddress;
import org.tinyice.adapters.http.api.SharedJson;
import org.tinyice.application.port.in.AccessPolicy.Action;
import org.tinyice.application.port.in.ControlMountsUseCase;
import org.tinyice.application.port.in.ControlMountsUseCase.ControlResult;
import org.tinyice.application.port.in.ControlMountsUseCase.ListenersResult;
import org.tinyice.application.port.in.DashboardUser;
import org.tinyice.application.port.in.FaultsQuery;
import org.tinyice.application.port.in.LiveStatsQuery;
import org.tinyice.application.port.in.RelayStatusQuery;
import org.tinyice.application.port.in.LogInUseCase;
import org.tinyice.application.port.in.LogInUseCase.DashboardSession;
import org.tinyice.application.port.in.LogInUseCase.LogInResult;
import org.tinyice.application.port.in.ManageLockoutsUseCase;
import org.tinyice.application.port.in.ManageLockoutsUseCase.LiftResult;

/**
 * The admin dashboard under {@code /admin}: its pages, login and logout, the live view's event stream
 * and the actions on live mounts (Icecast's own {@code /admin/<command>} paths never reach this
 * service: the Icecast connection takes them). Pages need a session and otherwise redirect to the login
 * page; JSON and the event stream answer 401 without one. Who may do what is the application's rule;
 * how a request proves who it is, is {@link DashboardGate}'s. Nothing changes state on GET.
 */
public final class DashboardHttpService implements HttpService {

    private final FaultsQuery faults;

    private static final DateTimeFormatter UNTIL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);
    /** The dashboard's pages besides the live view, by path under {@code /admin}. */
    private static final Map<String, String> PAGES = Map.of(
            "/settings", "settings.html",
            "/accounts", "accounts.html",
            "/history", "history.html");

    private final LogInUseCase login;
    private final DashboardGate gate;
    private final ManageLockoutsUseCase lockouts;
    private final ControlMountsUseCase control;
    private final LiveStatsQuery live;
    private final RelayStatusQuery relays;
    private final LiveEvents events;
    private final Assets assets;
    private final Clock clock;

    DashboardHttpService(LogInUseCase login, DashboardGate gate, ManageLockoutsUseCase lockouts,
                         ControlMountsUseCase control, LiveStatsQuery live, RelayStatusQuery relays,
                         LiveEvents events, Assets assets, Clock clock, FaultsQuery faults) {
        this.faults = faults;
        this.login = login;
        this.gate = gate;
        this.lockouts = lockouts;
        this.control = control;
        this.live = live;
        this.relays = relays;
        this.events = events;
        this.assets = assets;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", (req, res) -> page(req, res, "admin.html"))
                .get("/login", this::loginPage)
                .post("/login", this::logIn)
                .post("/logout", this::logOut)
                .get("/session", this::session)
                .get("/events", this::events)
                .get("/listeners", this::listeners)
                .post("/listeners/kick", this::kickListener)
                .post("/listeners/move", this::moveListeners)
                .post("/sources/kick", this::kickSource)
                .get("/lockouts", this::lockouts)
                .post("/lockouts/lift", this::liftLockout);
        PAGES.forEach((path, page) -> rules.get(path, (req, res) -> page(req, res, page)));
    }

    // ---- pages ----

    private void page(ServerRequest req, ServerResponse res, String page) {
        if (gate.session(req, true).isEmpty()) {
            redirect(res, "/admin/login");
            return;
        }
        Assets.sendPage(res, assets.page(page));
    }

    private void loginPage(ServerRequest req, ServerResponse res) {
        if (gate.session(req, false).isPresent()) {
            redirect(res, "/admin");
            return;
        }
        Assets.sendPage(res, loginHtml(""));
    }

    private void logIn(ServerRequest req, ServerResponse res) {
        if (!DashboardGate.sameOrigin(req)) {
            error(res, Status.FORBIDDEN_403, CrossSiteRequests.REFUSED);
            return;
        }
        Optional<Map<String, String>> read = DashboardGate.readForm(req, res);
        if (read.isEmpty()) {
            return;
        }
        Map<String, String> form = read.get();
        LogInResult result = login.logIn(new LogInUseCase.LogInCommand(form.get("user"), form.get("password"),
                RemoteAddress.of(req), SessionCookie.read(req)));
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
                        + " from your address or for this account: locked out until " + EchoedText.markup(UNTIL.format(l.until()))
                        + ". An admin can lift this.</p>"));
            }
            case LogInResult.Busy b -> {
                res.status(Status.SERVICE_UNAVAILABLE_503).header(HeaderNames.RETRY_AFTER, "2");
                Assets.sendPage(res, loginHtml("<p class=\"notice error\" id=\"login-busy\">Too many logins at once:"
                        + " try again in a moment.</p>"));
            }
        }
    }

    private String loginHtml(String message) {
        return assets.page("login.html").replace("<!--message-->", message);
    }

    // ---- session ----

    private void logOut(ServerRequest req, ServerResponse res) {
        Optional<DashboardSession> session = gate.sessionWriter(req, res);
        if (session.isEmpty()) {
            return;
        }
        login.logOut(session.get().id());
        SessionCookie.clear(req, res);
        ok(res, "logged out");
    }

    private void session(ServerRequest req, ServerResponse res) {
        Optional<DashboardSession> session = gate.session(req, true);
        if (session.isEmpty()) {
            DashboardGate.unauthorized(res);
            return;
        }
        json(res, Status.OK_200, LiveJson.session(session.get().user(), session.get().csrfToken(),
                session.get().expiresAt()));
    }

    // ---- live view ----

    private void events(ServerRequest req, ServerResponse res) {
        if (gate.poller(req, res).isEmpty()) {
            return;
        }
        SecurityHeaders.apply(res, true);
        // the stream is background traffic: it does not keep an idle session alive, and it ends with it
        events.stream(res, () -> Optional.of(gate.currentUser(req)
                .map(user -> LiveEvents.Event.of("stats", LiveJson.stats(live.liveStats(user),
                        relays.relays(user), lockouts.lockouts(user).orElse(List.of()), faults.faults())))
                .orElseGet(() -> LiveEvents.Event.last("logout", "{}"))));
    }

    private void listeners(ServerRequest req, ServerResponse res) {
        Optional<DashboardUser> user = gate.poller(req, res);
        if (user.isEmpty()) {
            return;
        }
        String mount = param(req, "mount");
        switch (control.listeners(user.get(), mount)) {
            case ListenersResult.Listeners l -> json(res, Status.OK_200, SharedJson.listeners(mount, l.listeners(),
                    clock.instant()).toString());
            case ListenersResult.NoSuchMount n -> error(res, Status.NOT_FOUND_404, "no source on that mount");
            case ListenersResult.Forbidden f -> forbidden(res);
        }
    }

    // ---- actions on live mounts ----

    private void kickListener(ServerRequest req, ServerResponse res) {
        Optional<DashboardUser> user = gate.writer(req, res, Action.KICK_LISTENER);
        if (user.isEmpty()) {
            return;
        }
        listenerId(req, res).ifPresent(id ->
                result(res, control.kickListener(user.get(), param(req, "mount"), id), "listener disconnected"));
    }

    /** Every listener of {@code mount} to {@code to}: Icecast's moveclients, from the dashboard. */
    private void moveListeners(ServerRequest req, ServerResponse res) {
        Optional<DashboardUser> user = gate.writer(req, res, Action.MOVE_LISTENERS);
        if (user.isEmpty()) {
            return;
        }
        String to = param(req, "to");
        switch (control.moveAll(user.get(), param(req, "mount"), to)) {
            case ControlResult.Done d -> ok(res, d.count() + (d.count() == 1 ? " listener" : " listeners")
                    + " moved to " + to);
            case ControlResult ignored -> result(res, ignored, "");
        }
    }

    private void kickSource(ServerRequest req, ServerResponse res) {
        Optional<DashboardUser> user = gate.writer(req, res, Action.KILL_SOURCE);
        if (user.isEmpty()) {
            return;
        }
        result(res, control.kickSource(user.get(), param(req, "mount")), "source disconnected");
    }

    private static void result(ServerResponse res, ControlResult result, String done) {
        switch (result) {
            case ControlResult.Done d -> ok(res, done);
            case ControlResult.NotFound n -> error(res, Status.NOT_FOUND_404, "not found");
            case ControlResult.Forbidden f -> forbidden(res);
            case ControlResult.Refused r -> error(res, Status.CONFLICT_409, r.reason());
        }
    }

    // ---- lockouts ----

    private void lockouts(ServerRequest req, ServerResponse res) {
        Optional<DashboardUser> user = gate.reader(req, res);
        if (user.isEmpty()) {
            return;
        }
        lockouts.lockouts(user.get()).ifPresentOrElse(
                list -> json(res, Status.OK_200, LiveJson.lockouts(list)), () -> forbidden(res));
    }

    private void liftLockout(ServerRequest req, ServerResponse res) {
        Optional<DashboardUser> user = gate.writer(req, res, Action.MANAGE_LOCKOUTS);
        if (user.isEmpty()) {
            return;
        }
        switch (lockouts.lift(user.get(), param(req, "address"))) {
            case LiftResult.Lifted l -> ok(res, "lockout lifted");
            case LiftResult.NotLockedOut n -> error(res, Status.NOT_FOUND_404, "that address is not locked out");
            case LiftResult.Forbidden f -> forbidden(res);
        }
    }
}
