package dev.jftp.protocol;

/**
 * FTP reply codes used by jftp, named for what they mean (RFC 959 section 4.2, plus RFC 2228,
 * RFC 2428, RFC 3659 and RFC 4217 where noted).
 */
public enum ReplyCode {
    RESTART_MARKER(110),
    SERVICE_READY_SOON(120),
    TRANSFER_STARTING(125),
    OPENING_DATA_CONNECTION(150),
    OK(200),
    SUPERFLUOUS(202),
    SYSTEM_STATUS(211),
    DIRECTORY_STATUS(212),
    FILE_STATUS(213),
    HELP(214),
    SYSTEM_TYPE(215),
    SERVICE_READY(220),
    CLOSING_CONTROL(221),
    DATA_OPEN_NO_TRANSFER(225),
    CLOSING_DATA(226),
    ENTERING_PASSIVE(227),
    ENTERING_EXTENDED_PASSIVE(229),
    LOGGED_IN(230),
    SECURITY_EXCHANGE_OK(234),
    FILE_ACTION_OK(250),
    PATH_CREATED(257),
    NEED_PASSWORD(331),
    NEED_ACCOUNT(332),
    PENDING_FURTHER_INFO(350),
    SERVICE_NOT_AVAILABLE(421),
    CANT_OPEN_DATA(425),
    TRANSFER_ABORTED(426),
    FILE_BUSY(450),
    LOCAL_ERROR(451),
    INSUFFICIENT_STORAGE(452),
    SYNTAX_ERROR(500),
    BAD_ARGUMENTS(501),
    NOT_IMPLEMENTED(502),
    BAD_SEQUENCE(503),
    PARAMETER_NOT_IMPLEMENTED(504),
    /** RFC 4217: protection level not supported / required. */
    PROTECTION_DENIED(521),
    /** RFC 2428: network protocol not supported. */
    NETWORK_PROTOCOL_NOT_SUPPORTED(522),
    NOT_LOGGED_IN(530),
    NEED_ACCOUNT_FOR_STORING(532),
    /** RFC 2228: request denied for policy reasons. */
    POLICY_DENIED(534),
    /** RFC 2228: the PROT level asked for does not exist with this security mechanism. */
    PROT_LEVEL_NOT_SUPPORTED(536),
    FILE_UNAVAILABLE(550),
    PAGE_TYPE_UNKNOWN(551),
    EXCEEDED_STORAGE(552),
    FILE_NAME_NOT_ALLOWED(553),
    /** RFC 3659 section 5.5: the REST offset cannot be used with this file. */
    INVALID_RESTART_POINT(554);

    private final int code;

    ReplyCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public boolean isPositive() {
        return code < 400;
    }

    public static boolean isPositivePreliminary(int code) {
        return code >= 100 && code < 200;
    }

    public static boolean isPositiveCompletion(int code) {
        return code >= 200 && code < 300;
    }

    public static boolean isPositiveIntermediate(int code) {
        return code >= 300 && code < 400;
    }

    @Override
    public String toString() {
        return Integer.toString(code);
    }
}
