// displayName `local`: `npx jest --selectProjects local`. No MongoDB, NATS or Redis: these
// tests start only the HTTP servers they need.
module.exports = require('../../jest.preset.js')(__dirname, { globalSetup: undefined, globalTeardown: undefined });
