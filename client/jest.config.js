// The client's pure logic (lib/): no servers needed, so none are started.
module.exports = require('../jest.preset.js')(__dirname, {
  testMatch: ['<rootDir>/lib/**/*.test.ts'],
  globalSetup: undefined,
  globalTeardown: undefined,
});
