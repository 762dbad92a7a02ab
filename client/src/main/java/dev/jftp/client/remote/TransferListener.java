package dev.jftp.client.remote;

/** Told when a transfer's data connection opens, when bytes move, and when it ends. */
public interface TransferListener {
    TransferListener NONE = new TransferListener() {
    };

    default void started(Transfer transfer) {
    }

    default void progressed(Transfer transfer) {
    }

    default void finished(Transfer transfer, boolean ok) {
    }

    /** A listener that tells both. */
    static TransferListener both(TransferListener first, TransferListener second) {
        return new TransferListener() {
            @Override
            public void started(Transfer transfer) {
                first.started(transfer);
                second.started(transfer);
            }

            @Override
            public void progressed(Transfer transfer) {
                first.progressed(transfer);
                second.progressed(transfer);
            }

            @Override
            public void finished(Transfer transfer, boolean ok) {
                first.finished(transfer, ok);
                second.finished(transfer, ok);
            }
        };
    }
}
