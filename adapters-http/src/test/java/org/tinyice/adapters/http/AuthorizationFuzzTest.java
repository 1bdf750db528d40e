package org.tinyice.adapters.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.tinyice.application.port.in.Credentials;

/**
 * {@code Authorization} headers come from anyone, on every entry point. Any value is either read or
 * refused as empty, never an exception; what a client encodes is read back as it was.
 */
class AuthorizationFuzzTest {

    @FuzzTest(maxDuration = "1m")
    void anyHeaderIsReadOrRefusedWithoutThrowing(FuzzedDataProvider data) {
        String header = data.consumeRemainingAsString();
        BasicCredentials.parse(Optional.of(header));
        Optional<String> token = BearerToken.parse(Optional.of(header));
        token.ifPresent(t -> {
            assertFalse(t.isEmpty());
            assertEquals(t.trim(), t, "a token never carries the header's spaces");
        });
    }

    @FuzzTest(maxDuration = "1m")
    void basicCredentialsComeBackAsTheyWereSent(FuzzedDataProvider data) {
        String user = data.consumeString(64).replace(":", "");
        String password = data.consumeRemainingAsString();
        if (!StandardCharsets.UTF_8.newEncoder().canEncode(user + password)) {
            return; // a lone surrogate has no UTF-8 form to send
        }
        String header = "Basic " + Base64.getEncoder().encodeToString(
                (user + ":" + password).getBytes(StandardCharsets.UTF_8));

        Optional<Credentials> read = BasicCredentials.parse(Optional.of(header));

        assertTrue(read.isPresent(), header);
        assertEquals(user, read.get().user());
        assertEquals(password, read.get().password());
    }

    @FuzzTest(maxDuration = "1m")
    void aBearerTokenComesBackAsItWasSent(FuzzedDataProvider data) {
        String token = data.consumeRemainingAsAsciiString().trim();
        if (token.isEmpty()) {
            return;
        }
        assertEquals(Optional.of(token), BearerToken.parse(Optional.of("Bearer " + token)));
    }
}
