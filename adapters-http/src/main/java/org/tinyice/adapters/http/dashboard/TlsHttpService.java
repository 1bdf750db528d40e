package org.tinyice.adapters.http.dashboard;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Optional;
import org.tinyice.adapters.http.api.SharedJson;
import org.tinyice.adapters.http.tls.HttpsCertificates;
import org.tinyice.application.port.in.DashboardUser;

/** {@code /admin/tls}: the HTTPS certificate and its ACME state, for admins (who can act on a renewal error). */
final class TlsHttpService implements HttpService {

    private final DashboardGate gate;
    private final HttpsCertificates https;

    TlsHttpService(DashboardGate gate, HttpsCertificates https) {
        this.gate = gate;
        this.https = https;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/tls", this::state);
    }

    private void state(ServerRequest req, ServerResponse res) {
        Optional<DashboardUser> user = gate.poller(req, res);
        if (user.isEmpty()) {
            return;
        }
        if (!user.get().isAdmin()) {
            DashboardGate.error(res, Status.FORBIDDEN_403, "admins only");
            return;
        }
        DashboardGate.json(res, Status.OK_200, SharedJson.tls(https).toString());
    }
}
