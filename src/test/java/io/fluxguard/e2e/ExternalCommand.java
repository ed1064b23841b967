package io.fluxguard.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a program (dig, the fluxguard jar) and captures its output, bounded in time. */
final class ExternalCommand {
  record Result(int exitCode, String stdout, String stderr) {}

  private ExternalCommand() {}

  static Result run(long timeoutSeconds, String... command) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder(command).start();
    } catch (IOException e) {
      throw new IOException(
          "cannot run " + command[0] + " (install it: apt-get install bind9-dnsutils; .ci/run does): " + e.getMessage(), e);
    }
    p.getOutputStream().close();
    var out = p.getInputStream();
    var err = p.getErrorStream();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
    }
    return new Result(
        p.exitValue(), new String(out.readAllBytes(), StandardCharsets.UTF_8), new String(err.readAllBytes(), StandardCharsets.UTF_8));
  }

  static List<String> dig(TestServer server, String... args) {
    List<String> cmd = new ArrayList<>(List.of("dig", "@127.0.0.1", "-p", String.valueOf(server.address.getPort()), "+time=3", "+tries=1"));
    cmd.addAll(List.of(args));
    return cmd;
  }
}
