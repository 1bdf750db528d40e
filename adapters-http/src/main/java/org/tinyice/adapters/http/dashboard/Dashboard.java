package org.tinyice.adapters.http.dashboard;

import io.helidon.webserver.http.HttpService;
import java.time.Clock;
import java.util.List;
import org.tinyice.adapters.http.tls.HttpsCertificates;
import org.tinyice.application.port.in.AccessPolicy;
import org.tinyice.application.port.in.ConfigureMountsUseCase;
import org.tinyice.application.port.in.ControlMountsUseCase;
import org.tinyice.application.port.in.FaultsQuery;
import org.tinyice.application.port.in.LiveStatsQuery;
import org.tinyice.application.port.in.LogInUseCase;
import org.tinyice.application.port.in.ManageApiTokensUseCase;
import org.tinyice.application.port.in.ManageBansUseCase;
import org.tinyice.application.port.in.ManageLockoutsUseCase;
import org.tinyice.application.port.in.ManageUsersUseCase;
import org.tinyice.application.port.in.QueryHistoryUseCase;
import org.tinyice.application.port.in.RelayStatusQuery;

/**
 * The admin dashboard's HTTP services, all under {@code /admin} and sharing one {@link DashboardGate}:
 * pages, login and the live view ({@link DashboardHttpService}), mount settings
 * ({@link MountSettingsHttpService}), accounts and tokens ({@link AccountsHttpService}), song history and
 * the listener chart ({@link DashboardHistoryHttpService}), banned addresses ({@link BansHttpService}), the
 * HTTPS certificate ({@link TlsHttpService}).
 */
public final class Dashboard {

    private final List<HttpService> services;

    public Dashboard(LogInUseCase login, ManageLockoutsUseCase lockouts, ControlMountsUseCase control,
                     ConfigureMountsUseCase mounts, ManageUsersUseCase users, ManageApiTokensUseCase tokens,
                     LiveStatsQuery live, RelayStatusQuery relays, LiveEvents events, QueryHistoryUseCase history, AccessPolicy policy,
                     Clock clock, FaultsQuery faults, ManageBansUseCase bans) {
        this(login, lockouts, control, mounts, users, tokens, live, relays, events, history, policy, clock, faults,
                bans, HttpsCertificates.none());
    }

    /** @param https the HTTPS certificate, whose state admins see ({@code /admin/tls}) */
    public Dashboard(LogInUseCase login, ManageLockoutsUseCase lockouts, ControlMountsUseCase control,
                     ConfigureMountsUseCase mounts, ManageUsersUseCase users, ManageApiTokensUseCase tokens,
                     LiveStatsQuery live, RelayStatusQuery relays, LiveEvents events, QueryHistoryUseCase history, AccessPolicy policy,
                     Clock clock, FaultsQuery faults, ManageBansUseCase bans, HttpsCertificates https) {
        Assets assets = new Assets();
        DashboardGate gate = new DashboardGate(login, tokens, policy);
        this.services = List.of(
                new DashboardHttpService(login, gate, lockouts, control, live, relays, events, assets, clock, faults),
                new MountSettingsHttpService(gate, mounts),
                new AccountsHttpService(gate, users, tokens),
                new DashboardHistoryHttpService(gate, history, policy, clock),
                new BansHttpService(gate, bans),
                new TlsHttpService(gate, https));
    }

    /** The services to register under {@code /admin}. */
    public List<HttpService> services() {
        return services;
    }
}
