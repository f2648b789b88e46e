/* global db, print -- mongosh provides them */
// Run once by the mongo image's entrypoint, on an empty data directory, connected as the root
// user it has just created (MONGO_INITDB_ROOT_*): creates the service's own user, which may
// read and write the service's database and nothing else. The services connect as that user.
const database = process.env.MONGO_APP_DATABASE;
const user = process.env.MONGO_APP_USERNAME;
const password = process.env.MONGO_APP_PASSWORD;
if (!database || !user || !password) {
  throw new Error('MONGO_APP_DATABASE, MONGO_APP_USERNAME and MONGO_APP_PASSWORD are required');
}
db.getSiblingDB(database).createUser({
  user,
  pwd: password,
  roles: [{ role: 'readWrite', db: database }],
});
print(`created user ${user} (readWrite on ${database})`);
