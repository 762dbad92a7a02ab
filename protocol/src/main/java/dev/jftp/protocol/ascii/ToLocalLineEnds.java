package dev.jftp.protocol.ascii;

import java.nio.ByteBuffer;

/**
 * The wire form of TYPE A to local text (RFC 959 section 3.1.1.1): CRLF becomes LF; a CR or a LF
 * alone stays as it is. Streaming: a CR at the very end of one buffer is held back until the next
 * shows whether a LF follows it, and {@link #finish} writes it when the data ends there. One per
 * transfer; not thread-safe.
 *
 * <p>Runs without a CR move with one bulk copy each, so the per-byte work is a scan for CR only.
 */
public final class ToLocalLineEnds {
    private boolean heldCr;

    /**
     * Moves bytes from {@code wire} (between its position and limit) into {@code local},
     * converting, until {@code wire} is empty or {@code local} is full. Both positions advance past
     * what was moved. The output is never longer than the input, so a {@code local} buffer as large
     * as {@code wire}, cleared before each call, always takes all of it.
     */
    public void convert(ByteBuffer wire, ByteBuffer local) {
        int in = wire.position();
        int inEnd = wire.limit();
        int out = local.position();
        int outEnd = local.limit();
        if (heldCr && in < inEnd) {
            if (wire.get(in) != '\n') {
                if (out == outEnd) {
                    return;
                }
                local.put(out++, (byte) '\r'); // a CR alone: data
            }
            heldCr = false; // else the CR of a CRLF split between two reads: the LF is copied below
        }
        while (in < inEnd && out < outEnd) {
            int scanEnd = Math.min(inEnd, in + (outEnd - out));
            int cr = in;
            while (cr < scanEnd && wire.get(cr) != '\r') {
                cr++;
            }
            int run = cr - in;
            if (run > 0) {
                local.put(out, wire, in, run);
                out += run;
                in = cr;
            }
            if (cr < scanEnd) {
                if (cr + 1 == inEnd) {
                    heldCr = true; // its LF may come with the next read
                    in++;
                } else if (wire.get(cr + 1) == '\n') {
                    in++; // drop the CR of a CRLF
                } else {
                    local.put(out++, (byte) '\r');
                    in++;
                }
            }
        }
        wire.position(in);
        local.position(out);
    }

    /**
     * At the end of the data: a CR held back was not followed by a LF, so it is data; puts it into
     * {@code local}, which must have a byte of room then.
     */
    public void finish(ByteBuffer local) {
        if (heldCr) {
            local.put((byte) '\r');
            heldCr = false;
        }
    }

    /** Whether a CR is held back, waiting for the next buffer (then {@link #finish} has one byte to write). */
    public boolean holdsCr() {
        return heldCr;
    }
}
