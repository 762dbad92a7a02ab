# Sourced by bin/* and .ci/run: finds a JDK >= 25 (the FFM API, final since 22,
# and the language level the build asks for) and the project root.
# JAVA_HOME wins when it is new enough; otherwise the newest JDK under /usr/lib/jvm.

# What runs at each start uses bash built-ins only where it can: every $(...) forks a shell and
# dirname/readlink are programs, 5-10 ms of CPU each on a loaded machine, which a one-shot bin/jftp
# pays before the JVM even starts (six of them were a fifth of an empty session's CPU).
jftp_lib_dir="${BASH_SOURCE[0]%/*}"
[ "$jftp_lib_dir" != "${BASH_SOURCE[0]}" ] || jftp_lib_dir=. # sourced as plain "common.sh"
case "$jftp_lib_dir" in
  /*/bin/lib) JFTP_ROOT="${jftp_lib_dir%/bin/lib}" ;; # an absolute path: the root is a prefix of it
  *) JFTP_ROOT="$(cd "$jftp_lib_dir/../.." && pwd)" ;;
esac
export JFTP_ROOT

# Sets jftp_major to the major Java version of the JDK in directory $1: from its 'release' file when
# it has one (bash built-ins only: 'java -version' costs 0.1-0.2 s, which a one-shot bin/jftp would
# pay at every start, twice), else by asking its java.
jftp_read_java_major() {
  local line
  jftp_major=""
  if [ -r "$1/release" ]; then
    while IFS= read -r line; do
      case "$line" in
        JAVA_VERSION=*)
          line="${line#JAVA_VERSION=\"}"
          line="${line#1.}" # 1.8.0 is Java 8
          jftp_major="${line%%[!0-9]*}"
          return 0 ;;
      esac
    done < "$1/release"
  fi
  jftp_major="$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -1 | cut -d. -f1)"
}

# Prints the major Java version of the JDK in directory $1.
jftp_java_major() {
  jftp_read_java_major "$1"
  echo "$jftp_major"
}

# Sets jftp_jdk (and jftp_jdk_major) to a JDK >= 25: JAVA_HOME when it is one, else the newest
# under /usr/lib/jvm; returns 1 when there is none.
jftp_pick_jdk() {
  local candidate best="" best_major=0
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    jftp_read_java_major "$JAVA_HOME"
    if [ "${jftp_major:-0}" -ge 25 ]; then jftp_jdk="$JAVA_HOME"; jftp_jdk_major="$jftp_major"; return 0; fi
  fi
  for candidate in /usr/lib/jvm/*; do
    [ -x "$candidate/bin/javac" ] || continue
    jftp_read_java_major "$candidate"
    if [ "${jftp_major:-0}" -gt "$best_major" ]; then best="$candidate"; best_major="$jftp_major"; fi
  done
  if [ "$best_major" -ge 25 ]; then jftp_jdk="$best"; jftp_jdk_major="$best_major"; return 0; fi
  return 1
}

# Prints the JDK that jftp_pick_jdk chooses.
jftp_find_jdk() {
  jftp_pick_jdk && echo "$jftp_jdk"
}

if ! jftp_pick_jdk; then
  echo "jftp: no JDK >= 25 found (JAVA_HOME='${JAVA_HOME:-}', nothing suitable under /usr/lib/jvm)." >&2
  echo "jftp: install one, e.g. Temurin 25 (https://adoptium.net) or 'apt-get install openjdk-25-jdk' where packaged, or set JAVA_HOME." >&2
  exit 1
fi
JAVA_HOME="$jftp_jdk"
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
# Java takes the file-name encoding from the locale: keep non-ASCII names intact.
export LC_ALL=C.UTF-8
# Maven 3.8 on JDK 24+ warns about sun.misc.Unsafe on every run; the warning is noise here.
JFTP_JAVA_MAJOR="$jftp_jdk_major"
if [ "$JFTP_JAVA_MAJOR" -ge 24 ]; then export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"; fi

jftp_mvn() {
  command -v mvn >/dev/null 2>&1 || { echo "jftp: Maven (mvn) is needed to build: apt-get install maven" >&2; exit 1; }
  (cd "$JFTP_ROOT" && mvn -B -q "$@")
}

# True when a file among $2... (directories: every file below them) was modified after file $1.
# Bash's own globbing and -nt, not find: no process to start (find in a subshell cost 3.4 ms of
# each bin/jftp start, this 1.1 ms, walking the same 106 entries).
jftp_any_newer() {
  local reference="$1" entry file option restore=""
  shift
  for option in globstar nullglob dotglob; do
    shopt -q "$option" || restore="$restore shopt -u $option;"
  done
  shopt -s globstar nullglob dotglob
  for entry in "$@"; do
    for file in "$entry" "$entry"/**; do
      if [ -f "$file" ] && [ "$file" -nt "$reference" ]; then
        eval "$restore"
        return 0
      fi
    done
  done
  eval "$restore"
  return 1
}

# Builds the shaded jar of module $1 (named $2) when it is missing or older than any of its sources
# (its own and the protocol module's, the one module that the client and the server share), and
# sets jftp_jar to it. Only those: a change to the server does not rebuild the client, and the
# check walks half the files (it runs at every start of bin/jftp).
# JFTP_NO_BUILD=1 (set by the end-to-end tests, which run inside 'mvn verify' right after it
# packaged the jar) turns a needed build into an error: a nested Maven run would rewrite target/
# under the running build.
jftp_need_jar() {
  local module="$1"
  jftp_jar="$JFTP_ROOT/$1/target/$2.jar"
  if [ ! -f "$jftp_jar" ] || jftp_any_newer "$jftp_jar" "$JFTP_ROOT"/pom.xml "$JFTP_ROOT/protocol/pom.xml" "$JFTP_ROOT/$module/pom.xml" \
      "$JFTP_ROOT/protocol/src/main" "$JFTP_ROOT/$module/src/main"; then
    if [ "${JFTP_NO_BUILD:-}" = 1 ]; then
      echo "jftp: $jftp_jar is missing or older than its sources, and JFTP_NO_BUILD=1 forbids building it" >&2
      exit 1
    fi
    echo "jftp: building $2 (first use or sources changed)..." >&2
    jftp_mvn -DskipTests -pl "$module" -am package >&2 || { echo "jftp: build failed" >&2; exit 1; }
  fi
}

# Prints the jar that jftp_need_jar builds when needed.
jftp_ensure_jar() {
  jftp_need_jar "$@"
  echo "$jftp_jar"
}
