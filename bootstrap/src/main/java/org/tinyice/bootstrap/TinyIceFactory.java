package org.tinyice.bootstrap;

import io.avaje.inject.Bean;
import io.avaje.inject.Factory;
import io.avaje.inject.InjectModule;
import java.time.Clock;
import java.util.Map;
import org.tinyice.adapters.http.TinyIceHttpServer;
import org.tinyice.adapters.http.hook.HttpListenerAuthHook;
import org.tinyice.adapters.http.icecast.IcecastProtocol;
import org.tinyice.adapters.persistence.config.JsonConfigurationFile;
import org.tinyice.adapters.persistence.security.Argon2PasswordHasher;
import org.tinyice.application.config.CurrentConfig;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.application.port.in.AdministerMountsUseCase;
import org.tinyice.application.port.in.ListenUseCase;
import org.tinyice.application.port.in.ServerStatusQuery;
import org.tinyice.application.port.in.StartSourceUseCase;
import org.tinyice.application.port.in.UpdateMetadataUseCase;
import org.tinyice.application.port.out.ConfigurationStore;
import org.tinyice.application.port.out.ListenerAuthHook;
import org.tinyice.application.port.out.PasswordHasher;
import org.tinyice.application.service.CredentialChecker;
import org.tinyice.application.service.ListenerService;
import org.tinyice.application.service.MetadataService;
import org.tinyice.application.service.MountAdministrationService;
import org.tinyice.application.service.PrepareConfiguration;
import org.tinyice.application.service.ServerCounters;
import org.tinyice.application.service.SourceService;
import org.tinyice.application.service.StatusService;
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
    CurrentConfig currentConfig(PrepareConfiguration.Prepared prepared, StartupOptions options) {
        ServerConfig config = prepared.config();
        return new CurrentConfig(config.withListenAddress(options.host().orElse(config.host()),
                options.port().orElse(config.port())));
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    MountRegistry mountRegistry() {
        return new MountRegistry();
    }

    @Bean
    ServerCounters serverCounters(Clock clock) {
        return new ServerCounters(clock.instant());
    }

    @Bean
    CredentialChecker credentialChecker(PasswordHasher hasher, CurrentConfig config) {
        return new CredentialChecker(hasher, config);
    }

    @Bean
    StartSourceUseCase startSource(MountRegistry mounts, CredentialChecker credentials, CurrentConfig config,
                                   ServerCounters counters) {
        return new SourceService(mounts, credentials, config, counters, ChunkPolicy.DEFAULT);
    }

    @Bean
    ListenerAuthHook listenerAuthHook(CurrentConfig config) {
        return new HttpListenerAuthHook(config);
    }

    @Bean
    ListenUseCase listen(MountRegistry mounts, CurrentConfig config, ServerCounters counters, Clock clock,
                         CredentialChecker credentials, ListenerAuthHook authHook) {
        return new ListenerService(mounts, config, counters, clock, credentials, authHook);
    }

    @Bean
    UpdateMetadataUseCase updateMetadata(MountRegistry mounts, CredentialChecker credentials) {
        return new MetadataService(mounts, credentials);
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
    IcecastProtocol icecastProtocol(StartSourceUseCase sources, ListenUseCase listeners,
                                    UpdateMetadataUseCase metadata, ServerStatusQuery status,
                                    AdministerMountsUseCase admin, CredentialChecker credentials,
                                    CurrentConfig config, Clock clock) {
        return new IcecastProtocol(sources, listeners, metadata, status, admin, credentials, config, clock);
    }

    @Bean
    Readiness readiness() {
        return new Readiness();
    }

    @Bean
    TinyIceHttpServer httpServer(CurrentConfig config, IcecastProtocol protocol, Readiness readiness) {
        ServerConfig now = config.get();
        return new TinyIceHttpServer(now.host(), now.port(), protocol, readiness, Map.of());
    }
}
