package org.tinyice.adapters.http.icecast;

import java.time.Clock;
import java.util.function.Supplier;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.application.port.in.AccessPolicy;
import org.tinyice.application.port.in.AdministerMountsUseCase;
import org.tinyice.application.port.in.CheckCredentialsUseCase;
import org.tinyice.application.port.in.ClientAddressPolicy;
import org.tinyice.application.port.in.ListenUseCase;
import org.tinyice.application.port.in.RecordedAddressQuery;
import org.tinyice.application.port.in.ReportEdgeUseCase;
import org.tinyice.application.port.in.ServeHlsUseCase;
import org.tinyice.application.port.in.ServerStatusQuery;
import org.tinyice.application.port.in.StartSourceUseCase;
import org.tinyice.application.port.in.UpdateMetadataUseCase;

/** What the Icecast side of the HTTP adapter needs from the application. */
public record IcecastProtocol(StartSourceUseCase sources, ListenUseCase listeners, UpdateMetadataUseCase metadata,
                              ServerStatusQuery status, AdministerMountsUseCase admin,
                              CheckCredentialsUseCase credentials, AccessPolicy policy,
                              RecordedAddressQuery addresses, ReportEdgeUseCase edges,
                              ClientAddressPolicy addressPolicy,
                              Supplier<ServerConfig> config, Clock clock, ServeHlsUseCase hls) {
}
