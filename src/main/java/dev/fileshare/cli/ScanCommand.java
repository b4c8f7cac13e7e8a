package dev.fileshare.cli;

import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileshareException;
import dev.fileshare.discovery.FoundService;
import dev.fileshare.discovery.ScanRequest;
import dev.fileshare.discovery.ServiceScanner;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "scan",
    mixinStandardHelpOptions = true,
    description = {
      "Find fileshare servers on the local network.",
      "Broadcasts SERVICE DISCOVERY a few times and lists every server that answers before the"
          + " timeout, once each, as 'NAME found at ADDRESS:PORT'."
    })
final class ScanCommand implements Callable<Integer> {
  @ParentCommand FileshareCommand parent;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "30000",
      description = "UDP discovery port of the servers (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "1",
      description = "How long to wait for answers (default: ${DEFAULT-VALUE}).")
  double timeoutSeconds;

  @Option(
      names = "--target",
      paramLabel = "ADDR",
      description =
          "Probe this address instead of broadcasting (repeatable), e.g. a host beyond a router.")
  List<InetAddress> targets = new ArrayList<>();

  @Override
  public Integer call() {
    return scan(parent.output(), port, timeoutSeconds, targets, new ArrayList<>())
        ? 0
        : Main.EXIT_FAILURE;
  }

  /**
   * Shared with the console's scan: prints each service as it answers and adds its address to
   * {@code found}.
   */
  static boolean scan(
      Output out, int port, double timeoutSeconds, List<InetAddress> targets, List<String> found) {
    if (!(timeoutSeconds > 0 && timeoutSeconds <= 3600)) {
      throw new FileshareException(ErrorCode.USAGE, "--timeout must be between 0 and 3600 seconds");
    }
    ScanRequest request =
        ScanRequest.defaults()
            .withPort(port)
            .withTimeout(Duration.ofMillis(Math.round(timeoutSeconds * 1000)))
            .withTargets(targets);
    List<FoundService> services =
        new ServiceScanner()
            .scan(
                request,
                s -> {
                  out.println(describe(s));
                  found.add(s.hostPort());
                });
    if (services.isEmpty()) {
      throw new FileshareException(ErrorCode.NO_SERVICE_FOUND, "No service found");
    }
    return true;
  }

  static String describe(FoundService s) {
    return s.name() + " found at " + s.hostPort() + (s.isOriginal() ? " (original protocol)" : "");
  }
}
