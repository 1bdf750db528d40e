package org.tinyice.domain.mount;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class MountPathTest {

    @ParameterizedTest
    @ValueSource(strings = {"/live", "/a/b.mp3", "/x-y_z~1", "/a", "/Stream.OGG", "/radio/2024/show.aac"})
    void acceptsOrdinaryMountPaths(String path) {
        assertTrue(MountPath.isValid(path), path);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"/", "live", "/../etc", "/a/../b", "/..", "/a..b", "/a//b", "//a", "/a/", "/a b",
        "/a%2e", "/é", "/a\tb", "/a\nb", "/a\u0000b", "/a?x=1", "/a#b", "/a\\b", "\\a"})
    void refusesPathsThatAreEmptyRelativeClimbingOrCarryOddCharacters(String path) {
        assertFalse(MountPath.isValid(path), String.valueOf(path));
    }

    static Stream<String> lengths() {
        return Stream.of("/" + "a".repeat(299), "/" + "a".repeat(MountPath.MAX_LENGTH));
    }

    @ParameterizedTest
    @MethodSource("lengths")
    void refusesPathsLongerThanTheMaximum(String path) {
        assertFalse(MountPath.isValid(path));
    }

    @Test
    void acceptsAPathOfExactlyTheMaximumLength() {
        assertTrue(MountPath.isValid("/" + "a".repeat(MountPath.MAX_LENGTH - 1)));
    }
}
