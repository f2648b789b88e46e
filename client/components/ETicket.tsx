import Link from 'next/link';
import type { ApiResult, Ticket, TicketCode } from '@/lib/api/types';
import { qrImageSource } from '@/lib/qr';
import { ApiProblem } from './ApiProblem';

/**
 * One delivered ticket with its code: the QR image to show at the door, and the same code as
 * text (for a scanner without a camera). Server component: the QR is drawn on the server.
 */
export async function ETicket({ ticket, code }: { ticket: Ticket; code: ApiResult<TicketCode> }) {
  const checkedIn = code.ok ? code.data.checkedIn : !!ticket.checkedIn;
  const headingId = `eticket-${ticket.id}`;
  const qrSource = code.ok ? await qrImageSource(code.data.code) : undefined;
  return (
    <li className="card eticket">
      <h2 id={headingId} className="card-title">
        {ticket.title}
      </h2>
      <p>
        {checkedIn ? (
          <span className="status status-checked-in">Checked in</span>
        ) : (
          <span className="status status-valid">Valid — show this code at the door</span>
        )}
      </p>
      {code.ok ? (
        <>
          {/* eslint-disable-next-line @next/next/no-img-element -- a data: URL drawn on the server: nothing for next/image to optimise */}
          <img className="qr" src={qrSource} alt={`E-ticket code for ${ticket.title}`} width={220} height={220} />
          <details>
            <summary>Show the code as text</summary>
            <label htmlFor={`code-${ticket.id}`} className="sr-only">
              Ticket code for {ticket.title}
            </label>
            <textarea id={`code-${ticket.id}`} className="code-text" readOnly rows={4} value={code.data.code} />
          </details>
        </>
      ) : (
        <ApiProblem error={code.error} />
      )}
      <p className="hint">Listing the ticket again replaces this code: the old one stops working.</p>
      <Link href={`/tickets/${ticket.id}`}>Resell this ticket</Link>
    </li>
  );
}
