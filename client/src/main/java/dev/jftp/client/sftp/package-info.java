/**
 * The client's SFTP (version 3, as OpenSSH's sftp speaks it) over Apache MINA SSHD: logging in
 * ({@link dev.jftp.client.sftp.SftpLogin}), host keys checked against OpenSSH's known_hosts
 * ({@link dev.jftp.client.sftp.SshKnownHosts}), and the remote files
 * ({@link dev.jftp.client.sftp.SftpFiles}). Nothing outside this package names a MINA class, so an
 * FTP session never loads one.
 */
package dev.jftp.client.sftp;
