package dev.jftp.server.ftp.session;

/**
 * One row of the command table.
 *
 * @param verb     the command verb
 * @param handler  what carries it out
 * @param login    whether it needs a logged-in user (else 530)
 * @param argument whether it needs an argument (else 501)
 * @param help     syntax shown by HELP verb
 */
public record CommandSpec(String verb, CommandHandler handler, boolean login, boolean argument, String help) {
}
