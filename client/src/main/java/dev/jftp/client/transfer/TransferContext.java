package dev.jftp.client.transfer;

import dev.jftp.client.Interruption;
import dev.jftp.client.remote.RemoteFiles;
import dev.jftp.client.remote.TransferListener;
import java.io.PrintWriter;

/**
 * What a get or put works with.
 *
 * @param remote   the connected session
 * @param out      where "Fetching ..." lines go
 * @param err      where problems with single files go (a tree transfer goes on after one)
 * @param listener progress meter and other observers
 * @param copy     the copy loops with their buffers
 * @param umask    the local umask set with lumask, or null to leave file modes to the process
 * @param quiet    true in batch mode: no "Fetching ..." lines (as sftp -b)
 * @param interruption the user's Ctrl-C, checked before each file of a tree
 */
public record TransferContext(RemoteFiles remote, PrintWriter out, PrintWriter err, TransferListener listener, DataCopy copy,
                              Integer umask, boolean quiet, Interruption interruption) {
}
