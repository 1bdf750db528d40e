package org.tinyice.bootstrap;

import io.avaje.inject.Bean;
import io.avaje.inject.Factory;
import io.avaje.inject.InjectModule;
import io.helidon.webserver.http.HttpService;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tinyice.adapters.http.TinyIceHttpServer;
import org.tinyice.adapters.http.api.ApiHttpService;
import org.tinyice.adapters.http.dashboard.Dashboard;
import org.tinyice.adapters.http.dashboard.LiveEvents;
import org.tinyice.adapters.http.dashboard.PublicHttpService;
import org.tinyice.adapters.http.hook.HttpListenerAuthHook;
import org.tinyice.adapters.http.relay.SocketRelayClient;
import org.tinyice.adapters.http.tls.CertificateFiles;
import org.tinyice.adapters.http.tls.HttpsCertificates;
import org.tinyice.adapters.http.tls.PemCertificate;
import org.tinyice.adapters.http.relay.SocketStreamListClient;
import org.tinyice.adapters.http.icecast.IcecastProtocol;
import org.tinyice.adapters.persistence.config.JsonConfigurationFile;
import org.tinyice.adapters.persistence.files.DataDirectoryFallbackFiles;
import org.tinyice.adapters.persistence.history.JdbiListenerSessions;
import org.tinyice.adapters.persistence.history.JdbiListenerStatistics;
import org.tinyice.adapters.persistence.history.JdbiSongHistory;
import org.tinyice.adapters.persistence.history.SqliteDatabase;
import org.tinyice.adapters.persistence.security.Argon2PasswordHasher;
import org.tinyice.application.access.ApiTokens;
import org.tinyice.application.access.AddressRules;
import org.tinyice.application.access.ClientAddresses;
import org.tinyice.application.admin.AddressBans;
import org.tinyice.application.port.in.ClientAddressPolicy;
import org.tinyice.application.port.in.ManageBansUseCase;
import org.tinyice.application.access.CredentialChecker;
import org.tinyice.application.access.DashboardLogin;
import org.tinyice.application.access.DashboardSessions;
import org.tinyice.application.access.LoginThrottle;
import org.tinyice.application.access.Permissions;
import org.tinyice.application.access.UserAdministration;
import org.tinyice.application.admin.MountAdministrationService;
import org.tinyice.application.admin.MountControl;
import org.tinyice.application.admin.MountSettingsEditor;
import org.tinyice.application.config.CurrentConfig;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.application.config.TlsConfig;
import org.tinyice.application.configuration.ConfigChanges;
import org.tinyice.application.configuration.PrepareConfiguration;
import org.tinyice.application.configuration.ReloadConfiguration;
import org.tinyice.application.history.HistoryQueryService;
import org.tinyice.application.health.Faults;
import org.tinyice.application.history.HistoryRecorder;
import org.tinyice.application.history.HistoryRetention;
import org.tinyice.application.port.in.AccessPolicy;
import org.tinyice.application.port.in.AdministerMountsUseCase;
import org.tinyice.application.port.in.ConfigureMountsUseCase;
import org.tinyice.application.port.in.ControlMountsUseCase;
import org.tinyice.application.port.in.HandOverStreamsUseCase;
import org.tinyice.application.port.in.ListenUseCase;
import org.tinyice.application.port.in.LiveStatsQuery;
import org.tinyice.application.port.in.RelayStatusQuery;
import org.tinyice.application.port.in.ManageApiTokensUseCase;
import org.tinyice.application.port.in.ManageLockoutsUseCase;
import org.tinyice.application.port.in.ManageUsersUseCase;
import org.tinyice.application.port.in.QueryHistoryUseCase;
import org.tinyice.application.port.in.ServerStatusQuery;
import org.tinyice.application.port.in.StartSourceUseCase;
import org.tinyice.application.port.in.UpdateMetadataUseCase;
import org.tinyice.application.port.out.ConfigurationStore;
import org.tinyice.application.port.out.FallbackFiles;
import org.tinyice.application.port.out.ListenerAuthHook;
import org.tinyice.application.port.out.ListenerSessions;
import org.tinyice.application.port.out.ListenerStatistics;
import org.tinyice.application.port.out.PasswordHasher;
import org.tinyice.application.port.out.RelayClient;
import org.tinyice.application.port.out.StreamListClient;
import org.tinyice.application.port.out.SongHistory;
import org.tinyice.application.status.LiveStatsService;
import org.tinyice.application.status.RelayStatusService;
import org.tinyice.application.status.ProcessUsage;
import org.tinyice.application.status.StatusService;
import org.tinyice.application.stream.FileMounts;
import org.tinyice.application.stream.ListenerService;
import org.tinyice.application.stream.MetadataService;
import org.tinyice.application.stream.EdgeRedirects;
import org.tinyice.application.stream.MasterRelays;
import org.tinyice.application.stream.Relays;
import org.tinyice.application.stream.ServerCounters;
import org.tinyice.application.stream.SourceService;
import org.tinyice.application.stream.HlsStreams;
import org.tinyice.application.port.in.ServeHlsUseCase;
import org.tinyice.application.stream.StreamHandOver;
import org.tinyice.domain.mount.MountRegistry;
import org.tinyice.domain.stream.ChunkPolicy;

