# Sourced by run.sh, test.sh and .ci/run: points JAVA_HOME at a JDK 21 or newer.
# The machine's default java may be 17, which cannot run Helidon 4; Temurin 25 sits beside it.
tinyice_java_home() {
  local candidate version
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25* \
                   /usr/lib/jvm/*25* /usr/lib/jvm/*-21-* /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    version=$("$candidate/bin/java" -XshowSettings:properties -version 2>&1 \
      | sed -n 's/^ *java.specification.version = //p')
    if [ -n "$version" ] && [ "${version%%.*}" -ge 21 ]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}
if ! JAVA_HOME=$(tinyice_java_home); then
  echo "TinyIce needs a JDK 21 or newer (25 recommended); none found under /usr/lib/jvm or JAVA_HOME." >&2
  exit 1
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
