package org.tinyice.adapters.http.observe;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.tinyice.application.port.in.RecordedAddressQuery;

/**
 * Icecast's access log: the combined log format plus the seconds the listener stayed, one line when a
 * listener leaves, through the logger {@value #LOGGER} (bootstrap points it at {@code access.log}).
 * Addresses are written as configured ({@code client_addresses}, see {@link RecordedAddressQuery}):
 * hashed by default.
 */
public final class AccessLog {

    public static final String LOGGER = "org.tinyice.access";
    private static final System.Logger LOG = System.getLogger(LOGGER);
    private static final DateTimeFormatter CLF_DATE =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.US).withZone(ZoneOffset.UTC);

    private final RecordedAddressQuery addresses;

    public AccessLog(RecordedAddressQuery addresses) {
        this.addresses = addresses;
    }

    /** Logs one finished listener request. */
    public void listenerLeft(String address, String user, String requestLine, int status, long bytes, String referer,
                             String userAgent, Instant at, long secondsConnected) {
        if (!LOG.isLoggable(System.Logger.Level.INFO)) {
            return;
        }
        String line = addresses.forRecords(address).orElse("-") + " - " + (user.isEmpty() ? "-" : clean(user)) + " [" + CLF_DATE.format(at)
                + "] \"" + clean(requestLine) + "\" " + status + " " + bytes + " \""
                + (referer.isEmpty() ? "-" : clean(referer)) + "\" \""
                + (userAgent.isEmpty() ? "-" : clean(userAgent)) + "\" " + secondsConnected;
        LOG.log(System.Logger.Level.INFO, line);
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
