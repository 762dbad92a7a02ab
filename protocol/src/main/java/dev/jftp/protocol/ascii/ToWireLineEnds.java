package dev.jftp.protocol.ascii;

import java.nio.ByteBuffer;

/**
 * Local text to the wire form of TYPE A (RFC 959 section 3.1.1.1): a LF that no CR precedes goes
 * out as CRLF; a CRLF already in the file stays as it is. Streaming: whether the last byte of one
 * buffer was a CR counts for a LF at the start of the next. One per transfer; not thread-safe.
 *
 * <p>Runs without a LF move with one bulk copy each (text lines are tens of bytes), so the per-byte
 * work is a scan for LF only.
 */
public final class ToWireLineEnds {
    private boolean afterCr;

    /**
     * Moves bytes from {@code local} (between its position and limit) into {@code wire}, converting,
     * until {@code local} is empty or {@code wire} has fewer than two bytes of room. Both positions
     * advance past what was moved.
     */
    public void convert(ByteBuffer local, ByteBuffer wire) {
        int in = local.position();
        int inEnd = local.limit();
        int out = wire.position();
        int outEnd = wire.limit();
        boolean cr = afterCr;
        while (in < inEnd && outEnd - out >= 2) {
            // Copy at most room - 1 plain bytes, so that a LF found within them still fits as CRLF.
            int scanEnd = Math.min(inEnd, in + (outEnd - out) - 1);
            int lf = in;
            while (lf < scanEnd && local.get(lf) != '\n') {
                lf++;
            }
            int run = lf - in;
            if (run > 0) {
                wire.put(out, local, in, run);
                out += run;
                cr = local.get(lf - 1) == '\r';
                in = lf;
            }
            if (lf < scanEnd) {
                if (!cr) {
                    wire.put(out++, (byte) '\r');
                }
                wire.put(out++, (byte) '\n');
                cr = false;
                in++;
            }
        }
        afterCr = cr;
        local.position(in);
        wire.position(out);
    }
}
