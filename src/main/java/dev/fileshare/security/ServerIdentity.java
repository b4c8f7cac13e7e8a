package dev.fileshare.security;

import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileshareException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;

/**
 * The server's TLS key and self-signed certificate, kept in its state directory (never the shared
 * one). Made on the first start, then loaded: clients pin the certificate's fingerprint, so it must
 * outlive restarts. A damaged, partial or mismatched pair is an error and is never replaced
 * silently, since a new key would look to every client like an impostor.
 *
 * <p>Loading uses the JDK alone; BouncyCastle is loaded only to make a certificate.
 */
public final class ServerIdentity {
  static final String KEY_FILE = "server-key.pem";
  static final String CERTIFICATE_FILE = "server-cert.pem";
  static final String LOCK_FILE = "identity.lock";

  /** Bounds what a misplaced file can make us read; a PEM key or certificate is a few KiB. */
  private static final long MAX_PEM_BYTES = 1 << 20;

  private static final String REMEDY =
      "; move it away to make a new identity (clients will then see a changed fingerprint)";

  private final PrivateKey privateKey;
  private final X509Certificate certificate;
  private final String fingerprint;
  private final boolean created;
  private final Path directory;

  private ServerIdentity(
      PrivateKey privateKey, X509Certificate certificate, boolean created, Path directory) {
    this.privateKey = privateKey;
    this.certificate = certificate;
    this.fingerprint = Fingerprints.of(certificate);
    this.created = created;
    this.directory = directory;
  }

  /**
   * Loads the key and certificate from {@code stateDir}, or makes them there on first use: the
   * directory private to the user (0700) and the key file too (0600), where POSIX.
   *
   * @param commonName the certificate's CN when one is made, e.g. the service name
   * @throws FileshareException {@link ErrorCode#LOCAL_STATE} if the directory is unusable or holds
   *     a damaged, partial or mismatched pair
   */
  public static ServerIdentity loadOrCreate(Path stateDir, String commonName) {
    Path dir = stateDir.toAbsolutePath();
    Path keyFile = dir.resolve(KEY_FILE);
    Path certificateFile = dir.resolve(CERTIFICATE_FILE);
    // Every start but the first. The certificate is written after its key, so with both present
    // the pair is complete: no lock is needed, nor a writable directory.
    if (Files.exists(certificateFile) && Files.exists(keyFile)) {
      return load(dir, keyFile, certificateFile);
    }
    try {
      LocalFiles.createPrivateDirectories(dir);
    } catch (IOException e) {
      throw unusableDirectory("cannot create state directory ", dir, e);
    }
    try {
      // Servers starting together on a fresh directory must end up with one identity, not several.
      return LocalFiles.underLock(
          dir.resolve(LOCK_FILE),
          () -> {
            boolean hasKey = Files.exists(keyFile);
            boolean hasCertificate = Files.exists(certificateFile);
            if (hasKey && hasCertificate) {
              return load(dir, keyFile, certificateFile);
            }
            if (hasKey || hasCertificate) {
              Path missing = hasKey ? certificateFile : keyFile;
              throw damaged(hasKey ? keyFile : certificateFile, missing + " is missing");
            }
            return create(dir, keyFile, certificateFile, commonName);
          });
    } catch (IOException e) {
      throw unusableDirectory("cannot write to state directory ", dir, e);
    }
  }

