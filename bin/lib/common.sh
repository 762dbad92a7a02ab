# Sourced by bin/* and .ci/run: finds a JDK >= 25 (the FFM API, final since 22,
# and the language level the build asks for) and the project root.
# JAVA_HOME wins when it is new enough; otherwise the newest JDK under /usr/lib/jvm.

JFTP_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export JFTP_ROOT

# Prints the major Java version of the JDK in directory $1: from its 'release' file when it has one
# (bash built-ins only: 'java -version' costs 0.1-0.2 s, which a one-shot bin/jftp would pay at every
# start, twice), else by asking its java.
jftp_java_major() {
  local line
  if [ -r "$1/release" ]; then
    while IFS= read -r line; do
      case "$line" in
        JAVA_VERSION=*)
          line="${line#JAVA_VERSION=\"}"
          line="${line#1.}" # 1.8.0 is Java 8
          echo "${line%%[!0-9]*}"
          return 0 ;;
      esac
    done < "$1/release"
  fi
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -1 | cut -d. -f1
}

jftp_find_jdk() {
  local candidate major best="" best_major=0
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    major=$(jftp_java_major "$JAVA_HOME")
    if [ "${major:-0}" -ge 25 ]; then echo "$JAVA_HOME"; return 0; fi
  fi
  for candidate in /usr/lib/jvm/*; do
    [ -x "$candidate/bin/javac" ] || continue
    major=$(jftp_java_major "$candidate")
    if [ "${major:-0}" -gt "$best_major" ]; then best="$candidate"; best_major="$major"; fi
  done
  if [ "$best_major" -ge 25 ]; then echo "$best"; return 0; fi
  return 1
}

if ! JAVA_HOME="$(jftp_find_jdk)"; then
  echo "jftp: no JDK >= 25 found (JAVA_HOME='${JAVA_HOME:-}', nothing suitable under /usr/lib/jvm)." >&2
  echo "jftp: install one, e.g. Temurin 25 (https://adoptium.net) or 'apt-get install openjdk-25-jdk' where packaged, or set JAVA_HOME." >&2
  exit 1
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
# Java takes the file-name encoding from the locale: keep non-ASCII names intact.
export LC_ALL=C.UTF-8
# Maven 3.8 on JDK 24+ warns about sun.misc.Unsafe on every run; the warning is noise here.
JFTP_JAVA_MAJOR="$(jftp_java_major "$JAVA_HOME")"
if [ "$JFTP_JAVA_MAJOR" -ge 24 ]; then export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"; fi

jftp_mvn() {
  command -v mvn >/dev/null 2>&1 || { echo "jftp: Maven (mvn) is needed to build: apt-get install maven" >&2; exit 1; }
  (cd "$JFTP_ROOT" && mvn -B -q "$@")
}

# Builds the shaded jar of module $1 (named $2) when it is missing or older than any source.
# JFTP_NO_BUILD=1 (set by the end-to-end tests, which run inside 'mvn verify' right after it
# packaged the jar) turns a needed build into an error: a nested Maven run would rewrite target/
# under the running build.
jftp_ensure_jar() {
  local module="$1" jar="$JFTP_ROOT/$1/target/$2.jar"
  if [ ! -f "$jar" ] || [ -n "$(find "$JFTP_ROOT"/pom.xml "$JFTP_ROOT"/*/pom.xml "$JFTP_ROOT"/*/src/main -newer "$jar" -type f -print -quit 2>/dev/null)" ]; then
    if [ "${JFTP_NO_BUILD:-}" = 1 ]; then
      echo "jftp: $jar is missing or older than its sources, and JFTP_NO_BUILD=1 forbids building it" >&2
      exit 1
    fi
    echo "jftp: building $2 (first use or sources changed)..." >&2
    jftp_mvn -DskipTests -pl "$module" -am package >&2 || { echo "jftp: build failed" >&2; exit 1; }
  fi
  echo "$jar"
}
