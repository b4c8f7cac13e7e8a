import dev.fileshare.discovery.FoundService;
import dev.fileshare.discovery.ScanRequest;
import dev.fileshare.discovery.ServiceScanner;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Times one discovery scan with the jar's own {@link ServiceScanner}: from the call to {@code
 * scan} to the first and to the last reply (System.nanoTime at each onFound callback).
 *
 * <p>Usage: {@code DiscoveryTimer PORT TIMEOUT_MS TARGET...}
 *
 * <p>Scans twice in the same JVM: first as a fresh {@code scan} command would (classes not yet
 * loaded), then again with everything loaded, which leaves the network and the servers' answer
 * time. Prints {@code COLD found=N first_ms=X last_ms=Y} and {@code WARM ...}, each followed by
 * one line per service. A scan always lasts its whole timeout; only the reply times matter.
 */
public final class DiscoveryTimer {
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    Duration timeout = Duration.ofMillis(Long.parseLong(args[1]));
    List<InetAddress> targets = new ArrayList<>();
    for (int i = 2; i < args.length; i++) {
      targets.add(InetAddress.getByName(args[i]));
    }
    ScanRequest request =
        ScanRequest.defaults().withPort(port).withTargets(targets).withTimeout(timeout);
    scan("COLD", request);
    scan("WARM", request);
  }

  private static void scan(String tag, ScanRequest request) {
    List<Long> arrivals = new ArrayList<>();
    ServiceScanner scanner = new ServiceScanner();
    long start = System.nanoTime();
    List<FoundService> found = scanner.scan(request, service -> arrivals.add(System.nanoTime()));
    double first = arrivals.isEmpty() ? -1 : (arrivals.get(0) - start) / 1e6;
    double last = arrivals.isEmpty() ? -1 : (arrivals.get(arrivals.size() - 1) - start) / 1e6;
    System.out.printf(
        "%s found=%d first_ms=%.3f last_ms=%.3f%n", tag, found.size(), first, last);
    for (FoundService s : found) {
      System.out.println("  " + s.hostPort() + " " + s.name() + " after " + s.elapsed());
    }
  }
}
