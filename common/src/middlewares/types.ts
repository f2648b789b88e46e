/** What a session token carries about the signed-in user. */
export interface UserPayload {
  id: string;
  email: string;
  /** The sign-in (refresh-token family) this session belongs to: sign-out revokes it. */
  sid?: string;
  iat?: number;
  exp?: number;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      currentUser?: UserPayload;
      /** Request id: from a sane `x-request-id` header, else generated. */
      id: string;
      /** The raw JSON body, for signature checks (webhooks). */
      rawBody?: Buffer;
    }
  }
}
