package dev.gpuproxy.cli.admin;

import dev.gpuproxy.cli.common.http.ApiClient;
import dev.gpuproxy.cli.common.identity.UserView;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Creates a user account. The password may be given as an argument, but "-" or leaving it out reads it from the
 * terminal or standard input, which keeps it out of the shell history and the process list.
 */
@Command(name = "create-user",
        customSynopsis = "gpuproxy-admin create-user [OPTIONS] <email> [<password>|-] <name>",
        description = {
            "Create a user.",
            "",
            "Give the password as '-' or leave it out to type it at a prompt or pipe it on standard input; "
                    + "that keeps it out of the shell history and the process list."
        },
        footer = {
            "  # prompts for the password",
            "  gpuproxy-admin create-user alice@example.com \"Alice Smith\"",
            "",
            "  # password from a file, and an admin account",
            "  gpuproxy-admin create-user ops@example.com - \"Ops\" --role admin < ops-password.txt",
            "",
            "  # password on the command line (visible in shell history)",
            "  gpuproxy-admin create-user bob@example.com 's3cret-Pass' Bob"
        })
public final class CreateUserCommand extends AdminApiCommand {

    @Parameters(paramLabel = "<email> [<password>|-] <name>", arity = "2..3", hideParamSyntax = true,
            description = "The user's email, optionally the password ('-' reads it from stdin or a prompt), "
                    + "and the display name (quote it when it has spaces).")
    List<String> arguments;

    @Option(names = "--role", paramLabel = "user|admin", description = "The user's role (default: user).")
    String role;

    @Override
    protected void execute() {
        String email = arguments.get(0);
        String name = arguments.get(arguments.size() - 1);
        String password = arguments.size() == 3 && !arguments.get(1).equals("-") ? arguments.get(1) : null;
        requireEmail(email);
        if (name.isBlank()) {
            throw usageError("the name must not be blank");
        }
        String normalizedRole = role == null ? null : role.trim().toLowerCase(Locale.ROOT);
        if (normalizedRole != null && !List.of("user", "admin").contains(normalizedRole)) {
            throw usageError("--role must be user or admin (got '" + role + "')");
        }
        ApiClient api = api();
        if (password == null) {
            password = readSecret("Password for " + email + ": ", "password");
        }
        UserView.print(output(), userOf(api.post(USERS,
                ApiClient.body("email", email, "password", password, "name", name, "role", normalizedRole))));
    }
}