/**
 * All of TinyIce's wiring, in one place. Domain, application and adapters carry no DI annotations;
 * a test swaps any port by supplying its own bean for the type.
 */
@Factory
@InjectModule(requires = StartupOptions.class)
public final class TinyIceFactory {

    @Bean
    PasswordHasher passwordHasher() {
        return Argon2PasswordHasher.owaspDefaults();
    }

    @Bean
    ConfigurationStore configurationStore(StartupOptions options, PasswordHasher hasher) {
        return new JsonConfigurationFile(options.configFile(), hasher);
    }

    @Bean
    PrepareConfiguration.Prepared preparedConfiguration(ConfigurationStore store, PasswordHasher hasher,
                                                        StartupOptions options) {
        return new PrepareConfiguration(store, hasher).prepare(options.environment());
    }

    @Bean
    CurrentConfig currentConfig(PrepareConfiguration.Prepared prepared, StartupOptions options,
                                PasswordHasher hasher, ConfigurationStore store) {
        ServerConfig config = PrepareConfiguration.hashPlaintextPasswords(prepared.config(), hasher, store);
        return new CurrentConfig(config.withListenAddress(options.host().orElse(config.host()),
                options.port().orElse(config.port())));
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** What fails while the server keeps streaming: {@code /readyz}, the dashboard and the log show it. */
    @Bean
    Faults faults(Clock clock) {
        return new Faults(clock);
    }

    @Bean
    MountRegistry mountRegistry() {
        return new MountRegistry();
    }

    @Bean
    ServerCounters serverCounters(Clock clock) {
        return new ServerCounters(clock.instant());
    }

    /** Every entry point's password checks, and their throttle: see docs/api.md, "Failed logins". */
    @Bean
    CredentialChecker credentialChecker(PasswordHasher hasher, CurrentConfig config, LoginThrottle throttle,
                                        Clock clock) {
        return new CredentialChecker(hasher, config, throttle, clock, CredentialChecker.SLOT_WAIT);
    }

    @Bean
    FallbackFiles fallbackFiles(StartupOptions options) {
        return new DataDirectoryFallbackFiles(options.dataDir());
    }

    /** Also the {@link StartSourceUseCase}; it owns the file mounts, which are sources too. */
    @Bean
    SourceService sourceService(MountRegistry mounts, CredentialChecker credentials, CurrentConfig config,
                                ServerCounters counters, FallbackFiles files) {
        // the delay comes from limits.chunk_ms (or low_latency) in force at each read: reloadable
        return new SourceService(mounts, credentials, config, counters, ChunkPolicy.DEFAULT, files,
                FileMounts.Timing.real());
    }

    /** Closed at shutdown ({@link Main.Running#close}): the file players stop. */
    @Bean
    FileMounts fileMounts(SourceService sources) {
        return sources.fileMounts();
    }

    @Bean
    ListenerAuthHook listenerAuthHook(CurrentConfig config) {
        return new HttpListenerAuthHook(config);
    }

    @Bean
    ClientAddresses clientAddresses(CurrentConfig config) {
        return new ClientAddresses(config);
    }

    /** The edges a full server sends listeners to: {@code redirect_to}, and those that report on their polls. */
    @Bean
    EdgeRedirects edgeRedirects(CurrentConfig config, Clock clock) {
        return new EdgeRedirects(config, clock);
    }

    @Bean
    ListenUseCase listen(CurrentConfig config, ServerCounters counters, Clock clock,
                         CredentialChecker credentials, ListenerAuthHook authHook, HistoryRecorder history,
                         ClientAddresses addresses, SourceService sources, EdgeRedirects edges) {
        return new ListenerService(config, counters, clock, credentials, authHook, history::offer, addresses,
                sources.fallbacks(), edges);
    }

    // ---- history (SQLite in the data directory) ----

    @Bean
    SqliteDatabase historyDatabase(StartupOptions options) {
        return SqliteDatabase.open(options.dataDir());
    }

    @Bean
    SongHistory songHistory(SqliteDatabase database) {
        return new JdbiSongHistory(database);
    }

    @Bean
    ListenerStatistics listenerStatistics(SqliteDatabase database) {
        return new JdbiListenerStatistics(database);
    }

    @Bean
    ListenerSessions listenerSessions(SqliteDatabase database) {
        return new JdbiListenerSessions(database);
    }

    @Bean
    HistoryRecorder historyRecorder(SongHistory songs, ListenerStatistics statistics, ListenerSessions sessions,
                                    Faults faults) {
        return HistoryRecorder.start(songs, statistics, sessions, HistoryRecorder.DEFAULT_CAPACITY,
                HistoryRecorder.DEFAULT_CLOSE_TIMEOUT, faults);
    }

    @Bean
    HistoryRuntime historyRuntime(SqliteDatabase database, HistoryRecorder recorder, SongHistory songs,
                                  ListenerStatistics statistics, ListenerSessions sessions, MountRegistry mounts,
                                  Clock clock, CurrentConfig config, Faults faults) {
        return new HistoryRuntime(database, recorder,
                new HistoryRetention(songs, statistics, sessions, () -> config.get().history()), mounts, clock,
                faults);
    }

    @Bean
    QueryHistoryUseCase queryHistory(SongHistory songs, ListenerStatistics statistics, CurrentConfig config) {
        return new HistoryQueryService(songs, statistics, config);
    }

    /** Who may do what: asked by every entry point and every use case that acts for someone. */
    @Bean
    AccessPolicy accessPolicy() {
        return new Permissions();
    }

    /** Also the {@link UpdateMetadataUseCase}; relays set their upstreams' titles through it too. */
    @Bean
    MetadataService updateMetadata(MountRegistry mounts, CredentialChecker credentials, AccessPolicy policy,
                                   HistoryRecorder history, Clock clock) {
        return new MetadataService(mounts, credentials, policy, history::offer, clock);
    }

    @Bean
    RelayClient relayClient() {
        return new SocketRelayClient();
    }

    /** Started in {@link Main#start} once the server listens, synced on every reload, closed at shutdown. */
    @Bean
    Relays relays(SourceService sources, MetadataService metadata, RelayClient client, CurrentConfig config,
                  Clock clock) {
        // platform threads, as a source's reads (adapters-http's SourceReader): an upstream's pieces come
        // several times a second, and each one woke a virtual thread's poller and carrier
        return new Relays(sources, metadata, client, config, clock,
                Thread.ofPlatform().name("tinyice-relay-", 0).daemon(true).factory());
    }

    @Bean
    StreamListClient streamListClient() {
        return new SocketStreamListClient();
    }

    /** Started in {@link Main#start} after the configured relays, woken on every reload, closed at shutdown. */
    @Bean
    MasterRelays masterRelays(Relays relays, StreamListClient client, CurrentConfig config, ServerCounters counters) {
        return new MasterRelays(relays, client, config, counters, Thread.ofVirtual().name("tinyice-master").factory());
    }

    @Bean
    ServerStatusQuery serverStatus(MountRegistry mounts, CurrentConfig config, ServerCounters counters) {
        return new StatusService(mounts, config, counters);
    }

    @Bean
    AdministerMountsUseCase administerMounts(MountRegistry mounts) {
        return new MountAdministrationService(mounts);
    }

    @Bean
    HandOverStreamsUseCase handOverStreams(MountRegistry mounts, SourceService sources, ListenUseCase listeners,
                                           ServerCounters counters, Relays relays) {
        // ListenUseCase is ListenerService's only bean type; the hand-over continues listeners through it
        return new StreamHandOver(mounts, sources, (ListenerService) listeners, counters, relays);
    }

    @Bean
    IcecastProtocol icecastProtocol(StartSourceUseCase sources, ListenUseCase listeners,
                                    UpdateMetadataUseCase metadata, ServerStatusQuery status,
                                    AdministerMountsUseCase admin, CredentialChecker credentials,
                                    AccessPolicy policy, ClientAddresses addresses, EdgeRedirects edges,
                                    ClientAddressPolicy addressPolicy, CurrentConfig config, Clock clock,
                                    ServeHlsUseCase hls) {
        return new IcecastProtocol(sources, listeners, metadata, status, admin, credentials, policy, addresses, edges,
                addressPolicy, config, clock, hls);
    }

    /** Also the {@link ServeHlsUseCase}. Started in {@link Main#start} once the server listens, closed at shutdown. */
    @Bean
    HlsStreams hlsStreams(MountRegistry mounts, CurrentConfig config, Clock clock, HistoryRecorder history,
                          ClientAddresses addresses) {
        return new HlsStreams(mounts, config, clock, history::offer, addresses);
    }

    /** Banned and allowed addresses, trusted proxies: asked at every accept, reads the configuration in force. */
    @Bean
    ClientAddressPolicy clientAddressPolicy(CurrentConfig config) {
        return new AddressRules(config);
    }

    /** The dashboard's and the API's bans, saved to the file. */
    @Bean
    ManageBansUseCase manageBans(ConfigChanges changes, ServerStatusQuery status, AdministerMountsUseCase admin,
                                 AccessPolicy policy) {
        return new AddressBans(changes, status, admin, policy);
    }

    @Bean
    ApiHttpService apiHttpService(ServerStatusQuery status, RelayStatusQuery relays, AdministerMountsUseCase admin,
                                  UpdateMetadataUseCase metadata, QueryHistoryUseCase history,
                                  CredentialChecker credentials, ManageApiTokensUseCase tokens, ManageBansUseCase bans,
                                  AccessPolicy policy, Clock clock, HttpsCertificates https) {
        return new ApiHttpService(status, relays, admin, metadata, history, credentials, tokens, bans, policy, clock,
                https);
    }

    // ---- dashboard ----

    @Bean
    DashboardSessions dashboardSessions(Clock clock, CurrentConfig config) {
        return new DashboardSessions(clock, () -> config.get().dashboard());
    }

    @Bean
    LoginThrottle loginThrottle(Clock clock, CurrentConfig config) {
        return new LoginThrottle(clock, () -> config.get().dashboard());
    }

    /** Also the {@link ManageLockoutsUseCase}. */
    @Bean
    DashboardLogin dashboardLogin(CredentialChecker credentials, CurrentConfig config, DashboardSessions sessions,
                                  LoginThrottle throttle, AccessPolicy policy) {
        return new DashboardLogin(credentials, config, sessions, throttle, policy);
    }

    @Bean
    ConfigChanges configChanges(CurrentConfig config, ConfigurationStore store, Faults faults) {
        return new ConfigChanges(config, store, faults);
    }

    @Bean
    ReloadConfiguration reloadConfiguration(ConfigurationStore store, PasswordHasher hasher, StartupOptions options,
                                            ConfigChanges changes, AdministerMountsUseCase admin,
                                            DashboardSessions sessions, Relays relays, MasterRelays master,
                                            TinyIceHttpServer server) {
        return new ReloadConfiguration(store, hasher, changes, admin, sessions::endAllOf, options.host(),
                options.port(), config -> {
                    server.shoutcast().sync(config);
                    relays.sync(config.relays());
                    master.reloaded();
                });
    }

    @Bean
    ManageUsersUseCase manageUsers(ConfigChanges changes, PasswordHasher hasher, DashboardSessions sessions,
                                   AccessPolicy policy) {
        return new UserAdministration(changes, hasher, sessions, policy);
    }

    @Bean
    ManageApiTokensUseCase apiTokens(ConfigChanges changes, Clock clock, AccessPolicy policy) {
        return new ApiTokens(changes, clock, policy);
    }

    @Bean
    ConfigureMountsUseCase configureMounts(ConfigChanges changes, MountRegistry mounts, AdministerMountsUseCase admin,
                                           PasswordHasher hasher, AccessPolicy policy) {
        return new MountSettingsEditor(changes, mounts, admin, hasher, policy);
    }

    @Bean
    ControlMountsUseCase controlMounts(ServerStatusQuery status, AdministerMountsUseCase admin, AccessPolicy policy) {
        return new MountControl(status, admin, policy);
    }

    @Bean
    LiveStatsQuery liveStats(MountRegistry mounts, CurrentConfig config, ServerCounters counters, Clock clock,
                             AccessPolicy policy, HlsStreams hls) {
        return new LiveStatsService(mounts, config, counters, clock, ProcessUsage.jvm(), policy, hls::sessions);
    }

    @Bean
    RelayStatusQuery relayStatus(Relays relays, AccessPolicy policy) {
        return new RelayStatusService(relays, policy);
    }

    /** The event streams of both the dashboard and the public pages, counted for {@code /metrics}. */
    @Bean
    LiveEvents liveEvents(CurrentConfig config) {
        return new LiveEvents(() -> config.get().limits().maxSseClients());
    }

    @Bean
    Dashboard dashboard(DashboardLogin login, ControlMountsUseCase control, ConfigureMountsUseCase mounts,
                        ManageUsersUseCase users, ManageApiTokensUseCase tokens, LiveStatsQuery live,
                        RelayStatusQuery relays, LiveEvents events, QueryHistoryUseCase history, AccessPolicy policy,
                        Clock clock, Faults faults, ManageBansUseCase bans, HttpsCertificates https) {
        return new Dashboard(login, login, control, mounts, users, tokens, live, relays, events, history, policy, clock,
                faults, bans, https);
    }

    @Bean
    PublicHttpService publicHttpService(LiveStatsQuery live, LiveEvents events) {
        return new PublicHttpService(live, events);
    }

    @Bean
    Readiness readiness() {
        return new Readiness();
    }

    @Bean
    TinyIceHttpServer httpServer(CurrentConfig config, IcecastProtocol protocol, ApiHttpService api,
                                 Dashboard dashboard, PublicHttpService publicPages,
                                 Readiness readiness, HistoryRecorder history, LiveEvents events, Faults faults,
                                 HttpsCertificates https, StartupOptions options) {
        ServerConfig now = config.get();
        // a take-over starts on loopback ports nobody knows, then accepts on the old process's sockets
        String host = options.takeOver() ? "127.0.0.1" : now.host();
        int port = options.takeOver() ? 0 : now.port();
        return new TinyIceHttpServer(host, port, protocol, api,
                pages(dashboard, publicPages), readiness, faults, Map.of(
                "tinyice_history_queue_depth", history::queueDepth,
                "tinyice_history_dropped", history::dropped,
                "tinyice_sse_clients", events::open,
                // 0 without HTTPS (or, with ACME, before the first certificate)
                "tinyice_tls_certificate_valid_until_seconds", () -> https.acme().isPresent()
                        ? https.acme().get().state().validUntil().map(Instant::getEpochSecond).orElse(0L)
                        : https.files().flatMap(CertificateFiles::running).map(c -> c.notAfter().getEpochSecond())
                        .orElse(0L),
                "tinyice_acme_next_renewal_seconds", () -> https.acme()
                        .map(acme -> acme.state().nextRenewal().getEpochSecond()).orElse(0L),
                "tinyice_acme_failures", () -> https.acme().map(acme -> acme.state().failures()).orElse(0L)), https,
                options.takeOver());
    }

    /** The HTTPS port's certificate, read now: a pair that fails stops the start with the reason. */
    @Bean
    HttpsCertificates httpsCertificates(CurrentConfig config, StartupOptions options, Clock clock) {
        Optional<TlsConfig> tls = config.get().tls();
        if (tls.isEmpty()) {
            return HttpsCertificates.none();
        }
        try {
            return HttpsCertificates.of(tls.get(), options.dataDir(), clock);
        } catch (PemCertificate.Refused refused) {
            throw new IllegalStateException("tls: " + refused.getMessage(), refused);
        }
    }

    private static List<Map.Entry<String, HttpService>> pages(Dashboard dashboard, PublicHttpService publicPages) {
        List<Map.Entry<String, HttpService>> pages = new java.util.ArrayList<>();
        dashboard.services().forEach(service -> pages.add(Map.entry("/admin", service)));
        pages.add(Map.entry("", publicPages));
        return pages;
    }
}
