/* global db, print -- mongosh provides them */
// Run once by the mongo image's entrypoint, on an empty data directory, against the temporary
// mongod it starts (without access control) right after creating the root user: creates the
// service's own user, which may read and write the service's database and nothing else. The
// service connects as that user. The entrypoint unsets every MONGO_INITDB_* variable before it
// starts the real mongod (with --auth), so the passwords do not stay in its environment.
const database = process.env.MONGO_INITDB_APP_DATABASE;
const user = process.env.MONGO_INITDB_APP_USERNAME;
const password = process.env.MONGO_INITDB_APP_PASSWORD;
if (!database || !user || !password) {
  throw new Error('MONGO_INITDB_APP_DATABASE, MONGO_INITDB_APP_USERNAME and MONGO_INITDB_APP_PASSWORD are required');
}
db.getSiblingDB(database).createUser({
  user,
  pwd: password,
  roles: [{ role: 'readWrite', db: database }],
});
print(`created user ${user} (readWrite on ${database})`);
