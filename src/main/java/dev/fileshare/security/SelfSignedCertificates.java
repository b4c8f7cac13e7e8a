package dev.fileshare.security;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Makes the server's self-signed certificate. The only class here that touches BouncyCastle, and
 * only on a server's first start: kept apart so that loading an existing identity never loads it.
 * BouncyCastle only assembles the certificate; the JDK's own providers sign and parse it, since
 * registering BouncyCastle's provider would need a signed jar.
 */
final class SelfSignedCertificates {
  static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";
  static final String FALLBACK_NAME = "fileshare";

  /** X.509's upper bound for a common name (RFC 5280, ub-common-name). */
  private static final int MAX_NAME_CODE_POINTS = 64;

  /**
   * A hundred years: the certificate is pinned, not checked against a clock, so it should not die.
   */
  private static final Duration LIFETIME = Duration.ofDays(36_525);

  /** The last moment X.509's GeneralizedTime can express. */
  static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

  private static final SecureRandom RANDOM = new SecureRandom();

  private SelfSignedCertificates() {}

  static X509Certificate issue(KeyPair pair, String commonName, Instant now)
      throws GeneralSecurityException {
    X500Name name =
        new X500NameBuilder(BCStyle.INSTANCE)
            .addRDN(BCStyle.CN, new DERUTF8String(commonName(commonName)))
            .build();
    // Back-dated a day so that a client whose clock is behind still sees it as valid.
    Date notBefore = Date.from(now.minus(Duration.ofDays(1)));
    Instant end = now.plus(LIFETIME);
    Date notAfter = Date.from(end.isAfter(LATEST) ? LATEST : end);
    BigInteger serial = new BigInteger(128, RANDOM).max(BigInteger.ONE);
    try {
      JcaX509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              name, serial, notBefore, notAfter, name, pair.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      builder.addExtension(
          Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(
                  new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(pair.getPrivate())));
    } catch (OperatorCreationException | IOException e) {
      // Translated here so that callers' bytecode never names a BouncyCastle class.
      throw new GeneralSecurityException("cannot build the certificate: " + e.getMessage(), e);
    }
  }

  /**
   * The requested name if a certificate can carry it; too long a name is cut to X.509's limit, and
   * one with control characters or broken UTF-16 (which would not encode) is replaced.
   */
  static String commonName(String requested) {
    String name = requested == null ? "" : requested.strip();
    boolean encodable =
        name.codePoints()
            .noneMatch(
                c -> Character.isISOControl(c) || Character.getType(c) == Character.SURROGATE);
    if (name.isEmpty() || !encodable) {
      return FALLBACK_NAME;
    }
    if (name.codePointCount(0, name.length()) > MAX_NAME_CODE_POINTS) {
      name = name.substring(0, name.offsetByCodePoints(0, MAX_NAME_CODE_POINTS)).strip();
    }
    return name;
  }
}
