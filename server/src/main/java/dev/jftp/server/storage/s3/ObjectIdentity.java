package dev.jftp.server.storage.s3;

/**
 * What names an object for the RFC 3659 "unique" fact: a 64-bit FNV-1a hash of its full key, as 16
 * hex digits. The key itself is not shown, since it holds the bucket's prefix, which users do not
 * see; computed only when asked for (only MLSx shows it).
 */
record ObjectIdentity(String key) {
    @Override
    public String toString() {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < key.length(); i++) {
            hash ^= key.charAt(i);
            hash *= 0x100000001b3L;
        }
        return String.format("%016x", hash);
    }
}
