package org.tinyice.application.port.in;

import java.util.Optional;

/** A user name and password as a client sent them (HTTP Basic auth). */
public record Credentials(String user, String password) {

    public Credentials {
        user = user == null ? "" : user;
        password = password == null ? "" : password;
    }

    /** No credentials at all: libshout's first probe and clients that have not been challenged yet. */
    public static Optional<Credentials> none() {
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "Credentials[" + user + ":***]";
    }
}
