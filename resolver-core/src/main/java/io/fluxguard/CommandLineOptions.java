package io.fluxguard;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;

/** The command line; values given here override the configuration file and the environment. */
@Command(
    name = "fluxguard",
    mixinStandardHelpOptions = true,
    versionProvider = CommandLineOptions.Version.class,
    sortOptions = false,
    subcommands = EvaluateCommand.class,
    description = "Protective DNS resolver with inline fast-flux blocking.",
    footer = {
      "",
      "Environment variables override single keys of the file: FLUXGUARD_ and the key in upper",
      "case with dots and dashes as underscores, e.g. FLUXGUARD_CACHE_MAX_TTL=0.",
      "Exit status: 0 ok, 1 runtime failure, 2 bad command line or configuration."
    })
final class CommandLineOptions {
  @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file (default: built-in defaults, see config/fluxguard.yml)")
  Path config;

  @Option(names = "--listen", paramLabel = "HOST:PORT", description = "Address to serve DNS on, UDP and TCP; repeatable (default 127.0.0.1:5353 and [::1]:5353)")
  List<String> listen = new ArrayList<>();

  @Option(names = "--upstream", paramLabel = "HOST:PORT", description = "Upstream resolver, in order of preference; repeatable (default: /etc/resolv.conf)")
  List<String> upstream = new ArrayList<>();

  @Option(names = "--admin-listen", paramLabel = "HOST:PORT", description = "Address of the admin REST port (default 127.0.0.1:8053)")
  String adminListen;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Directory for persistent state (default ./data)")
  String dataDir;

  @Option(names = "--check-config", description = "Validate the configuration, print it, and exit")
  boolean checkConfig;

  /** The command-line values as configuration keys. */
  Map<String, List<String>> overrides() {
    Map<String, List<String>> o = new HashMap<>();
    o.put("server.listen", listen);
    o.put("upstream.servers", upstream);
    if (adminListen != null) {
      o.put("admin.listen", List.of(adminListen));
    }
    if (dataDir != null) {
      o.put("data-dir", List.of(dataDir));
    }
    return o;
  }

  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"fluxguard " + version()};
    }
  }

  static String version() {
    Properties p = new Properties();
    try (InputStream in = CommandLineOptions.class.getResourceAsStream("/fluxguard-version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      return "unknown";
    }
    return p.getProperty("version", "unknown");
  }
}
