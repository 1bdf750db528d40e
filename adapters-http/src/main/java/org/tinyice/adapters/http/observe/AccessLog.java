package org.tinyice.adapters.http.observe;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;
import java.util.function.Supplier;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.application.config.ServerConfig.AddressPrivacy;

/**
 * Icecast's access log: the combined log format plus the seconds the listener stayed, one line when a
 * listener leaves, through the logger {@value #LOGGER} (bootstrap points it at {@code access.log}).
 * Addresses are written as configured ({@code client_addresses}): hashed by default, with a salt
 * made at start, so one listener's lines can be told apart within a run but not traced to a person.
 */
public final class AccessLog {

    public static final String LOGGER = "org.tinyice.access";
    private static final System.Logger LOG = System.getLogger(LOGGER);
    private static final DateTimeFormatter CLF_DATE =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.US).withZone(ZoneOffset.UTC);

    private final Supplier<ServerConfig> config;
    private final byte[] salt = new byte[16];

    public AccessLog(Supplier<ServerConfig> config) {
        this.config = config;
        new SecureRandom().nextBytes(salt);
    }

    /** Logs one finished listener request. */
    public void listenerLeft(String address, String user, String requestLine, int status, long bytes, String referer,
                             String userAgent, Instant at, long secondsConnected) {
        if (!LOG.isLoggable(System.Logger.Level.INFO)) {
            return;
        }
        String line = address(address) + " - " + (user.isEmpty() ? "-" : clean(user)) + " [" + CLF_DATE.format(at)
                + "] \"" + clean(requestLine) + "\" " + status + " " + bytes + " \""
                + (referer.isEmpty() ? "-" : clean(referer)) + "\" \""
                + (userAgent.isEmpty() ? "-" : clean(userAgent)) + "\" " + secondsConnected;
        LOG.log(System.Logger.Level.INFO, line);
    }

    /** The address as the privacy setting allows. */
    public String address(String address) {
        AddressPrivacy privacy = config.get().clientAddresses();
        return switch (privacy) {
            case FULL -> address;
            case NONE -> "-";
            case HASHED -> hash(address);
        };
    }

    private String hash(String address) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(salt);
            sha.update(address.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Quotes and control characters would let a client forge log lines. */
    private static String clean(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(c < 0x20 || c == 0x7F || c == '"' ? '_' : c);
        }
        return out.toString();
    }
}
