// `npm test`: every workspace's tests in one run, sharing one MongoDB-wire server.
module.exports = {
  // Generous bound so a broken test fails instead of hanging; never a performance assertion.
  testTimeout: 60_000,
  projects: ['common', 'auth', 'tickets', 'orders', 'payments', 'expiration']
    .map((w) => `<rootDir>/${w}`)
    .filter((p) => require('node:fs').existsSync(`${p.replace('<rootDir>', __dirname)}/jest.config.js`)),
};
