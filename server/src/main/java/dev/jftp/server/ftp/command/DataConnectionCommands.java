package dev.jftp.server.ftp.command;

import dev.jftp.protocol.HostPort;
import dev.jftp.protocol.ReplyCode;
import dev.jftp.server.ftp.data.ActiveDataChannel;
import dev.jftp.server.ftp.session.FtpReplyException;
import dev.jftp.server.ftp.session.FtpSession;
import dev.jftp.server.ftp.data.PassiveDataChannel;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Locale;

/**
 * How data connections are made and what they carry: PORT, PASV (RFC 959), EPRT, EPSV (RFC 2428),
 * TYPE, MODE, STRU. PORT and EPRT may only name the client's own address and a port of 1024 or
 * above, which rules out the FTP bounce attack (RFC 2577 section 3).
 */
final class DataConnectionCommands {
    private DataConnectionCommands() {
    }

    static void port(FtpSession s, String argument) throws FtpReplyException, IOException {
        InetSocketAddress target;
        try {
            target = HostPort.parsePortArgument(argument.trim());
        } catch (IllegalArgumentException e) {
            throw new FtpReplyException(ReplyCode.BAD_ARGUMENTS, "Syntax: PORT h1,h2,h3,h4,p1,p2 (" + e.getMessage() + ")");
        }
        active(s, target);
        s.replyPreparingData(ReplyCode.OK, "PORT command successful. Consider using PASV");
    }

    static void eprt(FtpSession s, String argument) throws FtpReplyException, IOException {
        InetSocketAddress target;
        try {
            target = HostPort.parseExtended(argument.trim());
        } catch (UnsupportedOperationException e) {
            throw new FtpReplyException(ReplyCode.NETWORK_PROTOCOL_NOT_SUPPORTED, "Network protocol not supported, use (1,2)");
        } catch (IllegalArgumentException e) {
            throw new FtpReplyException(ReplyCode.BAD_ARGUMENTS, "Syntax: EPRT |proto|address|port| (" + e.getMessage() + ")");
        }
        active(s, target);
        s.replyPreparingData(ReplyCode.OK, "EPRT command successful. Consider using EPSV");
    }

    private static void active(FtpSession s, InetSocketAddress target) throws FtpReplyException {
        if (s.state().epsvAll()) {
            throw new FtpReplyException(ReplyCode.BAD_SEQUENCE, "EPSV ALL is in effect: only EPSV may be used");
        }
        if (!sameHost(target.getAddress(), s.clientAddress())) {
            throw new FtpReplyException(ReplyCode.PARAMETER_NOT_IMPLEMENTED,
                    "Data connections go only to your own address (" + s.clientAddress().getHostAddress() + "); refusing FTP bounce (RFC 2577)");
        }
        if (target.getPort() < 1024) {
            throw new FtpReplyException(ReplyCode.PARAMETER_NOT_IMPLEMENTED, "Ports below 1024 are refused for data connections (RFC 2577)");
        }
        s.state().setDataChannel(new ActiveDataChannel(target, s.localAddress()));
    }

    static void pasv(FtpSession s, String argument) throws FtpReplyException, IOException {
        if (s.state().epsvAll()) {
            throw new FtpReplyException(ReplyCode.BAD_SEQUENCE, "EPSV ALL is in effect: only EPSV may be used");
        }
        InetAddress local = s.localAddress();
        InetAddress announced = s.context().config().passiveAddress() != null ? s.context().config().passiveAddress() : local;
        if (!(announced instanceof Inet4Address)) {
            throw new FtpReplyException(ReplyCode.CANT_OPEN_DATA, "PASV is for IPv4; use EPSV on an IPv6 connection");
        }
        PassiveDataChannel channel = listen(s, local);
        s.state().setDataChannel(channel);
        s.replyPreparingData(ReplyCode.ENTERING_PASSIVE, "Entering Passive Mode (" + HostPort.formatSixNumbers(announced, channel.port()) + ")");
    }

