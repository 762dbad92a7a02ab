# Sourced by the bin/lib/fetch-*.sh scripts: a Debian package's program made runnable without
# installing the package (installing would start its system service). The package and every
# dependency this machine lacks are fetched with apt-get download into peers/debs (once) and
# unpacked with dpkg -x into one folder; a small wrapper script sets LD_LIBRARY_PATH for the
# libraries unpacked there and runs the program.
#
# unpack_debian_package TAG PACKAGE DIR PROGRAM WRAPPER
#   TAG      prefix of the messages on standard error ("fetch-haproxy")
#   PACKAGE  the Debian package ("haproxy")
#   DIR      the folder to unpack into (emptied first)
#   PROGRAM  the program inside DIR ("usr/sbin/haproxy"); run by its absolute path
#   WRAPPER  the wrapper to write
# Returns 1, with the reason on standard error, when the package cannot be fetched or a library
# the program needs is still missing.
# Needs $peers (the ignored peers/ folder) set by the caller.

# fetch PACKAGE...: each .deb once into peers/debs (apt-get update once if the lists lack them)
debian_fetch() {
  local pkg missing=()
  mkdir -p "$peers/debs"
  for pkg in "$@"; do
    compgen -G "$peers/debs/${pkg}_*.deb" >/dev/null || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "$debian_tag: apt-get download ${missing[*]}" >&2
  (cd "$peers/debs" && apt-get download "${missing[@]}") >&2 && return 0
  [ "$(id -u)" -eq 0 ] || return 1
  apt-get update -qq >&2 && (cd "$peers/debs" && apt-get download "${missing[@]}") >&2
}

debian_deb() { compgen -G "$peers/debs/${1}_*.deb" | head -1; }

# the packages a .deb depends on that are not installed here (first alternative of each, no versions)
debian_uninstalled_depends() {
  local pkg
  dpkg-deb -f "$1" Depends 2>/dev/null | tr ',' '\n' | sed 's/|.*//; s/(.*)//; s/:any//; s/[[:space:]]//g' | sed '/^$/d' |
    while read -r pkg; do
      dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || echo "$pkg"
    done
}

unpack_debian_package() {
  debian_tag="$1"
  local package="$2" dir="$3" program="$4" wrapper="$5"
  rm -rf "$dir"
  mkdir -p "$dir"
  debian_fetch "$package" || { echo "$debian_tag: could not download the Debian package $package (apt-get download)" >&2; return 1; }
  dpkg -x "$(debian_deb "$package")" "$dir"

  # Libraries: the dependencies not installed here, and theirs, a few levels deep.
  local todo=("$package") done_pkgs=" $package " next pkg dep
  for _ in 1 2 3 4; do
    next=()
    for pkg in "${todo[@]}"; do
      while read -r dep; do
        [ -n "$dep" ] || continue
        case "$done_pkgs" in *" $dep "*) continue ;; esac
        done_pkgs+="$dep "
        next+=("$dep")
      done < <(debian_uninstalled_depends "$(debian_deb "$pkg")")
    done
    [ ${#next[@]} -eq 0 ] && break
    # debconf, adduser, procps and the like are for the package's scripts, which dpkg -x never runs;
    # a dependency that cannot be fetched only matters if ldd below misses one of its libraries.
    for pkg in "${next[@]}"; do
      if debian_fetch "$pkg"; then
        dpkg -x "$(debian_deb "$pkg")" "$dir"
      else
        echo "$debian_tag: could not download $pkg (continuing: ldd says whether it matters)" >&2
      fi
    done
    todo=("${next[@]}")
  done

  local libdirs missing
  libdirs="$(find "$dir" -name '*.so*' \( -type f -o -type l \) -printf '%h\n' | sort -u | paste -sd:)"
  missing="$(LD_LIBRARY_PATH="$libdirs" ldd "$dir/$program" 2>&1 | awk '/not found/ { print $1 }' | paste -sd' ')"
  if [ -n "$missing" ]; then
    echo "$debian_tag: $(basename "$program") cannot run here, libraries not found: $missing" >&2
    return 1
  fi
  cat >"$wrapper" <<WRAPPER
#!/bin/sh
# Made by bin/lib/$debian_tag.sh: Debian's $(basename "$program"), unpacked here, with its libraries beside it.
LD_LIBRARY_PATH="$libdirs\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}" exec "$dir/$program" "\$@"
WRAPPER
  chmod +x "$wrapper"
}
