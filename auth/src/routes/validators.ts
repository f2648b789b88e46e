import { codePointLength, hasControlCharacter, hasLoneSurrogate, utf8Length } from '@ticketing/common';
import { body } from 'express-validator';

/** Password bounds, in Unicode code points (common's one definition of a length). */
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;
/** RFC 5321: a forward path is at most 256 octets including the angle brackets, so 254 for the address. */
export const EMAIL_MAX_BYTES = 254;

const EMAIL_INVALID = 'Email must be valid';

/**
 * Email: the canonical form is what is stored, looked up and unique: trimmed, Unicode NFC
 * (a composed and a decomposed "é" are one address), lower-cased (`A@x.com` and `a@x.com`
 * are one account). It must then be an address of at most 254 UTF-8 bytes, without control
 * characters or unpaired surrogates (which could not be stored and read back unchanged).
 */
export const emailField = () =>
  body('email')
    .isString()
    .withMessage(EMAIL_INVALID)
    .bail()
    .custom((v: string) => !hasLoneSurrogate(v) && !hasControlCharacter(v))
    .withMessage(EMAIL_INVALID)
    .bail()
    .customSanitizer((v: string) => v.trim().normalize('NFC').toLowerCase())
    .custom((v: string) => utf8Length(v) <= EMAIL_MAX_BYTES)
    .withMessage(EMAIL_INVALID)
    .bail()
    .isEmail()
    .withMessage(EMAIL_INVALID);

/** Well-formed Unicode of `min..max` code points (an unpaired surrogate would hash like U+FFFD). */
const passwordLengthOk = (min: number, max: number) => (v: string) => {
  const length = codePointLength(v);
  return !hasLoneSurrogate(v) && length >= min && length <= max;
};

const NEW_PASSWORD_RULE = `Password must be between ${PASSWORD_MIN} and ${PASSWORD_MAX} characters`;

/** Sign-up password rule: 8–128 code points, any characters but unpaired surrogates. */
export const newPasswordField = () =>
  body('password')
    .isString()
    .withMessage(NEW_PASSWORD_RULE)
    .bail()
    .custom(passwordLengthOk(PASSWORD_MIN, PASSWORD_MAX))
    .withMessage(NEW_PASSWORD_RULE);

/** Sign-in password: present and bounded (longer ones, or malformed ones, cannot match any stored password). */
export const passwordField = () =>
  body('password')
    .isString()
    .withMessage('You must supply a password')
    .bail()
    .custom((v: string) => v.length > 0)
    .withMessage('You must supply a password')
    .bail()
    .custom(passwordLengthOk(1, PASSWORD_MAX))
    .withMessage(`Password must be at most ${PASSWORD_MAX} characters`);
