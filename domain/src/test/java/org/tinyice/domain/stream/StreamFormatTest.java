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
}
