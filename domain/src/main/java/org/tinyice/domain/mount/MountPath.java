package org.tinyice.domain.mount;

/**
 * Rules for mount point names. A mount is {@code /} followed by letters, digits and {@code ._-~/},
 * never containing {@code ..} or {@code //}: a path that could climb out of a directory or smuggle
 * control characters into logs and headers is refused before anything else looks at it.
 */
public final class MountPath {

    public static final int MAX_LENGTH = 255;

    private MountPath() {
    }

    public static boolean isValid(String path) {
        if (path == null || path.length() < 2 || path.length() > MAX_LENGTH || path.charAt(0) != '/') {
            return false;
        }
        if (path.contains("..") || path.contains("//") || path.endsWith("/")) {
            return false;
        }
        for (int i = 1; i < path.length(); i++) {
            char c = path.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-' || c == '~' || c == '/';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
