package org.tinyice.adapters.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.URLEncoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Query strings and url-encoded forms come from anyone. Any text parses without an exception, and
 * whatever a browser's or an encoder's percent-encoding makes of a name and a value, in UTF-8 or
 * Latin-1, decodes back to them.
 */
class QueryStringFuzzTest {

    private static final List<Charset> CHARSETS = List.of(StandardCharsets.UTF_8, StandardCharsets.ISO_8859_1,
            StandardCharsets.US_ASCII);

    @FuzzTest(maxDuration = "2m")
    void parsesAnyTextWithoutThrowing(FuzzedDataProvider data) {
        Charset charset = data.pickValue(CHARSETS);
        String target = data.consumeRemainingAsString();
        QueryString.parse(target, charset);
        QueryString.charsetOf(target);
        QueryString.decode(target, charset, false);
    }

    @FuzzTest(maxDuration = "2m")
    void decodesWhatWasEncoded(FuzzedDataProvider data) {
        Charset charset = data.consumeBoolean() ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1;
        String name = data.consumeString(100);
        String value = data.consumeRemainingAsString();
        if (!charset.newEncoder().canEncode(name) || !charset.newEncoder().canEncode(value)
                || !StandardCharsets.UTF_8.newEncoder().canEncode(name) || name.isEmpty()) {
            return; // what the charset cannot hold no client can send in it
        }
        String query = "x=1&" + URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(value, charset);
        Map<String, String> parsed = QueryString.parse(query, charset);
        if (!name.equals("x")) {
            assertEquals(value, parsed.get(name), query);
        }
        // literal characters next to escapes are kept as they are
        assertEquals(value + "A", QueryString.decode(value.replace("%", "%25").replace("+", "%2B") + "%41",
                charset, true), "decoding " + value);
    }
}
