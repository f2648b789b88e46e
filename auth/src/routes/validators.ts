import { body } from 'express-validator';

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

/** Email: a string, trimmed and lower-cased, then checked (the stored form is the checked form). */
export const emailField = () =>
  body('email')
    .isString()
    .withMessage('Email must be valid')
    .bail()
    .trim()
    .toLowerCase()
    .isEmail()
    .withMessage('Email must be valid')
    .isLength({ max: 254 })
    .withMessage('Email must be valid');

/** Sign-up password rule: 8–128 characters. */
export const newPasswordField = () =>
  body('password')
    .isString()
    .withMessage(`Password must be between ${PASSWORD_MIN} and ${PASSWORD_MAX} characters`)
    .bail()
    .isLength({ min: PASSWORD_MIN, max: PASSWORD_MAX })
    .withMessage(`Password must be between ${PASSWORD_MIN} and ${PASSWORD_MAX} characters`);

/** Sign-in password: present and bounded (longer ones cannot match any stored password). */
export const passwordField = () =>
  body('password')
    .isString()
    .withMessage('You must supply a password')
    .bail()
    .isLength({ min: 1 })
    .withMessage('You must supply a password')
    .isLength({ max: PASSWORD_MAX })
    .withMessage(`Password must be at most ${PASSWORD_MAX} characters`);
