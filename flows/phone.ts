// Vietnamese phone numbers of services, as written in the directory ("028 3923 4567",
// "0912 345 678", "1800 1234") and as a tappable tel: link (+84 for ordinary numbers).

/** Digits, spaces, dots and dashes only; a leading +84 or 0, or a 1800/1900 service number. */
export function normalisePhone(raw: string): string | null {
  const s = raw.trim();
  if (!/^\+?[\d .-]+$/.test(s)) return null;
  const digits = s.replace(/\D/g, '');
  if (/^1[89]00\d{4,6}$/.test(digits)) return digits;
  const national = digits.startsWith('84') && s.startsWith('+') ? `0${digits.slice(2)}` : digits;
  // Mobile numbers have 10 digits, landlines 11 (0 + area code + number).
  return /^0\d{9,10}$/.test(national) ? national : null;
}

/** tel: link for a number normalisePhone accepts. */
export function telUrl(raw: string): string | null {
  const n = normalisePhone(raw);
  if (!n) return null;
  return n.startsWith('0') ? `tel:+84${n.slice(1)}` : `tel:${n}`;
}
