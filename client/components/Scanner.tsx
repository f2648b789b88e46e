'use client';
import { useCallback, useState, useSyncExternalStore, type FormEvent } from 'react';
import { apiRequest } from '@/lib/api/browser';
import type { CheckinAnswer } from '@/lib/api/types';
import { checkinOutcomeOf, type CheckinOutcome } from '@/lib/checkin-outcome';
import { ticketIdOfCode } from '@/lib/ticket-code';
import { CameraScanner, cameraScanSupported } from './CameraScanner';

const RESULT: Record<CheckinOutcome['kind'], { banner: string; tone: string }> = {
  admitted: { banner: 'Admitted', tone: 'scan-ok' },
  used: { banner: 'Already used', tone: 'scan-refused' },
  superseded: { banner: 'Superseded', tone: 'scan-refused' },
  invalid: { banner: 'Invalid code', tone: 'scan-refused' },
  failed: { banner: 'Not checked in', tone: 'scan-refused' },
};

function detail(outcome: CheckinOutcome): string {
  switch (outcome.kind) {
    case 'admitted':
      return 'Welcome! This code is now used.';
    case 'used':
      return 'This ticket was already checked in. Do not admit it again.';
    case 'superseded':
      return 'This code was replaced: the ticket was resold or listed again. Ask for the current code.';
    default:
      return outcome.message;
  }
}

/** POST /api/tickets/:id/checkin for a code (the ticket id is read from the code itself). */
async function checkIn(code: string): Promise<CheckinOutcome> {
  const ticketId = ticketIdOfCode(code);
  if (!ticketId) return { kind: 'invalid', message: 'This is not a ticket code.' };
  try {
    const answer = await apiRequest<CheckinAnswer>('POST', `/api/tickets/${encodeURIComponent(ticketId)}/checkin`, { code: code.trim() });
    return { kind: 'admitted', answer };
  } catch (err) {
    return checkinOutcomeOf(err);
  }
}

/** What the browser can do does not change while the page is open: nothing to subscribe to. */
const nothingChanges = () => () => {};

/** The door: read a code with the camera (where the browser can) or paste it, then check it in. */
export function Scanner() {
  const [code, setCode] = useState('');
  const [pending, setPending] = useState(false);
  const [outcome, setOutcome] = useState<CheckinOutcome | null>(null);
  const [cameraOn, setCameraOn] = useState(false);

  // Known only in the browser: the server (and hydration) render the paste form alone.
  const supported = useSyncExternalStore(nothingChanges, cameraScanSupported, () => false);
  const camera = !supported ? 'unsupported' : cameraOn ? 'on' : 'off';

  // Never rejects (checkIn turns every failure into an outcome): callers may `void` it.
  const submit = useCallback(async (text: string) => {
    setPending(true);
    setOutcome(null);
    setOutcome(await checkIn(text));
    setPending(false);
  }, []);

  const onCameraCode = useCallback(
    (text: string) => {
      setCameraOn(false);
      setCode(text);
      void submit(text);
    },
    [submit],
  );

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void submit(code);
  }

  const result = outcome ? RESULT[outcome.kind] : null;
  return (
    <>
      <div role="status" aria-live="assertive" className={result ? `scan-result ${result.tone}` : undefined}>
        {outcome && result && (
          <>
            <p className="banner">{result.banner}</p>
            <p>{detail(outcome)}</p>
          </>
        )}
      </div>
      {camera === 'off' && (
        <button type="button" className="button" onClick={() => setCameraOn(true)}>
          Scan with the camera
        </button>
      )}
      {camera === 'on' && <CameraScanner onCode={onCameraCode} onStop={() => setCameraOn(false)} />}
      <form onSubmit={onSubmit} noValidate className="form">
        <div className="field">
          <label htmlFor="field-code">Ticket code</label>
          <p id="code-hint" className="hint">
            {camera === 'unsupported' ? 'This browser cannot read QR codes from the camera: paste' : 'Or paste'} the code shown under
            the ticket&apos;s QR code.
          </p>
          <textarea
            id="field-code"
            name="code"
            rows={4}
            className="code-text"
            aria-describedby="code-hint"
            value={code}
            onChange={(e) => setCode(e.target.value)}
            autoComplete="off"
            spellCheck={false}
          />
        </div>
        <button type="submit" className="button" disabled={pending || code.trim() === ''}>
          {pending ? 'Checking in…' : 'Check in'}
        </button>
      </form>
    </>
  );
}