  public PrivateKey privateKey() {
    return privateKey;
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** The certificate's SHA-256 fingerprint, as {@link Fingerprints#of} gives it. */
  public String fingerprint() {
    return fingerprint;
  }

  /** Whether this call made the key and certificate, i.e. this is the first start here. */
  public boolean created() {
    return created;
  }

  /** The state directory, absolute. */
  public Path directory() {
    return directory;
  }

  private static ServerIdentity create(
      Path dir, Path keyFile, Path certificateFile, String commonName) throws IOException {
    KeyPair pair;
    X509Certificate certificate;
    byte[] encoded;
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      pair = generator.generateKeyPair();
      certificate = SelfSignedCertificates.issue(pair, commonName, Instant.now());
      encoded = certificate.getEncoded();
    } catch (GeneralSecurityException e) {
      throw new FileshareException(
          ErrorCode.INTERNAL_ERROR, "cannot make a TLS key and certificate: " + e.getMessage(), e);
    }
    // The key first: loadOrCreate relies on a certificate never being on disk without its key.
    LocalFiles.writeAtomically(
        keyFile, Pem.encode("PRIVATE KEY", pair.getPrivate().getEncoded()), "rw-------");
    try {
      LocalFiles.writeAtomically(certificateFile, Pem.encode("CERTIFICATE", encoded), "rw-r--r--");
    } catch (IOException e) {
      // No client has seen this key; left alone it would only block the next start.
      try {
        Files.deleteIfExists(keyFile);
      } catch (IOException again) {
        e.addSuppressed(again);
      }
      throw e;
    }
    return new ServerIdentity(pair.getPrivate(), certificate, true, dir);
  }

  private static ServerIdentity load(Path dir, Path keyFile, Path certificateFile) {
    X509Certificate certificate = readCertificate(certificateFile);
    PublicKey publicKey = certificate.getPublicKey();
    PrivateKey key = readKey(keyFile, publicKey.getAlgorithm());
    if (!belongTogether(key, publicKey)) {
      throw damaged(keyFile, "this key does not belong to the certificate " + certificateFile);
    }
    return new ServerIdentity(key, certificate, false, dir);
  }

  private static X509Certificate readCertificate(Path file) {
    byte[] der = readPem(file, "CERTIFICATE");
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException | ClassCastException e) {
      throw damaged(file, "not a valid X.509 certificate");
    }
  }

  private static PrivateKey readKey(Path file, String algorithm) {
    byte[] der = readPem(file, "PRIVATE KEY");
    KeyFactory factory;
    try {
      factory = KeyFactory.getInstance(algorithm);
    } catch (GeneralSecurityException e) {
      throw damaged(file, "the certificate's key type " + algorithm + " is not supported");
    }
    try {
      return factory.generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw damaged(file, "not a valid unencrypted PKCS#8 " + algorithm + " private key");
    }
  }

  private static byte[] readPem(Path file, String type) {
    String text;
    try {
      if (Files.size(file) > MAX_PEM_BYTES) {
        throw damaged(file, "too large to be a PEM file");
      }
      // Latin-1 maps every byte to a character: stray bytes fail the PEM parse, not the decoding.
      text = Files.readString(file, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw damaged(file, "cannot read it: " + LocalFiles.reason(e, file));
    }
    try {
      return Pem.decode(text, type);
    } catch (IllegalArgumentException e) {
      throw damaged(file, e.getMessage());
    }
  }

  /** Signs a probe with the key and checks it with the certificate's public key. */
  private static boolean belongTogether(PrivateKey key, PublicKey publicKey) {
    String algorithm =
        switch (publicKey.getAlgorithm()) {
          case "EC" -> "SHA256withECDSA";
          case "RSA" -> "SHA256withRSA";
          default -> publicKey.getAlgorithm(); // EdDSA, Ed25519 and Ed448 name their signatures
        };
    try {
      byte[] probe =
          "fileshare: does this key belong to this certificate?".getBytes(StandardCharsets.UTF_8);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static FileshareException damaged(Path file, String problem) {
    return new FileshareException(ErrorCode.LOCAL_STATE, file + ": " + problem + REMEDY);
  }

  private static FileshareException unusableDirectory(String what, Path dir, IOException e) {
    return new FileshareException(
        ErrorCode.LOCAL_STATE,
        what + dir + ": " + LocalFiles.reason(e, dir) + "; choose another with --state-dir",
        e);
  }
}
