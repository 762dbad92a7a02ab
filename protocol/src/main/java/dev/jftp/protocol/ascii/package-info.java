/**
 * TYPE A (ASCII) transfers: line ends are CRLF on the wire and LF on a Unix disk (RFC 959 section
 * 3.1.1.1). One converter for each direction, streaming over buffers, used by the server and the
 * client alike.
 */
package dev.jftp.protocol.ascii;
