package org.tinyice.adapters.http.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.reset;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.api.ClientResponseTyped;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tinyice.application.access.Permissions;
import org.tinyice.application.config.UserAccount.Role;
import org.tinyice.application.port.in.AdministerMountsUseCase;
import org.tinyice.application.port.in.CheckCredentialsUseCase;
import org.tinyice.application.port.in.CheckCredentialsUseCase.Verdict;
import org.tinyice.application.port.in.DashboardUser;
import org.tinyice.application.port.in.ManageApiTokensUseCase;
import org.tinyice.application.port.in.QueryHistoryUseCase;
import org.tinyice.application.port.in.RelayStatusQuery;
import org.tinyice.application.port.in.RelayStatusQuery.RelayProblem;
import org.tinyice.application.port.in.RelayStatusQuery.RelayState;
import org.tinyice.application.port.in.RelayStatusQuery.RelayStatus;
import org.tinyice.application.port.in.ServerStatusQuery;
import org.tinyice.application.port.in.ServerStatusQuery.ServerStatus;
import org.tinyice.application.port.in.UpdateMetadataUseCase;
import org.tinyice.application.port.in.UpdateMetadataUseCase.MetadataUpdate;

/**
 * Who gets through {@code /api}, on Helidon's routing alone (no socket, no server): the use cases are
 * mocks, the access policy is the real one.
 */
@RoutingTest
class ApiHttpServiceTest {

    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private static final String ADMIN_BASIC = "Basic " + Base64.getEncoder().encodeToString("admin:pw".getBytes());

    private static final ServerStatusQuery STATUS = mock(ServerStatusQuery.class);
    private static final RelayStatusQuery RELAYS = mock(RelayStatusQuery.class);
    private static final AdministerMountsUseCase ADMIN = mock(AdministerMountsUseCase.class);
    private static final UpdateMetadataUseCase METADATA = mock(UpdateMetadataUseCase.class);
    private static final CheckCredentialsUseCase CREDENTIALS = mock(CheckCredentialsUseCase.class);
    private static final ManageApiTokensUseCase TOKENS = mock(ManageApiTokensUseCase.class);

    private final DirectClient client;

    ApiHttpServiceTest(DirectClient client) {
        this.client = client;
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        routing.register("/api", new ApiHttpService(STATUS, RELAYS, ADMIN, METADATA, mock(QueryHistoryUseCase.class),
                CREDENTIALS, TOKENS, mock(org.tinyice.application.port.in.ManageBansUseCase.class), new Permissions(),
                Clock.fixed(NOW, ZoneOffset.UTC)));
    }

    @BeforeEach
    void freshMocks() {
        reset(STATUS, RELAYS, ADMIN, METADATA, CREDENTIALS, TOKENS);
        when(CREDENTIALS.checkAdmin(any(), anyString())).thenReturn(new Verdict.Rejected());
        when(TOKENS.authenticate(anyString())).thenReturn(Optional.empty());
        when(STATUS.status()).thenReturn(new ServerStatus(NOW, "radio.example", 8000, "Earth", "ops@example",
                0, 0, List.of(), 0, 0, 0, 0, 0, 0, 0));
    }

    @Test
    void withoutCredentialsTheApiAsksForThemTheBasicWay() {
        ClientResponseTyped<String> answer = client.get("/api/status").request(String.class);

        assertEquals(Status.UNAUTHORIZED_401, answer.status());
        assertEquals("Basic realm=\"TinyIce\"", answer.headers().get(HeaderNames.WWW_AUTHENTICATE)
                .get());
    }

    @Test
    void theAdminsBasicCredentialsOpenTheStatus() {
        when(CREDENTIALS.checkAdmin(any(), anyString())).thenReturn(new Verdict.Accepted());

        ClientResponseTyped<String> answer = client.get("/api/status").header(HeaderNames.AUTHORIZATION,
                ADMIN_BASIC).request(String.class);

        assertEquals(Status.OK_200, answer.status());
        assertTrue(answer.entity().contains("\"mounts\":[]"), answer.entity());
    }

