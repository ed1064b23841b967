package io.fluxguard;

import com.github.benmanes.caffeine.cache.Ticker;
import io.fluxguard.config.ConfigException;
import io.fluxguard.config.ConfigLoader;
import io.fluxguard.config.FluxguardConfig;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/** Reads the command line and configuration, starts fluxguard, and stops it on SIGTERM. */
public final class Main {
  static final int EXIT_OK = 0;
  static final int EXIT_FAILURE = 1;
  static final int EXIT_USAGE = 2;

  private Main() {}

  public static void main(String[] args) {
    int status = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    if (status != EXIT_OK) {
      System.exit(status);
    }
    // On success the non-daemon event-loop threads keep the JVM alive until SIGTERM.
  }

  static int run(String[] args, PrintWriter out, PrintWriter err) {
    // dnsjava's own shutdown hook would close its sockets while ours is still draining queries.
    System.setProperty("dnsjava.nio.register_shutdown_hook", "false");
    CommandLineOptions options = new CommandLineOptions();
    CommandLine cli = new CommandLine(options).setOut(out).setErr(err);
    CommandLine.ParseResult parsed;
    try {
      parsed = cli.parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      err.println("fluxguard: " + e.getMessage());
      err.println("Try 'fluxguard --help'.");
      return EXIT_USAGE;
    }
    if (parsed.hasSubcommand()) {
      // Subcommands (evaluate) are tools, not the server: picocli runs them.
      CommandLine sub = parsed.subcommand().commandSpec().commandLine();
      sub.setOut(out).setErr(err);
      if (sub.isUsageHelpRequested()) {
        sub.usage(out);
        return EXIT_OK;
      }
      try {
        return ((java.util.concurrent.Callable<Integer>) sub.getCommand()).call();
      } catch (Exception e) {
        err.println("fluxguard: " + e.getMessage());
        return EXIT_FAILURE;
      }
    }
    if (cli.isUsageHelpRequested()) {
      cli.usage(out);
      return EXIT_OK;
    }
    if (cli.isVersionHelpRequested()) {
      cli.printVersionHelp(out);
      return EXIT_OK;
    }
    ConfigLoader loader = new ConfigLoader(System.getenv(), Path.of("/etc/resolv.conf"));
    FluxguardConfig config;
    try {
      config = loader.load(options.config, options.overrides());
    } catch (ConfigException e) {
      err.println("fluxguard: configuration has " + e.errors().size() + " error(s):");
      e.errors().forEach(line -> err.println("  " + line));
      return EXIT_USAGE;
    }
    if (options.checkConfig) {
      loader.notes().forEach(n -> out.println("note: " + n));
      out.println("configuration OK: " + config.describe());
      return EXIT_OK;
    }
    Logger log = LoggerFactory.getLogger(Main.class);
    log.info("event=starting version={}", CommandLineOptions.version());
    loader.notes().forEach(n -> log.info("event=config-note note=\"{}\"", n));
    try {
      Files.createDirectories(config.dataDir());
      Fluxguard fluxguard = Fluxguard.start(config, meterRegistry(), Ticker.systemTicker());
      Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(fluxguard, log), "fluxguard-shutdown"));
      reloadListsOnHangup(fluxguard, log);
      return EXIT_OK;
    } catch (Exception e) {
      log.error("event=start-failed error=\"{}\"", e.toString());
      stopLogging();
      return EXIT_FAILURE;
    }
  }

  /** Prometheus exposition (GET /metrics), with the JVM's and the process's own meters. */
  public static io.micrometer.prometheusmetrics.PrometheusMeterRegistry meterRegistry() {
    var registry = new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
    new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.jvm.JvmGcMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.system.ProcessorMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.system.UptimeMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.system.FileDescriptorMetrics().bindTo(registry);
    return registry;
  }

  /** SIGHUP reads the list files again, as Unbound, NSD and BIND reload on it. */
  private static void reloadListsOnHangup(Fluxguard fluxguard, Logger log) {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> {
        log.info("event=reloading-lists signal=HUP");
        fluxguard.blocking().reloadLists();
      });
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      log.warn("event=no-sighup reason=\"{}\" (lists still reload when their files change)", e.getMessage());
    }
  }

  private static void stop(Fluxguard fluxguard, Logger log) {
    log.info("event=stopping signal=shutdown");
    try {
      fluxguard.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      stopLogging();
    }
  }

  /** Flushes asynchronous appenders before the JVM exits. */
  private static void stopLogging() {
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (factory instanceof ch.qos.logback.classic.LoggerContext context) {
      context.stop();
    }
  }
}
