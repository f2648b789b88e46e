import mongoose from 'mongoose';
import type { Logger } from '../telemetry';

mongoose.set('strictQuery', true);

/** Connects the default mongoose connection; retries until the server answers. */
export async function connectMongo(url: string, logger: Logger, dbName?: string): Promise<typeof mongoose> {
  for (let attempt = 1; ; attempt++) {
    try {
      await mongoose.connect(url, { dbName, serverSelectionTimeoutMS: 5_000, autoIndex: true });
      logger.info({ dbName: mongoose.connection.name }, 'connected to MongoDB');
      return mongoose;
    } catch (err) {
      logger.warn({ err, attempt }, 'MongoDB not reachable yet; retrying');
      await new Promise((r) => setTimeout(r, Math.min(500 * attempt, 5_000)));
    }
  }
}

export function mongoIsConnected(): boolean {
  return mongoose.connection.readyState === mongoose.ConnectionStates.connected;
}
