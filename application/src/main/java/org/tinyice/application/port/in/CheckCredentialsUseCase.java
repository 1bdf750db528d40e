package org.tinyice.application.port.in;

import java.util.Optional;

/** Whose credentials these are: the admin's, or a mount's source credentials. */
public interface CheckCredentialsUseCase {

    boolean isAdmin(Optional<Credentials> credentials);

    boolean maySource(String mountPath, Optional<Credentials> credentials);
}
