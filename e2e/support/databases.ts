import mongoose, { type Connection } from 'mongoose';

/** A service's database as raw documents (read only: invariant checks, never writes). */
export interface ServiceDatabase {
  name: string;
  all<T = Record<string, unknown>>(collection: string): Promise<T[]>;
}

export interface ServiceDatabases {
  tickets: ServiceDatabase;
  orders: ServiceDatabase;
  payments: ServiceDatabase;
  close(): Promise<void>;
}

/**
 * Connects to the databases the stack's services own (`<prefix><service>` on the stack's
 * MongoDB-wire server) with the plain driver, for checks across services that HTTP cannot
 * express (replica equality, one payment per order …).
 */
export async function openServiceDatabases(mongoUrl: string, prefix: string): Promise<ServiceDatabases> {
  const conns: Connection[] = [];
  const open = async (service: string): Promise<ServiceDatabase> => {
    const name = `${prefix}${service}`;
    const conn = await mongoose.createConnection(mongoUrl, { dbName: name, serverSelectionTimeoutMS: 10_000 }).asPromise();
    conns.push(conn);
    return {
      name,
      all: async <T>(collection: string) => (await conn.db!.collection(collection).find({}).toArray()) as T[],
    };
  };
  const [tickets, orders, payments] = await Promise.all(['tickets', 'orders', 'payments'].map(open));
  return {
    tickets,
    orders,
    payments,
    close: async () => {
      await Promise.all(conns.map((c) => c.close()));
    },
  };
}
