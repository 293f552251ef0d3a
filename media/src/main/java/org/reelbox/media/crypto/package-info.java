/**
 * HLS segment encryption: {@link org.reelbox.media.crypto.HlsAes128}, AES-128-CBC with PKCS7
 * padding over whole segments (RFC 8216 §4.3.2.4, §5.2). Pure code on streams and byte arrays.
 */
package org.reelbox.media.crypto;
