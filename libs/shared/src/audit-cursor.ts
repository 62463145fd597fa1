/**
 * The `cursor` of GET /api/audit: opaque to clients, base64url (unpadded) of a versioned
 * accepted_position. Coded here without Buffer so the contract stays free of Node APIs.
 */

const CURSOR_PREFIX = 'a1:';
const CURSOR = /^[A-Za-z0-9_-]{1,40}$/;
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** base64url without padding, of text whose characters are all below U+0080. */
function toBase64url(ascii: string): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (let i = 0; i < ascii.length; i++) {
    value = (value << 8) | ascii.charCodeAt(i);
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += BASE64URL[(value >> bits) & 63];
    }
    value &= (1 << bits) - 1;
  }
  return bits > 0 ? out + BASE64URL[(value << (6 - bits)) & 63] : out;
}

/**
 * The bytes `text` (base64url characters only) codes, one character per byte. A last
 * character that completes no byte is ignored, as Buffer does. Bytes of 0x80 and over
 * come out as characters no cursor holds, so such input is never read as a cursor.
 */
function fromBase64url(text: string): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const char of text) {
    value = (value << 6) | BASE64URL.indexOf(char);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += String.fromCharCode((value >> bits) & 0xff);
    }
    value &= (1 << bits) - 1;
  }
  return out;
}

/** The cursor that continues after `acceptedPosition` (the last entry of a page). */
export function encodeCursor(acceptedPosition: number): string {
  return toBase64url(`${CURSOR_PREFIX}${acceptedPosition}`);
}

/** The accepted_position a cursor stands for, or undefined if it is not one of ours. */
export function decodeCursor(cursor: string): number | undefined {
  if (!CURSOR.test(cursor)) return undefined;
  const text = fromBase64url(cursor);
  if (!text.startsWith(CURSOR_PREFIX)) return undefined;
  const digits = text.slice(CURSOR_PREFIX.length);
  if (!/^[1-9]\d{0,14}$/.test(digits)) return undefined;
  return Number(digits);
}
