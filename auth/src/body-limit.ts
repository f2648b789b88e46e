/** Credentials are tiny; anything bigger than this is refused with 413 before parsing. */
export const AUTH_BODY_LIMIT = '4kb';
