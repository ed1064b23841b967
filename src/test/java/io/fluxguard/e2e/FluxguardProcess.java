package io.fluxguard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The runnable jar started as a separate process, its log read line by line. */
final class FluxguardProcess implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("event=listening address=/127\\.0\\.0\\.1:(\\d+)");

  final Process process;
  final InetSocketAddress address;
  private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> seen = new ArrayList<>();

  static String jar() {
    String jar = System.getProperty("fluxguard.jar");
    assertThat(Path.of(jar)).as("the runnable jar (built by 'mvn verify' before this module's tests)").exists();
    return jar;
  }

  /** Starts {@code java -jar fluxguard.jar --listen 127.0.0.1:0 --admin-listen 127.0.0.1:0 args...}, waits until it listens. */
  FluxguardProcess(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar(), "--listen", "127.0.0.1:0", "--admin-listen", "127.0.0.1:0"));
    cmd.addAll(List.of(args));
    process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          lines.add(line);
        }
      } catch (IOException e) {
        // the process ended
      }
    });
    reader.setDaemon(true);
    reader.start();
    String listening = await(l -> LISTENING.matcher(l).find(), 30);
    if (listening == null) {
      close(); // not left running behind a failed test
    }
    assertThat(listening).as("a listening line in:\n" + String.join("\n", seen)).isNotNull();
    Matcher m = LISTENING.matcher(listening);
    assertThat(m.find()).isTrue();
    address = new InetSocketAddress("127.0.0.1", Integer.parseInt(m.group(1)));
  }

  /** The first new log line matching {@code wanted}, or null after {@code seconds}. */
  String await(Predicate<String> wanted, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      String line = lines.poll(100, TimeUnit.MILLISECONDS);
      if (line != null) {
        seen.add(line);
        if (wanted.test(line)) {
          return line;
        }
      }
    }
    return null;
  }

  /** Every log line read so far (those {@link #await} went past, and any waiting). */
  List<String> log() {
    lines.drainTo(seen);
    return seen;
  }

  /** SIGKILL: no shutdown hook, no flush, nothing. */
  void kill9() throws InterruptedException {
    process.destroyForcibly();
    assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
