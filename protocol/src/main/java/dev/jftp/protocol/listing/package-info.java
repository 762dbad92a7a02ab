/**
 * Directory listings as both sides speak them: the server writes LIST lines in the "ls -l" form
 * and MLSx fact lines (RFC 3659 section 7) with {@link dev.jftp.protocol.listing.ListingFormat};
 * the client reads them (and other servers' lines) back with
 * {@link dev.jftp.protocol.listing.ListingParser} into {@link dev.jftp.protocol.listing.RemoteEntry}.
 */
package dev.jftp.protocol.listing;
