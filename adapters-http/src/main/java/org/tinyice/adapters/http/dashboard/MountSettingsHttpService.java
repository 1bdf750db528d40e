package org.tinyice.adapters.http.dashboard;

import static org.tinyice.adapters.http.dashboard.DashboardGate.error;
import static org.tinyice.adapters.http.dashboard.DashboardGate.forbidden;
import static org.tinyice.adapters.http.dashboard.DashboardGate.json;
import static org.tinyice.adapters.http.dashboard.DashboardGate.ok;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tinyice.application.port.in.AccessPolicy.Action;
import org.tinyice.application.port.in.ConfigureMountsUseCase;
import org.tinyice.application.port.in.ConfigureMountsUseCase.EditMountCommand;
import org.tinyice.application.port.in.ConfigureMountsUseCase.PasswordChange;
import org.tinyice.application.port.in.ConfigureMountsUseCase.SettingsChange;

/**
 * Mount settings as JSON under {@code /admin/mounts} (the page is {@code /admin/settings}): list, edit,
 * enable and disable. Changes are POSTs naming the mount in the query ({@code ?mount=/live}), as every
 * dashboard action does; an edit's settings are its url-encoded form.
 */
final class MountSettingsHttpService implements HttpService {

    /** An edit sends the whole settings: see {@link #edit}. */
    private static final List<String> REQUIRED = List.of("max_listeners", "burst_size", "fallback",
            "fallback_override", "public", "hidden");

    private final DashboardGate gate;
    private final ConfigureMountsUseCase mounts;

    MountSettingsHttpService(DashboardGate gate, ConfigureMountsUseCase mounts) {
        this.gate = gate;
        this.mounts = mounts;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/mounts", this::list)
                .post("/mounts/edit", this::edit)
                .post("/mounts/enable", (req, res) -> setEnabled(req, res, true))
                .post("/mounts/disable", (req, res) -> setEnabled(req, res, false));
    }

    private void list(ServerRequest req, ServerResponse res) {
        gate.reader(req, res).ifPresent(user -> json(res, Status.OK_200, LiveJson.mountSettings(mounts.mounts(user))));
    }

    /**
     * The whole settings, every field required, so a script that sends one field cannot quietly turn
     * the others to their defaults: {@code max_listeners} (0 = no limit), {@code burst_size} (bytes;
     * empty = the server's), {@code fallback} (empty = none), {@code fallback_override}, {@code public},
     * {@code hidden} ({@code true} or {@code false}); optional {@code password} (a new source password)
     * or {@code clear_password=true}, and optional {@code low_latency} ({@code true} or {@code false};
     * left out, it stays as it is: scripts written before it existed change nothing).
     */
    private void edit(ServerRequest req, ServerResponse res) {
        String mount = DashboardGate.param(req, "mount");
        gate.withForm(req, res, Action.EDIT_MOUNT, (user, session, f) -> {
            Optional<String> missing = REQUIRED.stream().filter(key -> !f.containsKey(key)).findFirst();
            if (missing.isPresent()) {
                error(res, Status.BAD_REQUEST_400, "send every setting (" + String.join(", ", REQUIRED)
                        + "); missing: " + missing.get());
                return;
            }
            EditMountCommand command;
            try {
                command = command(mount, f);
            } catch (IllegalArgumentException e) { // NumberFormatException too
                error(res, Status.BAD_REQUEST_400, "max_listeners and burst_size are whole numbers;"
                        + " fallback_override, public, hidden and low_latency are true or false");
                return;
            }
            change(res, mounts.edit(user, command), "settings saved for " + mount);
        });
    }

    private static EditMountCommand command(String mount, Map<String, String> f) {
        String password = f.getOrDefault("password", "");
        PasswordChange change = "true".equals(f.get("clear_password")) ? new PasswordChange.Clear()
                : password.isEmpty() ? new PasswordChange.Keep() : new PasswordChange.Replace(password);
        return new EditMountCommand(mount, change, Integer.parseInt(f.get("max_listeners").strip()),
                text(f, "burst_size").map(Integer::parseInt),
                text(f, "fallback"), bool(f, "fallback_override"), bool(f, "public"), bool(f, "hidden"),
                f.containsKey("low_latency") ? Optional.of(bool(f, "low_latency")) : Optional.empty());
    }

    private static boolean bool(Map<String, String> form, String key) {
        return switch (form.get(key)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(key);
        };
    }

    private static Optional<String> text(Map<String, String> form, String key) {
        return Optional.ofNullable(form.get(key)).map(String::strip).filter(v -> !v.isEmpty());
    }

    private void setEnabled(ServerRequest req, ServerResponse res, boolean enabled) {
        String mount = DashboardGate.param(req, "mount");
        gate.writer(req, res, Action.EDIT_MOUNT).ifPresent(user -> change(res, mounts.setEnabled(user, mount, enabled),
                mount + (enabled ? " enabled" : " disabled: its source is off the air")));
    }

    private static void change(ServerResponse res, SettingsChange change, String done) {
        switch (change) {
            case SettingsChange.Done d -> ok(res, done);
            case SettingsChange.Forbidden f -> forbidden(res);
            case SettingsChange.Invalid i -> error(res, Status.BAD_REQUEST_400, i.reason());
        }
    }
}
