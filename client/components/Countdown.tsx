import { formatRemaining } from '@/lib/format';

/** Screen readers hear the time left once a minute (then at 30 s), not every second. */
function announcement(msLeft: number): string {
  const seconds = Math.ceil(msLeft / 1000);
  if (seconds > 60) return `About ${Math.ceil(seconds / 60)} minutes left to pay.`;
  if (seconds > 30) return 'About 1 minute left to pay.';
  return 'Less than 30 seconds left to pay.';
}

/** The time left in the order's reservation window. */
export function Countdown({ msLeft }: { msLeft: number }) {
  return (
    <div className="countdown">
      <p>
        Time left to pay:{' '}
        <strong role="timer" aria-live="off" className="countdown-time">
          {formatRemaining(msLeft)}
        </strong>
      </p>
      <p aria-live="polite" className="sr-only">
        {announcement(msLeft)}
      </p>
    </div>
  );
}
