package org.reelbox.encoder.pkg;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.CipherOutputStream;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts a whole segment file in place with AES-128-CBC and PKCS7 padding (RFC 8216 §4.3.2.4).
 * Kept this small on purpose: the media module's AES-128 helper replaces it when it lands.
 */
final class SegmentCipher {
  static final int KEY_BYTES = 16;

  private SegmentCipher() {}

  static void encryptInPlace(Path file, byte[] key, byte[] iv)
      throws IOException, GeneralSecurityException {
    requireNonNull(file, "file");
    if (key.length != KEY_BYTES || iv.length != KEY_BYTES) {
      throw new IllegalArgumentException("AES-128 needs a 16-byte key and IV");
    }
    // PKCS5Padding in the JCE is PKCS7 for AES's 16-byte blocks.
    Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
    cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
    Path tmp = file.resolveSibling(file.getFileName() + ".enc");
    try (InputStream in = Files.newInputStream(file);
        OutputStream out = new CipherOutputStream(Files.newOutputStream(tmp), cipher)) {
      in.transferTo(out);
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
