import { codePointLength, hasControlCharacter, hasLoneSurrogate, ruleField, utf8Length } from '@ticketing/common';
import isEmail from 'validator/lib/isEmail';
import { z } from 'zod';

/** Password bounds, in Unicode code points (common's one definition of a length). */
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;
/** RFC 5321: a forward path is at most 256 octets including the angle brackets, so 254 for the address. */
export const EMAIL_MAX_BYTES = 254;

const EMAIL_INVALID = 'Email must be valid';

/** Email: canonical form (trimmed, NFC, lower-cased) of an address of at most 254 UTF-8 bytes. */
function readEmail(v: unknown): { value: string } | { problem: string } {
  if (typeof v !== 'string' || hasLoneSurrogate(v) || hasControlCharacter(v)) return { problem: EMAIL_INVALID };
  const email = v.trim().normalize('NFC').toLowerCase();
  return utf8Length(email) <= EMAIL_MAX_BYTES && isEmail(email) ? { value: email } : { problem: EMAIL_INVALID };
}

/**
 * Email: the canonical form is what is stored, looked up and unique: trimmed, Unicode NFC
 * (a composed and a decomposed "é" are one address), lower-cased (`A@x.com` and `a@x.com`
 * are one account). It must then be an address of at most 254 UTF-8 bytes, without control
 * characters or unpaired surrogates (which could not be stored and read back unchanged).
 */
const emailField = ruleField<string>(
  {
    type: 'string',
    format: 'email',
    description:
      'Canonical form, used for storage, lookup and uniqueness: trimmed, Unicode NFC, lower-cased (`A@x.com` and `a@x.com` are one account); then at most 254 UTF-8 bytes, no control characters or unpaired surrogates',
  },
  readEmail,
);

/** Well-formed Unicode of `min..max` code points. */
const passwordLengthOk = (v: string, min: number, max: number) => {
  const length = codePointLength(v);
  return !hasLoneSurrogate(v) && length >= min && length <= max;
};

const NEW_PASSWORD_RULE = `Password must be between ${PASSWORD_MIN} and ${PASSWORD_MAX} characters`;

/** Sign-up password rule: 8–128 code points, any characters but unpaired surrogates. */
const newPasswordField = ruleField<string>(
  { type: 'string', minLength: PASSWORD_MIN, maxLength: PASSWORD_MAX, format: 'password', description: 'Length in Unicode code points; any characters except unpaired surrogates' },
  (v) => (typeof v === 'string' && passwordLengthOk(v, PASSWORD_MIN, PASSWORD_MAX) ? { value: v } : { problem: NEW_PASSWORD_RULE }),
);

/** Sign-in password: present and bounded (longer ones, or malformed ones, cannot match any stored password). */
const passwordField = ruleField<string>({ type: 'string', minLength: 1, maxLength: PASSWORD_MAX, format: 'password', description: 'Any characters except unpaired surrogates' }, (v) => {
  if (typeof v !== 'string' || v.length === 0) return { problem: 'You must supply a password' };
  return passwordLengthOk(v, 1, PASSWORD_MAX) ? { value: v } : { problem: `Password must be at most ${PASSWORD_MAX} characters` };
});

/** POST /api/users/signup. */
export const signupBody = z.object({ email: emailField, password: newPasswordField });
/** POST /api/users/signin. */
export const signinBody = z.object({ email: emailField, password: passwordField });
