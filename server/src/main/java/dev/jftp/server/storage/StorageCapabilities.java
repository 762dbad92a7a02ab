package dev.jftp.server.storage;

/**
 * What a backend can do beyond reading, replacing, listing, deleting and renaming files, so that a
 * protocol refuses the rest cleanly (FTP: 502/504/550) instead of failing half-way.
 *
 * @param resumeInPlace     APPE and REST+STOR: append to, or cut and continue, an existing file
 * @param permissions       Unix modes: shown in listings, changed by SITE CHMOD / SFTP setstat
 * @param setModifiedTime   MFMT and SFTP's setstat of times
 * @param symbolicLinks     the tree may hold symbolic links (followed only inside the jail)
 * @param renameDirectories a non-empty directory can be renamed
 * @param atomicRename      a rename is one atomic step (on S3 it is a copy, then a delete)
 * @param localCalls        every operation is a system call on this machine or work in memory, never a
 *                          wait on the network: a protocol may run a quick one on a network thread
 *                          that serves other sessions too (SFTP does, see QuickRequestsSftpSubsystem)
 */
public record StorageCapabilities(
        boolean resumeInPlace,
        boolean permissions,
        boolean setModifiedTime,
        boolean symbolicLinks,
        boolean renameDirectories,
        boolean atomicRename,
        boolean localCalls) {
}
