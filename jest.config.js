// `npm test`: every workspace's tests in one run, sharing one MongoDB-wire server.
const fs = require('node:fs');
const path = require('node:path');

const workspaces = ['common', 'dev-servers', 'auth', 'tickets', 'orders', 'payments', 'expiration', 'live', 'client', 'infra/local', 'infra/tests', 'bench', 'e2e'];

module.exports = {
  // Generous bound so a broken test fails instead of hanging; never a performance assertion.
  testTimeout: 60_000,
  projects: workspaces
    .filter((w) => fs.existsSync(path.join(__dirname, w, 'jest.config.js')))
    .map((w) => `<rootDir>/${w}`),
};
