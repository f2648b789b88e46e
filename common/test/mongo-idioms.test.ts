import mongoose, { Schema, type Connection } from 'mongoose';
import { applyNextVersion, classifyFailure, insertOrIgnore, isDuplicateKeyError, RetryLaterError } from '../src';
import { randomObjectId, testMongoUrl, uniqueDbName } from '@ticketing/dev-servers';

/** The write idioms every service shares, against this run's MongoDB-wire server. */
interface Replica {
  _id: string;
  title: string;
  version: number;
}

let conn: Connection;
let Replicas: mongoose.Model<Replica>;

beforeAll(async () => {
  conn = await mongoose.createConnection(testMongoUrl(), { dbName: uniqueDbName('idioms') }).asPromise();
  const schema = new Schema<Replica>({
    _id: { type: String, required: true },
    title: { type: String, required: true },
    version: { type: Number, required: true, min: 0 },
  });
  Replicas = conn.model<Replica>('Replica', schema);
  await Replicas.init();
});

afterAll(async () => {
  await conn.dropDatabase();
  await conn.close();
});

describe('isDuplicateKeyError', () => {
  it("is true for the server's E11000 and false for anything else", async () => {
    const id = randomObjectId();
    await Replicas.create({ _id: id, title: 'a', version: 0 });
    const duplicate = await Replicas.create({ _id: id, title: 'b', version: 0 }).catch((err: unknown) => err);
    expect(isDuplicateKeyError(duplicate)).toBe(true);
    const invalid = await Replicas.create({ _id: randomObjectId(), version: 0 }).catch((err: unknown) => err);
    for (const other of [invalid, new Error('E11000 in a message only'), { code: '11000' }, null, undefined, 11000]) {
      expect(isDuplicateKeyError(other)).toBe(false);
    }
  });
});

describe('insertOrIgnore', () => {
  it('inserts once; a repeat is ignored and leaves the first document as it was', async () => {
    const id = randomObjectId();
    expect(await insertOrIgnore(Replicas, { _id: id, title: 'first', version: 3 })).toBe(true);
    expect(await insertOrIgnore(Replicas, { _id: id, title: 'second', version: 0 })).toBe(false);
    expect(await Replicas.findById(id).lean()).toMatchObject({ title: 'first', version: 3 });
  });

  it('of 20 concurrent inserts of one key exactly one reports that it inserted', async () => {
    const id = randomObjectId();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => insertOrIgnore(Replicas, { _id: id, title: `t${i}`, version: 0 })));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await Replicas.countDocuments({ _id: id })).toBe(1);
  });

  it('any other failure is thrown', async () => {
    await expect(insertOrIgnore(Replicas, { _id: randomObjectId(), version: 0 })).rejects.toMatchObject({ name: 'ValidationError' });
  });
});

describe('applyNextVersion (the replica update rule)', () => {
  const apply = (id: string, version: number, title: string) => applyNextVersion(Replicas, 'thing', { id, version, fields: { title } });

  it('applies the next version; the same version again is current, an older one stale; neither changes the replica', async () => {
    const id = randomObjectId();
    await Replicas.create({ _id: id, title: 'v0', version: 0 });
    expect(await apply(id, 1, 'v1')).toBe('applied');
    expect(await Replicas.findById(id).lean()).toMatchObject({ title: 'v1', version: 1 });
    expect(await apply(id, 2, 'v2')).toBe('applied');
    expect(await apply(id, 2, 'v2 copy')).toBe('current');
    expect(await apply(id, 1, 'v1 copy')).toBe('stale');
    expect(await Replicas.findById(id).lean()).toMatchObject({ title: 'v2', version: 2 });
  });

  it('a version ahead of the replica, or of an entity it does not hold, waits: RetryLaterError (not-yet), nothing written', async () => {
    const id = randomObjectId();
    await Replicas.create({ _id: id, title: 'v0', version: 0 });
    const ahead = await apply(id, 2, 'v2').catch((err: unknown) => err);
    expect(ahead).toBeInstanceOf(RetryLaterError);
    expect(classifyFailure(ahead)).toBe('not-yet');
    expect((ahead as Error).message).toBe(`thing ${id} is at version 0; version 2 must wait for the ones before it`);
    expect(await Replicas.findById(id).lean()).toMatchObject({ title: 'v0', version: 0 });

    const unknown = randomObjectId();
    const missing = await apply(unknown, 1, 'v1').catch((err: unknown) => err);
    expect(missing).toBeInstanceOf(RetryLaterError);
    expect((missing as Error).message).toBe(`thing ${unknown} is not in the replica yet (version 1 arrived first)`);
    expect(await Replicas.countDocuments({ _id: unknown })).toBe(0);
  });

  it('of 20 concurrent deliveries of the next version exactly one applies it; the others see it current', async () => {
    const id = randomObjectId();
    await Replicas.create({ _id: id, title: 'v0', version: 0 });
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => apply(id, 1, 'v1')));
    expect(outcomes.filter((o) => o === 'applied')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'current')).toHaveLength(19);
  });
});
