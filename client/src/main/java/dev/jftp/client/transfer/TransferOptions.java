package dev.jftp.client.transfer;

/**
 * The flags of get and put.
 *
 * @param resume    -a, reget, reput: continue a partial file (SIZE + REST/APPE)
 * @param preserve  -p, -P: keep the modification time (MDTM/MFMT) and, on download, the mode
 * @param fsync     -f: flush a downloaded file to disk before it gets its final name
 * @param recursive -r, -R: descend into directories
 */
public record TransferOptions(boolean resume, boolean preserve, boolean fsync, boolean recursive) {
    public static final TransferOptions PLAIN = new TransferOptions(false, false, false, false);
}
