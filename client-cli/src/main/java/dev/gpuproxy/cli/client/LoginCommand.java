package dev.gpuproxy.cli.client;

import static dev.gpuproxy.cli.common.http.ApiClient.body;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gpuproxy.cli.common.ApiCommand;
import dev.gpuproxy.cli.common.Secrets;
import dev.gpuproxy.cli.common.http.ApiClient;
import dev.gpuproxy.cli.common.http.Credential;
import dev.gpuproxy.cli.common.http.Json;
import dev.gpuproxy.cli.common.output.Output;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Logs in with email and password, creates an API key for this machine and stores server and key in the config
 * file, so later commands need neither. The password is read from the terminal or standard input, never argv.
 */
@Command(name = "login",
        description = {
            "Log in and store an API key for this server in the config file.",
            "",
            "Logs in with your email and password, creates an API key for this machine and stores it with the "
                    + "server URL. The password is prompted for at a terminal and otherwise read as the first line "
                    + "of standard input."
        },
        footer = {
            "  # prompts for the password",
            "  gpuproxy-client --server https://gpu.example.com login alice@example.com",
            "",
            "  # a script, with the password from a file or a password manager",
            "  gpuproxy-client login alice@example.com < ~/.gpuproxy-password",
            "",
            "  # name the key after the machine, to tell keys apart in 'keys list'",
            "  gpuproxy-client login alice@example.com --key-name \"$(hostname)\""
        })
public final class LoginCommand extends ApiCommand {

    @Parameters(paramLabel = "<email>", description = "Your account's email address.")
    String email;

    @Option(names = "--key-name", paramLabel = "<name>", defaultValue = "gpuproxy-client",
            description = "Name of the API key to create (default: ${DEFAULT-VALUE}).")
    String keyName;

    @Override
    protected void execute() {
        String password = readSecret("Password for " + email + ": ", "password");
        ApiClient anonymous = anonymousApi();
        JsonNode login = anonymous.post("/api/v1/auth/login", body("email", email, "password", password));
        String accessToken = Json.required(login.path("tokens"), "access_token");
        JsonNode key = anonymous.withCredential(Credential.bearer(accessToken))
                .post("/api/v1/auth/apikey", body("name", keyName));
        String apiKey = Json.required(key, "api_key");
        config().saveLogin(anonymous.server().toString(), apiKey);

        JsonNode user = login.path("user");
        Output output = output();
        if (output.isJson()) {
            ObjectNode result = Json.MAPPER.createObjectNode();
            result.put("server", anonymous.server().toString());
            result.set("user", user);
            ObjectNode storedKey = result.putObject("api_key");
            for (String field : new String[] {"id", "name", "prefix", "expires_at", "created_at"}) {
                storedKey.set(field, key.get(field));
            }
            result.put("config_file", config().file().toString());
            output.json(result);
        } else {
            output.line("Logged in to " + anonymous.server() + " as " + Json.text(user, "email") + ".");
            output.line("Stored API key " + Secrets.mask(apiKey) + " (\"" + keyName + "\") in " + config().file()
                    + ".");
        }
    }
}
