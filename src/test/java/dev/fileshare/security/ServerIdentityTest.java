package dev.fileshare.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileshareException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerIdentityTest {
  @TempDir Path root;

  @Test
  void madeOnceThenLoadedWithTheSameFingerprint() {
    Path dir = root.resolve("state").resolve("fileshare");
    ServerIdentity first = ServerIdentity.loadOrCreate(dir, "fileshare on alpha");
    ServerIdentity second = ServerIdentity.loadOrCreate(dir, "another name");
    assertThat(first.created()).isTrue();
    assertThat(second.created()).isFalse();
    assertThat(second.fingerprint()).isEqualTo(first.fingerprint()).hasSize(64);
    assertThat(second.fingerprint()).isEqualTo(Fingerprints.of(second.certificate()));
    assertThat(second.privateKey().getEncoded()).isEqualTo(first.privateKey().getEncoded());
    assertThat(second.directory()).isEqualTo(dir);
  }

  @Test
  void theKeyAndItsDirectoryArePrivateToTheirOwner() throws Exception {
    assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
    Path dir = root.resolve("state").resolve("fileshare");
    ServerIdentity.loadOrCreate(dir, "x");
    assertThat(Files.getPosixFilePermissions(dir))
        .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    assertThat(Files.getPosixFilePermissions(dir.resolve(ServerIdentity.KEY_FILE)))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
  }

  @Test
  void theCertificateIsSelfSignedValidNowAndNamesTheServer() throws Exception {
    X509Certificate certificate =
        ServerIdentity.loadOrCreate(root, "fileshare on alpha").certificate();
    certificate.checkValidity();
    certificate.verify(certificate.getPublicKey());
    assertThat(certificate.getSubjectX500Principal())
        .isEqualTo(certificate.getIssuerX500Principal());
    assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=fileshare on alpha");
    assertThat(certificate.getVersion()).isEqualTo(3);
    assertThat(certificate.getSigAlgName()).isEqualTo("SHA256withECDSA");
    assertThat(certificate.getSerialNumber()).isPositive();
    assertThat(certificate.getBasicConstraints()).isEqualTo(-1);
    assertThat(certificate.getKeyUsage()[0]).as("digitalSignature").isTrue();
    assertThat(certificate.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
    assertThat(certificate.getNotAfter().toInstant())
        .isAfter(Instant.now().plusSeconds(99L * 365 * 86_400));
  }

  @Test
  void anUnusableNameFallsBackAndALongOneIsShortened() throws Exception {
    assertThat(SelfSignedCertificates.commonName("  a\nb ")).isEqualTo("fileshare");
    assertThat(SelfSignedCertificates.commonName(" ")).isEqualTo("fileshare");
    assertThat(SelfSignedCertificates.commonName(null)).isEqualTo("fileshare");
    assertThat(SelfSignedCertificates.commonName("bad \uD800 surrogate")).isEqualTo("fileshare");
    assertThat(SelfSignedCertificates.commonName("x".repeat(100))).hasSize(64);
    X509Certificate certificate =
        ServerIdentity.loadOrCreate(root, "#1, \"Ana's\" + files=yes").certificate();
    assertThat(certificate.getSubjectX500Principal().getName()).contains("Ana's");
  }

  @Test
  void theEndOfValidityIsOneX509CanWrite() throws Exception {
    var generator = java.security.KeyPairGenerator.getInstance("EC");
    generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
    X509Certificate late =
        SelfSignedCertificates.issue(
            generator.generateKeyPair(), "late", Instant.parse("9990-01-01T00:00:00Z"));
    assertThat(late.getNotAfter().toInstant()).isEqualTo(SelfSignedCertificates.LATEST);
  }

  @Test
  void aDamagedCertificateIsReportedAndLeftAlone() throws Exception {
    ServerIdentity.loadOrCreate(root, "x");
    Path certificate = root.resolve(ServerIdentity.CERTIFICATE_FILE);
    Files.writeString(
        certificate, "-----BEGIN CERTIFICATE-----\nbroken\n-----END CERTIFICATE-----\n");
    byte[] key = Files.readAllBytes(root.resolve(ServerIdentity.KEY_FILE));
    assertLocalStateError(root, certificate).hasMessageContaining("not a valid X.509 certificate");
    assertThat(Files.readString(certificate)).contains("broken");
    assertThat(root.resolve(ServerIdentity.KEY_FILE)).hasBinaryContent(key);
  }

  @Test
  void anEmptyOrForeignFileIsNamedForWhatItIs() throws Exception {
    ServerIdentity.loadOrCreate(root, "x");
    Path key = root.resolve(ServerIdentity.KEY_FILE);
    Files.writeString(key, "");
    assertLocalStateError(root, key).hasMessageContaining("the file is empty");
    Files.writeString(key, "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n");
    assertLocalStateError(root, key).hasMessageContaining("EC PRIVATE KEY block");
  }

  @Test
  void aKeyFromAnotherIdentityIsRefused(@TempDir Path other) throws Exception {
    ServerIdentity.loadOrCreate(root, "x");
    ServerIdentity.loadOrCreate(other, "y");
    Path key = root.resolve(ServerIdentity.KEY_FILE);
    Path certificate = root.resolve(ServerIdentity.CERTIFICATE_FILE);
    Files.copy(other.resolve(ServerIdentity.KEY_FILE), key, StandardCopyOption.REPLACE_EXISTING);
    byte[] keyBytes = Files.readAllBytes(key);
    byte[] certificateBytes = Files.readAllBytes(certificate);
    assertLocalStateError(root, key).hasMessageContaining("does not belong to the certificate");
    assertThat(key).hasBinaryContent(keyBytes);
    assertThat(certificate).hasBinaryContent(certificateBytes);
  }

  @Test
  void halfAPairIsRefusedNotCompleted() throws Exception {
    ServerIdentity.loadOrCreate(root, "x");
    Path certificate = root.resolve(ServerIdentity.CERTIFICATE_FILE);
    Files.delete(certificate);
    assertLocalStateError(root, root.resolve(ServerIdentity.KEY_FILE))
        .hasMessageContaining(certificate + " is missing");
    assertThat(certificate).doesNotExist();
  }

  @Test
  void aStateDirectoryThatCannotBeMadeIsAClearError() throws Exception {
    Path file = Files.writeString(root.resolve("a file"), "not a directory");
    Path dir = file.resolve("state");
    assertThatThrownBy(() -> ServerIdentity.loadOrCreate(dir, "x"))
        .isInstanceOfSatisfying(
            FileshareException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.LOCAL_STATE))
        .hasMessageStartingWith("cannot create state directory " + dir + ": ")
        .hasMessageEndingWith("; choose another with --state-dir")
        .hasMessageNotContaining("\n");
  }

  @Test
  void anExistingIdentityLoadsFromAReadOnlyDirectory() throws Exception {
    assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
    String fingerprint = ServerIdentity.loadOrCreate(root, "x").fingerprint();
    Files.delete(root.resolve(ServerIdentity.LOCK_FILE));
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("r-x------"));
    try {
      assertThat(ServerIdentity.loadOrCreate(root, "x").fingerprint()).isEqualTo(fingerprint);
    } finally {
      Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
    }
  }

  @Test
  void threadsStartingTogetherShareOneIdentity() throws Exception {
    Path dir = root.resolve("fresh");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      Callable<ServerIdentity> start = () -> ServerIdentity.loadOrCreate(dir, "x");
      List<ServerIdentity> identities = new ArrayList<>();
      for (Future<ServerIdentity> f : pool.invokeAll(List.of(start, start, start, start))) {
        identities.add(f.get());
      }
      assertThat(identities.stream().map(ServerIdentity::fingerprint).distinct()).hasSize(1);
      assertThat(identities).filteredOn(ServerIdentity::created).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void processesStartingTogetherShareOneIdentity() throws Exception {
    Path dir = root.resolve("fresh");
    List<Process> processes = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      processes.add(SecurityProbe.start(List.of(), "identity", dir.toString()));
    }
    Set<String> fingerprints = new java.util.HashSet<>();
    for (Process p : processes) {
      fingerprints.add(SecurityProbe.output(p).strip());
    }
    assertThat(fingerprints)
        .containsExactly("fingerprint=" + ServerIdentity.loadOrCreate(dir, "x").fingerprint());
  }

  @Test
  void loadingAnExistingIdentityLoadsNoBouncyCastle() throws Exception {
    ServerIdentity.loadOrCreate(root, "x");
    String output =
        SecurityProbe.output(
            SecurityProbe.start(List.of("-Xlog:class+load=info"), "identity", root.toString()));
    assertThat(output).contains("fingerprint=").contains("dev.fileshare.security.ServerIdentity");
    List<String> loaded =
        output.lines().filter(l -> l.contains("org.bouncycastle")).collect(Collectors.toList());
    assertThat(loaded).isEmpty();
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> assertLocalStateError(
      Path dir, Path file) {
    return assertThatThrownBy(() -> ServerIdentity.loadOrCreate(dir, "x"))
        .isInstanceOfSatisfying(
            FileshareException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.LOCAL_STATE))
        .hasMessageStartingWith(file + ": ")
        .hasMessageEndingWith(
            "; move it away to make a new identity (clients will then see a changed fingerprint)")
        .hasMessageNotContaining("\n");
  }
}
