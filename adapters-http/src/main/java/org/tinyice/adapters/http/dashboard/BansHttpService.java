package org.tinyice.adapters.http.dashboard;

import static org.tinyice.adapters.http.dashboard.DashboardGate.error;
import static org.tinyice.adapters.http.dashboard.DashboardGate.forbidden;
import static org.tinyice.adapters.http.dashboard.DashboardGate.json;
import static org.tinyice.adapters.http.dashboard.DashboardGate.listenerId;
import static org.tinyice.adapters.http.dashboard.DashboardGate.param;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Optional;
import org.tinyice.adapters.http.api.JsonWriter;
import org.tinyice.application.port.in.AccessPolicy.Action;
import org.tinyice.application.port.in.DashboardUser;
import org.tinyice.application.port.in.ManageBansUseCase;
import org.tinyice.application.port.in.ManageBansUseCase.BanResult;

/**
 * The dashboard's banned addresses ({@code banned_ips}): the list, ban an address or range, ban a
 * listener from its row, lift a ban. Admins only (the use case asks the policy).
 */
final class BansHttpService implements HttpService {

    private final DashboardGate gate;
    private final ManageBansUseCase bans;

    BansHttpService(DashboardGate gate, ManageBansUseCase bans) {
        this.gate = gate;
        this.bans = bans;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/bans", this::list)
                .post("/bans", this::ban)
                .post("/bans/remove", this::unban)
                .post("/listeners/ban", this::banListener);
    }

    private void list(ServerRequest req, ServerResponse res) {
        Optional<DashboardUser> user = gate.reader(req, res);
        if (user.isEmpty()) {
            return;
        }
        bans.banned(user.get()).ifPresentOrElse(list -> {
            JsonWriter json = new JsonWriter().beginObject().name("banned").beginArray();
            list.forEach(json::value);
            json(res, Status.OK_200, json.endArray().endObject().toString());
        }, () -> forbidden(res));
    }

    private void ban(ServerRequest req, ServerResponse res) {
        gate.writer(req, res, Action.MANAGE_BANS)
                .ifPresent(user -> answer(res, bans.ban(user, param(req, "address")), "banned"));
    }

    private void unban(ServerRequest req, ServerResponse res) {
        gate.writer(req, res, Action.MANAGE_BANS)
                .ifPresent(user -> answer(res, bans.unban(user, param(req, "address")), "ban lifted"));
    }

    private void banListener(ServerRequest req, ServerResponse res) {
        Optional<DashboardUser> user = gate.writer(req, res, Action.MANAGE_BANS);
        if (user.isEmpty()) {
            return;
        }
        listenerId(req, res).ifPresent(id ->
                answer(res, bans.banListener(user.get(), param(req, "mount"), id), "banned and disconnected"));
    }

    private static void answer(ServerResponse res, BanResult result, String done) {
        switch (result) {
            case BanResult.Done d -> json(res, Status.OK_200, new JsonWriter().beginObject().field("message", done)
                    .field("address", d.address()).endObject().toString());
            case BanResult.Invalid i -> error(res, Status.BAD_REQUEST_400, i.reason());
            case BanResult.NotFound n -> error(res, Status.NOT_FOUND_404, "no such listener or ban");
            case BanResult.Forbidden f -> forbidden(res);
        }
    }
}
