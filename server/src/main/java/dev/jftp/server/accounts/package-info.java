/**
 * Accounts as a service that any protocol (FTP, SFTP) and any node of a cluster can use: an
 * {@link dev.jftp.server.accounts.AccountStore} answers "who is this name", and tells its listeners
 * when an account changes, so that caches of verified logins are dropped and sessions of a removed
 * user end. Stores: the users file and {@code --user} today, PostgreSQL for several nodes.
 */
package dev.jftp.server.accounts;
