import type { Es256SigningKey } from '@ticketing/common';

/** The service's configured rules for routes (from TICKET_* variables). */
export interface TicketRules {
  /** TICKET_RESALE_CAP_PERCENT: the cap for tickets created without their own; undefined = no cap. */
  resaleCapPercent?: number;
  /** TICKET_CODE_SIGNING_KEY / TICKET_CODE_KEY_ID; undefined = no codes can be issued or checked. */
  codeKey?: Es256SigningKey;
}
