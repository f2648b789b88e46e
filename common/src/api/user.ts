import { z } from 'zod';

/** An account as auth answers it (sign-up, sign-in). */
export const userSchema = z.object({
  id: z.string().meta({ example: '66a1f0c2e4b0a1b2c3d4e5f6' }),
  email: z.string(),
});
export type User = z.infer<typeof userSchema>;

/** What the session says about the signed-in user (the token's claims, not the sign-in id). */
export const currentUserSchema = z.object({
  id: z.string(),
  email: z.string(),
  iat: z.number().int().describe('Issued at (seconds since the epoch)'),
  exp: z.number().int().describe('Expires at (seconds since the epoch)'),
});
export type CurrentUser = z.infer<typeof currentUserSchema>;

/** GET /api/users/currentuser, POST /api/users/refresh. */
export const currentUserAnswerSchema = z.object({ currentUser: currentUserSchema.nullable() });
export type CurrentUserAnswer = z.infer<typeof currentUserAnswerSchema>;