    @Test
    void theRelaysAnswerSaysWhatEachIsDoingAndWhatWentWrongLast() {
        when(CREDENTIALS.checkAdmin(any(), anyString())).thenReturn(new Verdict.Accepted());
        when(RELAYS.relays(any())).thenReturn(List.of(
                new RelayStatus(java.net.URI.create("http://origin:8000/live"), "/live", false, true,
                        RelayState.CONNECTED, NOW, Optional.empty(), 123_456, Optional.of("Artist - Song"),
                        Optional.empty()),
                new RelayStatus(java.net.URI.create("http://origin:8000/gone"), "/gone", true, false,
                        RelayState.WAITING, NOW, Optional.of(NOW.plusSeconds(4)), 0, Optional.empty(),
                        Optional.of(new RelayProblem("the upstream answered 404 File Not Found", NOW)))));

        ClientResponseTyped<String> answer = client.get("/api/relays").header(HeaderNames.AUTHORIZATION,
                ADMIN_BASIC).request(String.class);

        assertEquals(Status.OK_200, answer.status());
        assertEquals("{\"relays\":[{\"upstream\":\"http://origin:8000/live\",\"mount\":\"/live\",\"on_demand\":false,"
                + "\"from_master\":true,\"state\":\"connected\",\"since\":\"2026-01-01T12:00:00Z\","
                + "\"bytes_received\":123456,\"title\":\"Artist - Song\"},"
                + "{\"upstream\":\"http://origin:8000/gone\",\"mount\":\"/gone\",\"on_demand\":true,"
                + "\"from_master\":false,\"state\":\"waiting\",\"since\":\"2026-01-01T12:00:00Z\","
                + "\"next_attempt\":\"2026-01-01T12:00:04Z\",\"bytes_received\":0,"
                + "\"last_error\":{\"what\":\"the upstream answered 404 File Not Found\","
                + "\"at\":\"2026-01-01T12:00:00Z\"}}]}", answer.entity());
    }

    @Test
    void basicCredentialsFromAnotherSitesPageAreRefusedBeforeTheyAreChecked() {
        ClientResponseTyped<String> answer = client.post("/api/mounts/kill-source").queryParam("mount", "/live")
                .header(HeaderNames.AUTHORIZATION, ADMIN_BASIC)
                .header(HeaderNames.ORIGIN, "https://elsewhere.example")
                .request(String.class);

        assertEquals(Status.FORBIDDEN_403, answer.status());
        verify(CREDENTIALS, never()).checkAdmin(any(), anyString());
        verify(ADMIN, never()).killSource(anyString());
    }

    @Test
    void aLockedOutAddressIsToldWhenToComeBack() {
        when(CREDENTIALS.checkAdmin(any(), anyString())).thenReturn(new Verdict.LockedOut(NOW.plusSeconds(90)));

        ClientResponseTyped<String> answer = client.get("/api/status")
                .header(HeaderNames.AUTHORIZATION, ADMIN_BASIC).request(String.class);

        assertEquals(Status.TOO_MANY_REQUESTS_429, answer.status());
        assertEquals("90", answer.headers().get(HeaderNames.RETRY_AFTER).get());
    }

    @Test
    void aDjsTokenSetsTheTitleOfItsOwnMountAndNothingElse() {
        DashboardUser anna = new DashboardUser("anna", Role.DJ, Set.of("/anna")).viaToken();
        when(TOKENS.authenticate("tinyice_anna")).thenReturn(Optional.of(anna));
        when(METADATA.updateAs(any(), any())).thenReturn(new MetadataUpdate.Updated());

        assertEquals(Status.OK_200, client.post("/api/mounts/metadata").queryParam("mount", "/anna")
                .queryParam("song", "Band - Tune").header(HeaderNames.AUTHORIZATION,
                        "Bearer tinyice_anna").request(String.class).status());
        assertEquals(Status.FORBIDDEN_403, client.post("/api/mounts/metadata").queryParam("mount", "/other")
                .queryParam("song", "x").header(HeaderNames.AUTHORIZATION, "Bearer tinyice_anna")
                .request(String.class).status());
        assertEquals(Status.FORBIDDEN_403, client.post("/api/mounts/kill-source").queryParam("mount", "/anna")
                .header(HeaderNames.AUTHORIZATION, "Bearer tinyice_anna").request(String.class)
                .status());
        verify(ADMIN, never()).killSource(anyString());
    }
}
