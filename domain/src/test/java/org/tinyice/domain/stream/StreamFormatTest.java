package org.tinyice.domain.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class StreamFormatTest {

    @ParameterizedTest
    @ValueSource(strings = {"application/ogg", "audio/ogg", "Audio/OGG", "audio/ogg; codecs=opus", " audio/opus ",
        "audio/vorbis", "video/ogg", "audio/x-ogg", "application/x-ogg"})
    void oggContentTypesAreOgg(String contentType) {
        assertEquals(StreamFormat.OGG, StreamFormat.fromContentType(contentType));
        assertFalse(StreamFormat.fromContentType(contentType).carriesIcyMetadata());
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"audio/mpeg", "audio/aac", "audio/aacp", "", "text/plain"})
    void everythingElseIsARawByteStreamThatCarriesIcyMetadata(String contentType) {
        assertEquals(StreamFormat.RAW, StreamFormat.fromContentType(contentType));
        assertTrue(StreamFormat.fromContentType(contentType).carriesIcyMetadata());
    }

    @ParameterizedTest
    @ValueSource(strings = {"audio/mpeg", "AUDIO/MPEG", "audio/aac", "audio/aacp", "audio/mpeg; charset=x",
        " application/ogg ", "Application/Ogg", "application/x-ogg", "video/webm", "video/mp2t",
        "application/octet-stream", "audio/ogg;\tcodecs=opus"})
    void audioVideoOggAndOctetStreamMayBeDeclaredBySources(String contentType) {
        assertTrue(StreamFormat.isStreamable(contentType), contentType);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"text/html", "TEXT/HTML; charset=utf-8", "text/plain", "application/xhtml+xml",
        "image/svg+xml", "application/javascript", "application/json", "text/xml", "multipart/x-mixed-replace",
        "audio", "audio/", "/mpeg", "audio /mpeg", "audio/mp<eg", "audio/mpeg\rX-Injected: 1",
        "audio/mpeg; x=\n", "", "application/ogg-html"})
    void everyOtherContentTypeIsRefused(String contentType) {
        assertFalse(StreamFormat.isStreamable(contentType), String.valueOf(contentType));
    }
}
