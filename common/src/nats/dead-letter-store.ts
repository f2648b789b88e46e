import { headers, type JetStreamClient, type JetStreamManager } from 'nats';
import { streamForSubject } from '../events/streams';
import { DEADLETTER_STREAM, decodeDeadLetter, type DeadLetterRecord } from './dead-letter';
import { isNotFound } from './streams';

/** A dead letter as stored: its sequence on the DEADLETTER stream and its record. */
export interface StoredDeadLetter {
  seq: number;
  record: DeadLetterRecord;
}

/** Header on a replayed message naming the dead letter it came from. */
export const REPLAY_OF_HEADER = 'Ticketing-Replay-Of';

/** Messages on the DEADLETTER stream now (0 when the stream does not exist). */
export async function countDeadLetters(jsm: JetStreamManager): Promise<number> {
  try {
    return (await jsm.streams.info(DEADLETTER_STREAM)).state.messages;
  } catch (err) {
    if (isNotFound(err)) return 0;
    throw err;
  }
}

/** One dead letter by its sequence on the DEADLETTER stream, or undefined. */
export async function getDeadLetter(jsm: JetStreamManager, seq: number): Promise<StoredDeadLetter | undefined> {
  try {
    const m = await jsm.streams.getMessage(DEADLETTER_STREAM, { seq });
    return { seq, record: decodeDeadLetter(m.data) };
  } catch (err) {
    if (/no message found|not found/i.test(String(err))) return undefined;
    throw err;
  }
}

/** Every dead letter still on the stream, oldest first. */
export async function listDeadLetters(jsm: JetStreamManager): Promise<StoredDeadLetter[]> {
  let state;
  try {
    state = (await jsm.streams.info(DEADLETTER_STREAM)).state;
  } catch (err) {
    if (isNotFound(err)) return [];
    throw err;
  }
  const out: StoredDeadLetter[] = [];
  if (state.messages === 0) return out;
  for (let seq = state.first_seq; seq <= state.last_seq; seq++) {
    const letter = await getDeadLetter(jsm, seq); // undefined: a gap left by a replay
    if (letter) out.push(letter);
  }
  return out;
}

/**
 * Re-publishes a dead letter's original payload to its original subject, then deletes the
 * dead letter (so the stream holds only what still needs attention; the replay is logged by
 * the caller). The new message id is unique: the original one may still be inside the
 * stream's duplicate window and would be dropped as a duplicate. Every consumer of the
 * subject receives it again, not only the one that gave up; handlers apply by version, so
 * those that already have it ack it without change.
 */
export async function replayDeadLetter(js: JetStreamClient, jsm: JetStreamManager, letter: StoredDeadLetter): Promise<number> {
  const { record, seq } = letter;
  const h = headers();
  h.set(REPLAY_OF_HEADER, `${DEADLETTER_STREAM}:${seq}`);
  const ack = await js.publish(record.subject, Buffer.from(record.data, 'utf8'), {
    msgID: `replay:${record.durable}:${record.streamSequence}:${seq}:${Date.now()}`,
    expect: { streamName: streamForSubject(record.subject) },
    headers: h,
  });
  await jsm.streams.deleteMessage(DEADLETTER_STREAM, seq, false);
  return ack.seq;
}