    static void epsv(FtpSession s, String argument) throws FtpReplyException, IOException {
        String arg = argument.trim().toUpperCase(Locale.ROOT);
        if (arg.equals("ALL")) {
            s.state().setEpsvAll();
            s.reply(ReplyCode.OK, "EPSV ALL ok");
            return;
        }
        InetAddress local = s.localAddress();
        if (!arg.isEmpty()) {
            boolean v6 = local instanceof Inet6Address;
            if (!(arg.equals("1") && !v6) && !(arg.equals("2") && v6)) {
                throw new FtpReplyException(ReplyCode.NETWORK_PROTOCOL_NOT_SUPPORTED,
                        "Network protocol not supported, use (" + (v6 ? "2" : "1") + ")");
            }
        }
        PassiveDataChannel channel = listen(s, local);
        s.state().setDataChannel(channel);
        s.replyPreparingData(ReplyCode.ENTERING_EXTENDED_PASSIVE, "Entering Extended Passive Mode (|||" + channel.port() + "|)");
    }

    private static PassiveDataChannel listen(FtpSession s, InetAddress local) throws FtpReplyException {
        s.state().closeDataChannel();
        try {
            return PassiveDataChannel.listen(local, s.context().config().passivePorts(), s.clientAddress(), s.context().passiveListeners());
        } catch (IOException e) {
            throw new FtpReplyException(ReplyCode.CANT_OPEN_DATA, "Can't open passive connection: " + e.getMessage());
        }
    }

    static void type(FtpSession s, String argument) throws FtpReplyException, IOException {
        String[] words = argument.trim().toUpperCase(Locale.ROOT).split("\\s+");
        switch (words[0]) {
            case "A" -> {
                if (words.length > 1 && !words[1].equals("N")) {
                    throw new FtpReplyException(ReplyCode.PARAMETER_NOT_IMPLEMENTED, "Only non-print format is supported for TYPE A");
                }
                s.state().setAscii(true);
                s.reply(ReplyCode.OK, "Switching to ASCII mode");
            }
            case "I" -> {
                s.state().setAscii(false);
                s.reply(ReplyCode.OK, "Switching to Binary mode");
            }
            case "L", "L8" -> {
                if (!(words[0].equals("L8") || (words.length > 1 && words[1].equals("8")))) {
                    throw new FtpReplyException(ReplyCode.PARAMETER_NOT_IMPLEMENTED, "Only byte size 8 is supported for TYPE L");
                }
                s.state().setAscii(false);
                s.reply(ReplyCode.OK, "Switching to Binary mode");
            }
            case "E" -> throw new FtpReplyException(ReplyCode.PARAMETER_NOT_IMPLEMENTED, "EBCDIC is not supported");
            default -> throw new FtpReplyException(ReplyCode.BAD_ARGUMENTS, "Unknown TYPE: " + argument);
        }
    }

    static void mode(FtpSession s, String argument) throws FtpReplyException, IOException {
        if (!argument.trim().equalsIgnoreCase("S")) {
            throw new FtpReplyException(ReplyCode.PARAMETER_NOT_IMPLEMENTED, "Only MODE S (stream) is supported");
        }
        s.reply(ReplyCode.OK, "Mode set to S");
    }

    static void stru(FtpSession s, String argument) throws FtpReplyException, IOException {
        if (!argument.trim().equalsIgnoreCase("F")) {
            throw new FtpReplyException(ReplyCode.PARAMETER_NOT_IMPLEMENTED, "Only STRU F (file) is supported");
        }
        s.reply(ReplyCode.OK, "Structure set to F");
    }

    static boolean sameHost(InetAddress a, InetAddress b) {
        return a.equals(b) || Arrays.equals(unmapped(a), unmapped(b));
    }

    private static byte[] unmapped(InetAddress a) {
        byte[] bytes = a.getAddress();
        if (bytes.length == 16 && Arrays.equals(Arrays.copyOf(bytes, 12), new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff})) {
            return Arrays.copyOfRange(bytes, 12, 16);
        }
        return bytes;
    }
}
